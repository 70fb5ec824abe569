package trust

import (
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/status"
)

// checkOCSP reports revocation: without stapled responses c2pa-rs (which
// does not fetch by default) logs signingCredential.ocsp.skipped.
func (s *Store) checkOCSP(r *SignatureResult, sig *cose.Sign1, url string, now time.Time) {
	if len(sig.OCSPResponses()) == 0 {
		r.add(status.Informational, status.SigningCredentialOCSPSkipped, url, ExplainOCSPSkipped)
	}
}
