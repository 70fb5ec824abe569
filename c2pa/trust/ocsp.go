package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"time"

	"golang.org/x/crypto/ocsp"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

// checkOCSP reports revocation from the OCSP responses stapled in rVals (or,
// without those, the certificate-status assertion's), as c2pa-rs does
// without network access: no responses ⇒ informational
// signingCredential.ocsp.skipped; a response whose responder certificate is
// included, passes the profile (OCSPSigning) and chains to the store, and
// covers the signing time ⇒ signingCredential.ocsp.notRevoked, or
// signingCredential.ocsp.revoked when it says revoked; anything else ⇒ no
// status. signingTime is the time-stamp's time when its TSA is trusted,
// else zero (then the response must merely have started: thisUpdate ≤ now).
func (s *Store) checkOCSP(r *SignatureResult, sig *cose.Sign1, assertion [][]byte, url string, now, signingTime time.Time) []status.Entry {
	responses := sig.OCSPResponses()
	if len(responses) == 0 {
		responses = assertion
	}
	if len(responses) == 0 {
		return []status.Entry{{Code: status.SigningCredentialOCSPSkipped, URL: url, Explanation: ExplainOCSPSkipped, Kind: status.Informational}}
	}
	if len(r.Chain) < 2 {
		return nil
	}
	leaf, issuer := r.Chain[0], r.Chain[1]
	for _, der := range responses {
		resp, err := ocsp.ParseResponseForCert(der, leaf, issuer)
		if err != nil || resp.Certificate == nil {
			continue
		}
		if !s.responderTrusted(resp.Certificate, r.Chain, now, signingTime) {
			continue
		}
		serial := resp.SerialNumber.String()
		switch resp.Status {
		case ocsp.Good:
			next := resp.NextUpdate
			if next.IsZero() {
				next = resp.ProducedAt.Add(24 * time.Hour)
			}
			var inRange bool
			if !signingTime.IsZero() {
				st := signingTime.Truncate(time.Second)
				inRange = st.Before(resp.ThisUpdate) || !st.After(next)
			} else {
				inRange = !now.Before(resp.ThisUpdate)
			}
			if inRange {
				return []status.Entry{{Code: status.SigningCredentialOCSPNotRevoked, URL: url, Explanation: "signing cert not revoked: " + serial, Kind: status.Success}}
			}
			return []status.Entry{{Code: status.SigningCredentialOCSPRevoked, URL: url, Explanation: "signing cert revoked: " + serial, Kind: status.Failure}}
		case ocsp.Revoked:
			if !signingTime.IsZero() && signingTime.Before(resp.RevokedAt) {
				return nil // revoked after signing: still valid, nothing logged
			}
			return []status.Entry{{Code: status.SigningCredentialOCSPRevoked, URL: url, Explanation: "signing cert revoked: " + serial, Kind: status.Failure}}
		}
		return nil
	}
	return nil
}

// responderTrusted applies c2pa-rs's checks to an OCSP responder: end-entity
// profile with OCSPSigning accepted, at the signing time (or now), and a
// chain (responder, then the signer's issuers when the responder was issued
// by the signer's issuer) to the store's anchors.
func (s *Store) responderTrusted(responder *x509.Certificate, signerChain []*x509.Certificate, now, signingTime time.Time) bool {
	ekus := []asn1.ObjectIdentifier{OIDOCSPSigning}
	at := signingTime
	if at.IsZero() {
		at = now
	}
	if CheckProfile(responder, ProfileOptions{At: at, ExtraEKUs: ekus, EndEntity: true}) != nil {
		return false
	}
	chain := []*x509.Certificate{responder}
	if bytes.Equal(responder.RawIssuer, signerChain[1].RawSubject) {
		chain = append(chain, signerChain[1:]...)
	}
	_, err := s.forPurpose(false, ekus).TrustChain(chain, at)
	return err == nil
}
