package verify_test

import (
	"testing"

	"provgraph/verify"
)

func TestAssess(t *testing.T) {
	signed := []string{"claimSignature.validated", "claimSignature.insideValidity"}
	trusted := append([]string{"signingCredential.trusted"}, signed...)
	cases := []struct {
		name  string
		facts verify.Facts
		tier  verify.Tier
		edge  verify.EdgeCase
		conf  verify.Confidence
		ai    bool
	}{
		{"trusted", verify.Facts{Manifest: true, State: "Trusted", Successes: trusted}, verify.TierVerified, "", verify.ConfidenceHigh, false},
		{"trusted AI", verify.Facts{Manifest: true, State: "Trusted", Successes: trusted, AIDeclared: true}, verify.TierVerified, "", verify.ConfidenceHigh, true},
		{"untrusted", verify.Facts{Manifest: true, State: "Valid", Successes: signed, Failures: []string{"signingCredential.untrusted"}}, verify.TierSignedUntrusted, "", verify.ConfidenceMedium, false},
		{"self-signed", verify.Facts{Manifest: true, State: "Valid", Successes: signed, Failures: []string{"signingCredential.untrusted"}, SelfSigned: true}, verify.TierSignedUntrusted, verify.EdgeSelfSigned, verify.ConfidenceLow, false},
		{"tampered data", verify.Facts{Manifest: true, State: "Invalid", Successes: trusted, Failures: []string{"assertion.dataHash.mismatch"}, AIDeclared: true}, verify.TierTampered, "", verify.ConfidenceHigh, false},
		{"tampered assertion", verify.Facts{Manifest: true, State: "Invalid", Failures: []string{"assertion.hashedURI.mismatch", "ingredient.manifest.missing"}}, verify.TierTampered, "", verify.ConfidenceHigh, false},
		{"bad signature", verify.Facts{Manifest: true, State: "Invalid", Failures: []string{"claimSignature.mismatch"}}, verify.TierInvalid, "", verify.ConfidenceMedium, false},
		{"bad certificate", verify.Facts{Manifest: true, State: "Invalid", Successes: signed, Failures: []string{"signingCredential.invalid", "signingCredential.untrusted"}}, verify.TierInvalid, "", verify.ConfidenceMedium, false},
		{"expired, no timestamp", verify.Facts{Manifest: true, State: "Invalid", Successes: signed, Failures: []string{"signingCredential.expired"}, SignerExpiredNow: true}, verify.TierInvalid, "", verify.ConfidenceMedium, false},
		{"expired, valid timestamp", verify.Facts{Manifest: true, State: "Trusted", Successes: append([]string{"timeStamp.validated", "timeStamp.trusted"}, trusted...), SignerExpiredNow: true}, verify.TierVerified, verify.EdgeExpiredWithTimestamp, verify.ConfidenceMedium, false},
		{"ingredient failed", verify.Facts{Manifest: true, State: "Invalid", Successes: trusted, IngredientFailures: []string{"assertion.dataHash.mismatch"}}, verify.TierVerified, verify.EdgeIngredientFailures, verify.ConfidenceMedium, false},
		{"ingredient failed, signature broken", verify.Facts{Manifest: true, State: "Invalid", IngredientFailures: []string{"claimSignature.mismatch"}}, verify.TierInvalid, verify.EdgeIngredientFailures, verify.ConfidenceMedium, false},
		{"update manifest", verify.Facts{Manifest: true, State: "Trusted", Successes: trusted, UpdateManifest: true}, verify.TierVerified, verify.EdgeUpdateManifest, verify.ConfidenceMedium, false},
		{"CAWG untrusted only", verify.Facts{Manifest: true, State: "Valid", Successes: trusted, Failures: []string{"cawg.x509.credential.untrusted"}}, verify.TierSignedUntrusted, "", verify.ConfidenceMedium, false},
		{"nothing", verify.Facts{}, verify.TierNoCredentials, "", verify.ConfidenceLow, false},
		{"stripped", verify.Facts{ProvenanceHint: true}, verify.TierNoCredentials, verify.EdgeMetadataStripped, verify.ConfidenceLow, false},
		{"remote unreachable", verify.Facts{RemoteManifestURL: "https://example.org/m.c2pa"}, verify.TierNoCredentials, verify.EdgeRemoteUnreachable, verify.ConfidenceLow, false},
		{"AI flag needs a valid manifest", verify.Facts{Manifest: true, State: "Invalid", Failures: []string{"claimSignature.mismatch"}, AIDeclared: true}, verify.TierInvalid, "", verify.ConfidenceMedium, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := verify.Assess(c.facts)
			if a.Tier != c.tier || a.EdgeCase != c.edge || a.Confidence != c.conf || a.AIDeclared != c.ai {
				t.Fatalf("got %+v, want tier=%s edge=%q confidence=%s ai=%v", a, c.tier, c.edge, c.conf, c.ai)
			}
			if a.Label == "" || a.Description == "" {
				t.Fatalf("tier %s has no label or description", a.Tier)
			}
			if a.EdgeCase != "" && verify.EdgeCases[a.EdgeCase] == "" {
				t.Fatalf("edge case %s has no explanation", a.EdgeCase)
			}
		})
	}
}
