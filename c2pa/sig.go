package c2pa

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/trust"
)

// verifySignature validates m's claim signature and signing credential
// through package trust and logs its statuses (time-stamp, OCSP, trust,
// certificate profile, signature). An unsupported algorithm on the active
// manifest aborts reading, as c2pa-rs does.
func (v *validator) verifySignature(m *Manifest) error {
	if v.opts.noCrypto {
		return nil
	}
	res := v.trust.VerifyClaimSignature(m.Signature, m.Claim.Raw, trust.VerifyOptions{
		URL:          m.SignatureURI(),
		ClaimVersion: m.Claim.Version,
		Now:          v.opts.Time,
	})
	v.log.Append(res.Entries...)
	if errors.Is(res.Err, cose.ErrUnsupportedAlgorithm) {
		return readErr(ErrUnknownAlgorithm, "", res.Err)
	}
	return nil
}

// trustStore returns the trust store of the options: Trust, else one built
// from TrustAnchors alone (c2pa-rs with trust_anchors), else an empty store
// under which every signer is untrusted.
func (o *ReadOptions) trustStore() (*trust.Store, error) {
	if o.Trust != nil {
		return o.Trust, nil
	}
	return trust.New(trust.Config{NoOfficialLists: true, Anchors: o.TrustAnchors})
}

// manifestSignatureInfo describes m's claim signature for the report,
// independently of validation: the time is that of a time-stamp token that
// verifies against the signature, trusted or not (checked when checkTST).
func manifestSignatureInfo(m *Manifest, checkTST bool) *SignatureInfo {
	s1, err := cose.Parse(m.Signature)
	if err != nil {
		return nil
	}
	alg, err := s1.Algorithm()
	if err != nil {
		return nil
	}
	certs, err := s1.Certificates()
	if err != nil || len(certs) == 0 {
		return nil
	}
	si := signatureInfo(alg, certs[0])
	if hdr, ok, err := s1.TimeStampHeader(); checkTST && ok && err == nil && len(hdr.Tokens) == 1 {
		if ts, err := cose.ParseTimeStamp(hdr.Tokens[0]); err == nil && ts.Verify(s1.CounterSignatureData(hdr.Version, m.Claim.Raw)) == nil {
			t := ts.Time
			if t.Equal(ts.GenTime.Truncate(time.Second)) {
				t = ts.GenTime
			}
			si.Time = rfc3339(t)
		}
	}
	return si
}

// rfc3339 formats t as chrono's to_rfc3339 does: +00:00 offset and 0, 3, 6
// or 9 fraction digits.
func rfc3339(t time.Time) string {
	t = t.UTC()
	frac := ""
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%1e6 == 0:
		frac = fmt.Sprintf(".%03d", ns/1e6)
	case ns%1e3 == 0:
		frac = fmt.Sprintf(".%06d", ns/1e3)
	default:
		frac = fmt.Sprintf(".%09d", ns)
	}
	return t.Format("2006-01-02T15:04:05") + frac + "+00:00"
}

func signatureInfo(alg cose.Algorithm, leaf *x509.Certificate) *SignatureInfo {
	si := &SignatureInfo{Alg: alg.ReportName(), CertSerialNumber: leaf.SerialNumber.String()}
	if o := leaf.Subject.Organization; len(o) > 0 {
		si.Issuer = o[len(o)-1]
	}
	si.CommonName = leaf.Subject.CommonName
	return si
}
