package jumbf_test

import (
	"bytes"
	"testing"

	"provgraph/c2pa/asset"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/jumbf"
)

// storeFixtures returns the manifest stores of every fixture INDEX.tsv marks
// as carrying one in a container this engine reads, keyed by file.
func storeFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, fx := range assettest.Fixtures(t) {
		if !fx.HasManifest {
			continue
		}
		h, _ := asset.Lookup(fx.MediaType)
		data := assettest.ReadFixture(t, fx.File)
		store, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", fx.File, err)
		}
		out[fx.File] = store
	}
	return out
}

// notCanonical lists fixture stores whose bytes Box.Bytes does not
// reproduce, and why; every other fixture store must round-trip exactly.
// It is empty: every writer behind the fixtures (c2pa-rs of several ages,
// Adobe's pre-1.0 tools, Nikon, Google, Microsoft, Amazon, c2pa-js) wrote
// 32-bit sizes, description fields in order and no bytes the parser skips.
// A non-canonical store (XLBox sizes, trailing bytes in a jumd) would be
// listed here with the reason.
var notCanonical = map[string]string{}

func TestParseFixtureStores(t *testing.T) {
	stores := storeFixtures(t)
	if len(stores) < 40 {
		t.Fatalf("only %d fixture stores", len(stores))
	}
	for file, data := range stores {
		t.Run(file, func(t *testing.T) {
			store, err := jumbf.ParseSuperBox(data, jumbf.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if why, ok := notCanonical[file]; ok {
				if bytes.Equal(store.Bytes(), data) {
					t.Errorf("listed as not canonical (%s) but round-trips", why)
				}
				return
			}
			checkStore(t, store, data)
		})
	}
}
