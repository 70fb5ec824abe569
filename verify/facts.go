package verify

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"provgraph/c2pa"
	"provgraph/c2pa/cose"
)

// FactsOf gathers the facts Assess needs from what c2pa.Read returned: its
// report, or its error when no store could be read. now is the
// verification time, against which the signer's validity is judged. A
// store that is present but unreadable counts as invalid credentials. An
// error other than a *c2pa.ReadError is not a verdict and yields the facts
// of a file without credentials; callers should not assess it.
func FactsOf(rep *c2pa.Report, readErr error, now time.Time) Facts {
	if rep == nil {
		var f Facts
		var re *c2pa.ReadError
		switch {
		case !errors.As(readErr, &re), errors.Is(readErr, c2pa.ErrJumbfNotFound):
		case errors.Is(readErr, c2pa.ErrRemoteManifestURL):
			f.RemoteManifestURL = re.Detail
		default:
			// A store is there but could not be parsed: credentials that
			// fail validation.
			f.Manifest, f.State = true, c2pa.StateInvalid
		}
		return f
	}
	f := Facts{Manifest: true, State: rep.ValidationState}
	if vr := rep.ValidationResults; vr != nil {
		for _, e := range vr.ActiveManifest.Failure {
			f.Failures = append(f.Failures, string(e.Code))
		}
		for _, e := range vr.ActiveManifest.Success {
			f.Successes = append(f.Successes, string(e.Code))
		}
		for _, d := range vr.IngredientDeltas {
			for _, e := range d.ValidationDeltas.Failure {
				f.IngredientFailures = append(f.IngredientFailures, string(e.Code))
			}
		}
	}
	if rep.Store != nil {
		if m := rep.Store.Active(); m != nil {
			f.UpdateManifest = m.Update()
			if leaf := signerCertificate(m.Signature); leaf != nil {
				f.SelfSigned = bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignatureFrom(leaf) == nil
				f.SignerExpiredNow = now.Before(leaf.NotBefore) || now.After(leaf.NotAfter)
			}
		}
	}
	if m := rep.Manifest(rep.ActiveManifest); m != nil {
		f.AIDeclared = declaresAI(m)
	}
	return f
}

// signerCertificate is the leaf certificate of a claim signature, or nil
// when the signature cannot be parsed (validation reports that already).
func signerCertificate(sig []byte) *x509.Certificate {
	s, err := cose.Parse(sig)
	if err != nil {
		return nil
	}
	certs, err := s.Certificates()
	if err != nil || len(certs) == 0 {
		return nil
	}
	return certs[0]
}

// declaresAI reports whether an action of the manifest's actions
// assertions names a digital source type of the IPTC trained-algorithmic
// family (trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia).
func declaresAI(m *c2pa.ManifestReport) bool {
	for _, a := range m.Assertions {
		if a.Label != "c2pa.actions" && a.Label != "c2pa.actions.v2" {
			continue
		}
		raw, err := json.Marshal(a.Data)
		if err != nil {
			continue
		}
		var data struct {
			Actions []struct {
				DigitalSourceType string `json:"digitalSourceType"`
			} `json:"actions"`
		}
		if json.Unmarshal(raw, &data) != nil {
			continue
		}
		for _, act := range data.Actions {
			if strings.HasSuffix(strings.ToLower(act.DigitalSourceType), "trainedalgorithmicmedia") {
				return true
			}
		}
	}
	return false
}
