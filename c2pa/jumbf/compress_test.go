package jumbf_test

import (
	"bytes"
	"errors"
	"testing"

	"provgraph/c2pa/jumbf"
)

func TestCompressRoundTrip(t *testing.T) {
	m := jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:x", nil,
		jumbf.NewSuperBox(jumbf.AssertionStore, "c2pa.assertions", nil,
			jumbf.NewSuperBox(jumbf.JSONAssertion, "a", bytes.Repeat([]byte{9}, 16), jumbf.NewContentBox("json", bytes.Repeat([]byte(`{"k":1}`), 500)))))
	c, err := jumbf.Compress(m)
	if err != nil {
		t.Fatal(err)
	}
	if c.Label() != m.Label() || c.Desc.Type != jumbf.CompressedManifest || c.Size() >= m.Size() {
		t.Fatalf("compressed box %v of %d bytes for %d", c, c.Size(), m.Size())
	}
	parsed, err := jumbf.Parse(c.Bytes(), jumbf.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	d, err := jumbf.Decompress(parsed, jumbf.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Bytes(), m.Bytes()) {
		t.Error("decompressed manifest differs")
	}
	if _, err := jumbf.Decompress(parsed, jumbf.Limits{MaxDecompressed: 100}); !errors.Is(err, jumbf.ErrTooLarge) {
		t.Errorf("bounded decompression: err = %v", err)
	}
	store := jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil, c)
	a, err := jumbf.Resolve(store, "", "self#jumbf=/c2pa/urn:c2pa:x/c2pa.assertions/a")
	if err != nil || a.ContentBox("json") == nil {
		t.Errorf("Resolve through a compressed manifest: %v, %v", a, err)
	}
}

func TestDecompressErrors(t *testing.T) {
	notBrotli := jumbf.NewSuperBox(jumbf.CompressedManifest, "m", nil, jumbf.NewContentBox("brob", []byte("not brotli at all")))
	twoBoxes := jumbf.NewSuperBox(jumbf.CompressedManifest, "m", nil, jumbf.NewContentBox("brob", nil), jumbf.NewContentBox("brob", nil))
	store, _ := jumbf.Compress(jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil))
	store.Desc.Type = jumbf.CompressedManifest
	tests := []struct {
		name string
		box  *jumbf.Box
		want error
	}{
		{"not compressed", jumbf.NewSuperBox(jumbf.StandardManifest, "m", nil), jumbf.ErrCompressed},
		{"not brotli", notBrotli, jumbf.ErrCompressed},
		{"two boxes", twoBoxes, jumbf.ErrCompressed},
		{"not a manifest inside", store, jumbf.ErrCompressed},
	}
	for _, tt := range tests {
		if _, err := jumbf.Decompress(tt.box, jumbf.DefaultLimits); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}
