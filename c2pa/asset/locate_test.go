package asset_test

import (
	"bytes"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/jumbf"
)

// TestLocateMatchesDataHash checks Locate against what the signers of the
// fixtures wrote: where the active manifest has a c2pa.hash.data binding
// with one exclusion, that exclusion is the store's carrier. Sidecars are
// left out (their binding is to another file) and so are files c2pa-rs
// fails to read (jpeg/rs-no_alg.jpg had its store edited after signing, so
// its exclusion is stale).
func TestLocateMatchesDataHash(t *testing.T) {
	checked := 0
	for _, fx := range fixtures(t) {
		if !fx.HasManifest || fx.OracleState == "error" || fx.MediaType == "application/c2pa" {
			continue
		}
		data := assettest.ReadFixture(t, fx.File)
		h, _ := asset.Lookup(fx.MediaType)
		r := bytes.NewReader(data)
		loc, err := asset.Locate(h, r, int64(len(data)))
		if err != nil {
			t.Fatalf("%s: Locate: %v", fx.File, err)
		}
		raw, err := h.ReadStore(r, int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		store, err := jumbf.ParseSuperBox(raw, jumbf.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		ms := store.Manifests()
		a := ms[len(ms)-1].Child("c2pa.assertions").Child("c2pa.hash.data")
		if a == nil || a.ContentBox("cbor") == nil {
			continue
		}
		var dh struct {
			Exclusions []struct {
				Start  int64 `cbor:"start"`
				Length int64 `cbor:"length"`
			} `cbor:"exclusions"`
		}
		if err := cbor.Unmarshal(a.ContentBox("cbor").Payload, &dh); err != nil {
			t.Fatalf("%s: %v", fx.File, err)
		}
		if len(dh.Exclusions) != 1 {
			continue
		}
		checked++
		if e := (asset.Range{Start: dh.Exclusions[0].Start, Length: dh.Exclusions[0].Length}); e != loc {
			t.Errorf("%s: Locate = %v, data hash excludes %v", fx.File, loc, e)
		}
	}
	if checked < 20 {
		t.Errorf("only %d fixtures checked", checked)
	}
	t.Logf("%d data-hash exclusions match Locate", checked)
}
