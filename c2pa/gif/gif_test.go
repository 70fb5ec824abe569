package gif_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/gif"
)

var (
	lsdGCT   = []byte{1, 0, 1, 0, 0x80, 0, 0} // 1x1, global color table of 2 entries
	gct      = []byte{0, 0, 0, 255, 255, 255}
	gce      = []byte{0x21, 0xF9, 4, 0, 0, 0, 0, 0}
	comment  = []byte{0x21, 0xFE, 2, 'h', 'i', 0}
	image    = []byte{0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0}
	trailer  = []byte{0x3B}
	c2paHead = []byte("\x21\xff\x0bC2PA_GIF\x01\x00\x00")
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ext frames data as the C2PA application extension.
func ext(data []byte) []byte {
	b := append([]byte(nil), c2paHead...)
	for len(data) > 0 {
		n := min(len(data), 255)
		b = append(append(b, byte(n)), data[:n]...)
		data = data[n:]
	}
	return append(b, 0)
}

// TestPlanPlacement checks that the extension goes right after the global
// color table and turns GIF87a into GIF89a, that an existing one is
// replaced in place, and that the exclusion is the whole extension.
func TestPlanPlacement(t *testing.T) {
	store := bytes.Repeat(assettest.Store, 5) // several sub-blocks
	body := cat(lsdGCT, gct, gce, image, trailer)
	tests := []struct {
		name     string
		in, want []byte
	}{
		{"87a", cat([]byte("GIF87a"), body), cat([]byte("GIF89a"), lsdGCT, gct, ext(store), gce, image, trailer)},
		{"no color table", cat([]byte("GIF89a"), []byte{1, 0, 1, 0, 0, 0, 0}, image, trailer),
			cat([]byte("GIF89a"), []byte{1, 0, 1, 0, 0, 0, 0}, ext(store), image, trailer)},
		{"replace in place", cat([]byte("GIF89a"), lsdGCT, gct, comment, ext([]byte("old")), image, trailer),
			cat([]byte("GIF89a"), lsdGCT, gct, comment, ext(store), image, trailer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := assettest.Apply(t, gif.Handler{}, tt.in, store)
			if !bytes.Equal(out, tt.want) {
				t.Fatalf("output\n% x\nwant\n% x", out, tt.want)
			}
			at := int64(bytes.Index(out, c2paHead))
			if e := (asset.Range{Start: at, Length: int64(len(ext(store)))}); len(p.Exclusions) != 1 || p.Exclusions[0] != e {
				t.Errorf("exclusions %v, want [%v]", p.Exclusions, e)
			}
			if got, err := (gif.Handler{}).ReadStore(bytes.NewReader(out), int64(len(out))); err != nil || !bytes.Equal(got, store) {
				t.Errorf("ReadStore: %v", err)
			}
		})
	}
}

func TestReadStore(t *testing.T) {
	afterImage := cat([]byte("GIF89a"), lsdGCT, gct, image, ext(assettest.Store), trailer)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, asset.ErrMalformed},
		{"not GIF", []byte("GIF90a\x01\x00\x01\x00\x00\x00\x00"), asset.ErrMalformed},
		{"bad block", cat([]byte("GIF89a"), lsdGCT, gct, []byte{0x99}), asset.ErrMalformed},
		{"sub-block past the end", cat([]byte("GIF89a"), lsdGCT, gct, c2paHead, []byte{200, 1}), asset.ErrMalformed},
		{"color table past the end", cat([]byte("GIF89a"), []byte{1, 0, 1, 0, 0x87, 0, 0}), asset.ErrMalformed},
		{"only after the first image (ignored)", afterImage, asset.ErrNoStore},
		{"no store", assettest.ReadFixture(t, "gif/ts-c2pa.gif"), asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gif.Handler{}.ReadStore(bytes.NewReader(tt.in), int64(len(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBoxMapAndRemoteURL(t *testing.T) {
	in := cat([]byte("GIF89a"), lsdGCT, gct, gce, image, trailer)
	names := func(b []byte) string {
		spans, err := gif.Handler{}.BoxMap(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, s := range spans {
			n = append(n, s.Name)
		}
		return strings.Join(n, ",")
	}
	if got := names(in); got != "GIF89a,LSD,C2PA,21F9,2C,TBID,3B" {
		t.Errorf("unsigned: %s", got)
	}
	_, out := assettest.Apply(t, gif.Handler{}, in, assettest.Store)
	if got := names(out); got != "GIF89a,LSD,C2PA,21F9,2C,TBID,3B" {
		t.Errorf("signed: %s", got)
	}
	xmp := []byte(`<x:xmpmeta><rdf:Description dcterms:provenance="https://example.com/m.c2pa"/></x:xmpmeta>`)
	xmp = append(xmp, 1)
	for i := 255; i >= 0; i-- {
		xmp = append(xmp, byte(i))
	}
	xb := []byte("\x21\xff\x0bXMP DataXMP")
	for d := xmp; len(d) > 0; {
		n := min(len(d), 255)
		xb = append(append(xb, byte(n)), d[:n]...)
		d = d[n:]
	}
	with := cat([]byte("GIF89a"), lsdGCT, gct, append(xb, 0), image, trailer)
	if url, err := (gif.Handler{}).RemoteURL(bytes.NewReader(with), int64(len(with))); err != nil || url != "https://example.com/m.c2pa" {
		t.Errorf("RemoteURL = %q, %v", url, err)
	}
}

func FuzzGIF(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "gif/ts-c2pa.gif"))
	f.Add(cat([]byte("GIF87a"), lsdGCT, gct, comment, ext([]byte("old")), gce, image, trailer))
	_, withStore := assettest.Apply(f, gif.Handler{}, cat([]byte("GIF89a"), lsdGCT, gct, image, trailer), assettest.Store)
	f.Add(withStore)
	assettest.Fuzz(f, gif.Handler{})
}
