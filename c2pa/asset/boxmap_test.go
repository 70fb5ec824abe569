package asset_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/jumbf"
)

// boxHash is the c2pa.hash.boxes assertion (C2PA-NOTES §4.2).
type boxHash struct {
	Boxes []struct {
		Names    []string `cbor:"names"`
		Alg      string   `cbor:"alg"`
		Hash     []byte   `cbor:"hash"`
		Excluded bool     `cbor:"excluded"`
	} `cbor:"boxes"`
}

func newHash(t *testing.T, alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	t.Fatalf("unknown alg %q", alg)
	return nil
}

// activeBoxHash returns the c2pa.hash.boxes assertion of the active
// manifest and the claim's alg, or ok false when there is none.
func activeBoxHash(t *testing.T, raw []byte) (bh boxHash, claimAlg string, ok bool) {
	store, err := jumbf.ParseSuperBox(raw, jumbf.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	ms := store.Manifests()
	active := ms[len(ms)-1]
	if active.Desc.Type == jumbf.CompressedManifest {
		if active, err = jumbf.Decompress(active, jumbf.DefaultLimits); err != nil {
			t.Fatal(err)
		}
	}
	a := active.Child("c2pa.assertions").Child("c2pa.hash.boxes")
	if a == nil {
		return bh, "", false
	}
	if err := cbor.Unmarshal(a.ContentBox("cbor").Payload, &bh); err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"c2pa.claim.v2", "c2pa.claim"} {
		if c := active.Child(label); c != nil {
			var claim struct {
				Alg string `cbor:"alg"`
			}
			if err := cbor.Unmarshal(c.ContentBox("cbor").Payload, &claim); err != nil {
				t.Fatal(err)
			}
			claimAlg = claim.Alg
		}
	}
	return bh, claimAlg, true
}

// TestBoxMapMatchesBoxHash verifies every fixture whose active manifest has
// a c2pa.hash.boxes binding against BoxMap as c2pa-rs verifies it: each
// listed name must be the next box, and each entry's hash must match the
// bytes from its first box to its last; the C2PA box and excluded entries
// are not hashed. (jpeg/rs-boxhash.jpg, despite its name, carries a
// c2pa.hash.data binding; the Bing Image Creator JPEG is the fixture with
// a real box hash, which the oracle reports as assertion.boxesHash.match.
// TestOracleBoxHash has c2pa-rs box-hash rs-boxhash.jpg and others afresh.)
func TestBoxMapMatchesBoxHash(t *testing.T) {
	checked := 0
	for _, fx := range fixtures(t) {
		if !fx.HasManifest {
			continue
		}
		data := assettest.ReadFixture(t, fx.File)
		h, _ := asset.Lookup(fx.MediaType)
		r := bytes.NewReader(data)
		raw, err := h.ReadStore(r, int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		bh, claimAlg, ok := activeBoxHash(t, raw)
		if !ok {
			continue
		}
		checked++
		t.Run(fx.File, func(t *testing.T) { verifyBoxHash(t, h, data, bh, claimAlg) })
	}
	if checked == 0 {
		t.Fatal("no fixture with a c2pa.hash.boxes binding")
	}
}

// verifyBoxHash checks a c2pa.hash.boxes binding against h's BoxMap of data
// the way c2pa-rs verifies it.
func verifyBoxHash(t *testing.T, h asset.Handler, data []byte, bh boxHash, claimAlg string) {
	t.Helper()
	spans, err := h.BoxMap(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	i, hashed := 0, 0
	for _, entry := range bh.Boxes {
		var incl asset.Range
		for k, name := range entry.Names {
			if i >= len(spans) || spans[i].Name != name {
				t.Fatalf("assertion lists %q as box %d; BoxMap has %v", name, i, spans)
			}
			if k == 0 {
				incl = spans[i].Range
			} else {
				incl.Length = spans[i].Range.End() - incl.Start
			}
			i++
		}
		if entry.Names[0] == asset.StoreBoxName || entry.Excluded {
			continue
		}
		alg := entry.Alg
		if alg == "" {
			alg = claimAlg
		}
		hh := newHash(t, alg)
		hh.Write(data[incl.Start:incl.End()])
		if !bytes.Equal(hh.Sum(nil), entry.Hash) {
			t.Errorf("entry %v over %v: hash mismatch", entry.Names, incl)
		}
		hashed++
	}
	if hashed == 0 || i != len(spans) {
		t.Errorf("checked %d hashes; the assertion covers %d of %d boxes", hashed, i, len(spans))
	}
}
