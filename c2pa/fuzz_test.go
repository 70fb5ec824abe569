package c2pa_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset"
	"provgraph/internal/testenv"
)

// seedStores returns the manifest stores of a few signed fixtures. They are
// ES256-signed on purpose: under fuzzing instrumentation RSA-4096 checks
// (PS256 fixtures) slow the engine to a few executions a minute.
func seedStores(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, rel := range []string{"jpeg/ts-trustnxt-icon-signed-timestamp.jpg", "jpeg/rs-C_with_CAWG_data.jpg", "jpeg/lr-PXL_20260208_202351558.jpg"} {
		data, err := os.ReadFile(testenv.Fixture(f, filepath.Join("c2pa", rel)))
		if err != nil {
			f.Fatal(err)
		}
		h, err := asset.Detect(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			f.Fatal(err)
		}
		store, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, store)
	}
	return out
}

// FuzzClaimCBOR decodes arbitrary claim CBOR; it must never panic, and a
// decoded claim must re-encode (v2) without error.
func FuzzClaimCBOR(f *testing.F) {
	for _, store := range seedStores(f) {
		s, err := c2pa.ParseStore(store, nil)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range s.Manifests {
			f.Add(m.Claim.Raw)
		}
	}
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := c2pa.DecodeClaim(data)
		if err != nil || c == nil {
			return
		}
		if c.Version == 2 && len(c.ClaimGeneratorInfo) == 1 {
			if _, err := c.EncodeV2(); err != nil {
				t.Fatalf("re-encoding a decoded v2 claim: %v", err)
			}
		}
	})
}

// FuzzRead reads arbitrary bytes as a bare manifest store and as a JPEG
// carrying them; it must never panic and either report or return an error.
func FuzzRead(f *testing.F) {
	for _, store := range seedStores(f) {
		f.Add(store)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		opts := c2pa.NoCryptoReadOptions()
		rep, err := c2pa.ReadStore(ctx, data, opts)
		if err == nil {
			if rep == nil {
				t.Fatal("nil report without error")
			}
			if _, err := rep.JSON(); err != nil {
				t.Fatalf("report JSON: %v", err)
			}
		}
		_, _ = c2pa.Read(ctx, bytes.NewReader(data), int64(len(data)), "image/jpeg", opts)
	})
}

// FuzzSign signs arbitrary bytes taken as a JPEG (seeded with signed and
// unsigned files): errors are fine, panics are not, and a signed output
// must read back.
func FuzzSign(f *testing.F) {
	for _, rel := range []string{"jpeg/rs-no_manifest.jpg", "jpeg/rs-C_with_CAWG_data.jpg"} {
		data, err := os.ReadFile(testenv.Fixture(f, filepath.Join("c2pa", rel)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	chain, err := os.ReadFile(testenv.Fixture(f, "certs/c2pa-rs/es256.pub"))
	if err != nil {
		f.Fatal(err)
	}
	key, err := os.ReadFile(testenv.Fixture(f, "certs/c2pa-rs/es256.pem"))
	if err != nil {
		f.Fatal(err)
	}
	signer, err := c2pa.LoadSigner(chain, key)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out bytes.Buffer
		ctx := context.Background()
		if err := c2pa.Sign(ctx, bytes.NewReader(data), int64(len(data)), "image/jpeg", &out, nil, signer); err != nil {
			return
		}
		if _, err := c2pa.Read(ctx, bytes.NewReader(out.Bytes()), int64(out.Len()), "image/jpeg", c2pa.NoCryptoReadOptions()); err != nil {
			t.Fatalf("signed output does not read back: %v", err)
		}
	})
}
