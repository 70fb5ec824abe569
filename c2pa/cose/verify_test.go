package cose_test

import (
	"errors"
	"path/filepath"
	"testing"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/internal/testenv"
)

// TestVerifyFixtures verifies the active claim signature of every signed
// fixture the tests can read: it must verify iff the oracle did not report
// claimSignature.mismatch (pt-adobe-20220124-E-sig-CA.jpg must fail).
// Two files the oracle cannot read at all fail here for their own reasons:
// rs-no_alg.jpg (its claim lacks the hash alg, which the engine core reports)
// carries a DER-encoded ECDSA signature, and rs-prerelease.jpg has bytes after
// its COSE_Sign1, which coset rejects as extraneous data.
func TestVerifyFixtures(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	fixtures, err := cosetest.AllFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) < 30 {
		t.Fatalf("only %d signed JPEG/PNG fixtures", len(fixtures))
	}
	for _, fx := range fixtures {
		t.Run(fx.File, func(t *testing.T) {
			ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
			if err != nil {
				t.Fatal(err)
			}
			m := ms[len(ms)-1]
			sig, err := cose.Parse(m.Signature)
			if filepath.Base(fx.File) == "rs-prerelease.jpg" {
				if !errors.Is(err, cose.ErrMalformed) {
					t.Errorf("Parse = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !sig.Detached {
				t.Error("payload is not detached")
			}
			err = sig.Verify(m.Claim)
			switch {
			case filepath.Base(fx.File) == "rs-no_alg.jpg":
				if !errors.Is(err, cose.ErrDERSignature) {
					t.Errorf("Verify = %v, want ErrDERSignature", err)
				}
			case fx.Has("claimSignature.mismatch"):
				if !errors.Is(err, cose.ErrSignatureMismatch) {
					t.Errorf("Verify = %v, want ErrSignatureMismatch", err)
				}
			case err != nil:
				t.Errorf("Verify: %v", err)
			}
		})
	}
}
