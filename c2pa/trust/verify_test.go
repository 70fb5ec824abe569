package trust_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

// indexDate is when INDEX.tsv's oracle columns were recorded; evaluating at
// that time keeps the expectations stable as certificates expire.
var indexDate = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// anchorsAllStore reproduces the oracle's setting for INDEX.tsv:
// --trust certs/anchors-all.pem (c2pa-rs trust_anchors), nothing else.
func anchorsAllStore(t *testing.T) *trust.Store {
	t.Helper()
	pem, err := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := trust.New(trust.Config{NoOfficialLists: true, Anchors: pem})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func isSignatureCode(c string) bool {
	return strings.HasPrefix(c, "signingCredential.") || strings.HasPrefix(c, "claimSignature.") || strings.HasPrefix(c, "algorithm.")
}

// TestFixtureSignatureStatuses checks, for every signed JPEG/PNG fixture,
// that the failures VerifyClaimSignature reports for the active manifest are
// exactly the signature-related failures of INDEX.tsv (anchors-all.pem):
// Microsoft signers invalid (their only EKU, documentSigning or Microsoft's
// C2PA OID, is not accepted without a trust_config) and untrusted, Nikon
// expired and untrusted, the c2pa-rs test signer trusted, and so on.
func TestFixtureSignatureStatuses(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	fixtures, err := cosetest.Fixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	store := anchorsAllStore(t)
	for _, fx := range fixtures {
		if fx.State == "error" {
			continue // the oracle produced no statuses to compare with
		}
		t.Run(fx.File, func(t *testing.T) {
			ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
			if err != nil {
				t.Fatal(err)
			}
			m := ms[len(ms)-1]
			r := store.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{
				URL: "self#jumbf=/c2pa/" + m.Label + "/c2pa.signature", ClaimVersion: claimVersion(m.Claim), Now: indexDate,
			})
			if r.Err != nil {
				t.Fatalf("Err = %v", r.Err)
			}
			var got, want []string
			for _, e := range r.Entries {
				if e.Kind == status.Failure && !slices.Contains(got, string(e.Code)) {
					got = append(got, string(e.Code))
				}
			}
			for _, c := range fx.Failures {
				if isSignatureCode(c) {
					want = append(want, c)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("failures %v, oracle %v\nentries: %v", got, want, r.Entries)
			}
			if fx.State == "Trusted" && (r.Anchor == nil || !r.Validated) {
				t.Errorf("oracle says Trusted; anchor %v validated %v", r.Anchor, r.Validated)
			}
		})
	}
}

// claimVersion tells a v2 claim (it has claim_generator_info as a map and
// "created_assertions") from a v1 claim, enough for the time-stamp rules.
func claimVersion(claim []byte) int {
	if strings.Contains(string(claim), "created_assertions") {
		return 2
	}
	return 1
}

// TestTimeStampAssertion: a verified c2pa.time-stamp assertion token replaces
// the header time-stamp silently and governs the signing time; one that does
// not match the signature is ignored.
func TestTimeStampAssertion(t *testing.T) {
	tsa, err := cosetest.NewTSA(indexDate.AddDate(-1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	stamped := indexDate.AddDate(0, -1, 0)
	tsa.Now = func() time.Time { return stamped }
	ms, err := cosetest.Manifests(testenv.Fixture(t, "c2pa/jpeg/rs-CA.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m := ms[len(ms)-1]
	r0 := anchorsAllStore(t).VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: 1, Now: indexDate})
	resp, err := tsa.TimeStamp(t.Context(), r0.Sign1.Signature)
	if err != nil {
		t.Fatal(err)
	}
	r := anchorsAllStore(t).VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: 1, Now: indexDate, TimeStampAssertionToken: resp})
	if r.TimeStamp == nil || !r.SigningTime.Equal(stamped) {
		t.Fatalf("signing time %v, want %v", r.SigningTime, stamped)
	}
	for _, e := range r.Entries {
		if strings.HasPrefix(string(e.Code), "timeStamp.") {
			t.Errorf("header time-stamp examined: %v", e)
		}
	}
	bad, err := tsa.TimeStamp(t.Context(), m.Claim)
	if err != nil {
		t.Fatal(err)
	}
	r = anchorsAllStore(t).VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: 1, Now: indexDate, TimeStampAssertionToken: bad})
	if !r.Has(status.TimeStampValidated) {
		t.Errorf("a mismatching assertion token should leave the header time-stamp in charge: %v", r.Entries)
	}
}

// TestFixtureSignatureStatusesOtherFormats repeats the INDEX.tsv comparison
// for the signed fixtures in the other formats the engine's container
// handlers read (RIFF, sidecar manifest stores, …). INDEX.tsv merges the
// active manifest's failures with the ingredient deltas', so the check is:
// active failures ⊆ oracle failures ⊆ failures of all manifests.
func TestFixtureSignatureStatusesOtherFormats(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	all, err := cosetest.AllFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	store := anchorsAllStore(t)
	n := 0
	for _, fx := range all {
		if fx.State == "error" || fx.MediaType == "image/jpeg" || fx.MediaType == "image/png" {
			continue
		}
		n++
		t.Run(fx.File, func(t *testing.T) {
			ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
			if err != nil {
				t.Fatal(err)
			}
			var active, all, want []string
			for i, m := range ms {
				r := store.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: claimVersion(m.Claim), Now: indexDate})
				if r.Err != nil {
					t.Fatalf("%s: Err = %v", m.Label, r.Err)
				}
				for _, e := range r.Entries {
					if e.Kind != status.Failure {
						continue
					}
					if i == len(ms)-1 && !slices.Contains(active, string(e.Code)) {
						active = append(active, string(e.Code))
					}
					if !slices.Contains(all, string(e.Code)) {
						all = append(all, string(e.Code))
					}
				}
			}
			for _, c := range fx.Failures {
				if isSignatureCode(c) {
					want = append(want, c)
				}
			}
			for _, c := range active {
				if !slices.Contains(want, c) {
					t.Errorf("active manifest fails %s; oracle failures %v", c, want)
				}
			}
			for _, c := range want {
				if !slices.Contains(all, c) {
					t.Errorf("oracle fails %s; no manifest here does (%v)", c, all)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixtures in other formats")
	}
}
