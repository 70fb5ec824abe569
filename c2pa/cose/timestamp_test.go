package cose_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/cose/cosetest"
	"provgraph/internal/testenv"
)

// TestTimeStampFixtures checks every time-stamp in the fixtures' active
// signatures: it parses, and verifies against the counter-signature data of
// its version unless the oracle reported the signature as a mismatch (the
// E-sig files, whose time-stamp no longer matches either).
func TestTimeStampFixtures(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	fixtures, err := cosetest.AllFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	for _, fx := range fixtures {
		ms, err := cosetest.Manifests(filepath.Join(dir, fx.File))
		if err != nil {
			t.Fatalf("%s: %v", fx.File, err)
		}
		m := ms[len(ms)-1]
		sig, err := cose.Parse(m.Signature)
		if err != nil {
			continue // covered by TestVerifyFixtures
		}
		h, ok, err := sig.TimeStampHeader()
		if !ok {
			continue
		}
		if err != nil || len(h.Tokens) != 1 {
			t.Errorf("%s: time-stamp header: %v, %d tokens", fx.File, err, len(h.Tokens))
			continue
		}
		seen[h.Version]++
		ts, err := cose.ParseTimeStamp(h.Tokens[0])
		if err != nil {
			t.Errorf("%s: ParseTimeStamp: %v", fx.File, err)
			continue
		}
		err = ts.Verify(sig.CounterSignatureData(h.Version, m.Claim))
		if fx.Has("claimSignature.mismatch") {
			if !errors.Is(err, cose.ErrTimeStampMismatch) {
				t.Errorf("%s: Verify = %v, want ErrTimeStampMismatch", fx.File, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Verify: %v", fx.File, err)
			continue
		}
		if ts.SignerName() == "" || ts.Time.IsZero() || len(ts.Chain) == 0 {
			t.Errorf("%s: signer %q, time %v, chain %d", fx.File, ts.SignerName(), ts.Time, len(ts.Chain))
		}
	}
	if seen[1] == 0 || seen[2] == 0 {
		t.Errorf("fixtures cover time-stamp versions %v, want both 1 and 2", seen)
	}
}

func TestParseTimeStampRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {0x30, 0x00}, {0x30, 0x03, 0x02, 0x01, 0x02}, []byte("not der")} {
		if _, err := cose.ParseTimeStamp(b); !errors.Is(err, cose.ErrTimeStampMalformed) {
			t.Errorf("ParseTimeStamp(%x) = %v, want ErrTimeStampMalformed", b, err)
		}
	}
}

// TestTimeStampWithoutSignerCertificate: a token whose signer certificate is
// missing is not usable, and says so with ErrNoTimeStamp.
func TestTimeStampWithoutSignerCertificate(t *testing.T) {
	tsa, err := cosetest.NewTSA(time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tsa.OmitLeaf = true
	resp, err := tsa.TimeStamp(context.Background(), []byte("data"))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := cose.ParseTimeStamp(resp)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Verify([]byte("data")); !errors.Is(err, cose.ErrNoTimeStamp) {
		t.Errorf("Verify = %v, want ErrNoTimeStamp", err)
	}
}
