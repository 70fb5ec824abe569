package trust_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

func isSignatureStatus(code string) bool {
	for _, p := range []string{"signingCredential.", "claimSignature.", "timeStamp.", "algorithm."} {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// TestOracleSignatureEntries compares, entry by entry (kind, code,
// explanation, order within the kind), the signature statuses of each
// fixture's active manifest with the live c2pa-rs oracle under
// anchors-all.pem, at the current time.
func TestOracleSignatureEntries(t *testing.T) {
	testenv.Oracle(t)
	dir := testenv.Fixture(t, "c2pa")
	fixtures, err := cosetest.AllFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, fx := range fixtures {
		if fx.State != "error" {
			files = append(files, filepath.Join(dir, fx.File))
		}
	}
	anchors := testenv.Fixture(t, "certs/anchors-all.pem")
	out, _ := testenv.OracleVerify(t, append(files, "--trust", anchors, "--no-remote", "--compact")...)
	store := anchorsAllStore(t)
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		t.Run(rel, func(t *testing.T) {
			report, _ := out[f].(map[string]any)
			if report == nil {
				t.Fatalf("no oracle report for %s", f)
			}
			var want []string
			vr, _ := report["validation_results"].(map[string]any)
			active, _ := vr["activeManifest"].(map[string]any)
			for _, kind := range []string{"success", "informational", "failure"} {
				list, _ := active[kind].([]any)
				for _, x := range list {
					s, _ := x.(map[string]any)
					code, _ := s["code"].(string)
					if isSignatureStatus(code) {
						want = append(want, fmt.Sprintf("%s %s: %v", kind, code, s["explanation"]))
					}
				}
			}
			ms, err := cosetest.Manifests(f)
			if err != nil {
				t.Fatal(err)
			}
			m := ms[len(ms)-1]
			r := store.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: claimVersion(m.Claim)})
			var got []string
			for _, kind := range []string{"success", "informational", "failure"} {
				for _, e := range r.Entries {
					if e.Kind.String() == kind {
						got = append(got, fmt.Sprintf("%s %s: %s", kind, e.Code, e.Explanation))
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries differ\n got: %q\nwant: %q", got, want)
			}
		})
	}
}
