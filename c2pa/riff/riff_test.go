package riff_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/riff"
)

// chunk builds a RIFF chunk, padded to an even length.
func chunk(id string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint32([]byte(id), uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// file builds a RIFF file of form form with the given children.
func file(form string, children ...[]byte) []byte {
	body := append([]byte(form), bytes.Join(children, nil)...)
	return chunk("RIFF", body)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	vp8x = chunk("VP8X", make([]byte, 10))
	vp8l = chunk("VP8L", []byte{0x2f, 0, 0, 0, 0})
	xmp  = chunk("XMP ", []byte(`<rdf:Description dcterms:provenance="https://example.com/m.c2pa"/>`))
)

func embed(t testing.TB, in, store []byte) (*asset.Plan, []byte) {
	t.Helper()
	return assettest.Apply(t, riff.Handler{}, in, store)
}

// TestPlanPlacement checks that the C2PA chunk becomes the last child of
// the RIFF chunk with its pad byte, that the RIFF size follows, and that
// the exclusion covers the chunk header and data but not the pad (§A.3.6).
func TestPlanPlacement(t *testing.T) {
	store := assettest.Store // odd length
	if len(store)%2 != 1 {
		t.Fatal("test store must have an odd length")
	}
	old := chunk("C2PA", []byte("old"))
	avix := chunk("AVIX", []byte("more frames"))
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{"webp without store", file("WEBP", vp8x, vp8l), file("WEBP", vp8x, vp8l, chunk("C2PA", store))},
		{"old store in the middle", file("WEBP", vp8x, old, vp8l), file("WEBP", vp8x, vp8l, chunk("C2PA", store))},
		{"avi keeps what follows", cat(file("AVI ", vp8x), chunk("RIFF", append([]byte("AVIX"), avix...))),
			cat(file("AVI ", vp8x, chunk("C2PA", store)), chunk("RIFF", append([]byte("AVIX"), avix...)))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := embed(t, tt.in, store)
			if !bytes.Equal(out, tt.want) {
				t.Fatalf("output\n% x\nwant\n% x", out, tt.want)
			}
			at := int64(bytes.Index(out, []byte("C2PA")))
			if e := (asset.Range{Start: at, Length: int64(8 + len(store))}); len(p.Exclusions) != 1 || p.Exclusions[0] != e {
				t.Errorf("exclusions %v, want [%v]", p.Exclusions, e)
			}
		})
	}
	// Removal restores the file without a store.
	_, out := embed(t, file("WEBP", vp8x, old, vp8l), nil)
	if want := file("WEBP", vp8x, vp8l); !bytes.Equal(out, want) {
		t.Errorf("removal gave % x", out)
	}
}

// TestMissingPad checks a file whose odd last chunk lacks its pad byte: the
// pad is restored before the C2PA chunk so that it stays aligned.
func TestMissingPad(t *testing.T) {
	odd := chunk("ICCP", []byte("abc"))
	in := file("WEBP", vp8x, odd)
	in = in[:len(in)-1]
	binary.LittleEndian.PutUint32(in[4:], uint32(len(in)-8))
	_, out := embed(t, in, assettest.Store)
	if want := file("WEBP", vp8x, odd, chunk("C2PA", assettest.Store)); !bytes.Equal(out, want) {
		t.Fatalf("output\n% x\nwant\n% x", out, want)
	}
}

func TestFixturesAndHostile(t *testing.T) {
	_, one := embed(t, file("WEBP", vp8x, vp8l), assettest.Store)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, asset.ErrMalformed},
		{"not RIFF", []byte("RIFX\x04\x00\x00\x00WEBP"), asset.ErrMalformed},
		{"size past end (c2pa-rs: Invalid RIFF format)", assettest.ReadFixture(t, "wav/rs-sample3.invalid.wav"), asset.ErrMalformed},
		{"chunk past end", file("WEBP", []byte("VP8L\xff\xff\x00\x00")), asset.ErrMalformed},
		{"no store", assettest.ReadFixture(t, "webp/rs-test.webp"), asset.ErrNoStore},
		{"store", one, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := riff.Handler{}.ReadStore(bytes.NewReader(tt.in), int64(len(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *asset.FormatError
			if tt.want == asset.ErrMalformed && !errors.As(err, &fe) {
				t.Errorf("err %T is not a *asset.FormatError", err)
			}
			if tt.want == nil && !bytes.Equal(got, assettest.Store) {
				t.Error("store differs")
			}
		})
	}
}

func TestRemoteURLAndBoxMap(t *testing.T) {
	in := file("WEBP", vp8x, xmp, vp8l)
	url, err := riff.Handler{}.RemoteURL(bytes.NewReader(in), int64(len(in)))
	if err != nil || url != "https://example.com/m.c2pa" {
		t.Errorf("RemoteURL = %q, %v", url, err)
	}
	_, out := embed(t, cat(file("WAVE", chunk("fmt ", make([]byte, 16)), chunk("LIST", []byte("INFOISFT\x02\x00\x00\x00x\x00")), chunk("data", []byte{1, 2}))), assettest.Store)
	spans, err := riff.Handler{}.BoxMap(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "WAVE,fmt ,INFO,data,C2PA" {
		t.Errorf("names %q", got)
	}
	last := spans[len(spans)-1].Range
	if last.End() != int64(len(out)) || last.Length != int64(8+len(assettest.Store)+1) {
		t.Errorf("C2PA span %v in %d bytes", last, len(out))
	}
}

// TestBoxMapAVI checks that every top-level RIFF chunk of an AVI (the
// AVIX continuations too) is an L0 box followed by its L1 boxes.
func TestBoxMapAVI(t *testing.T) {
	in := cat(file("AVI ", chunk("hdrl", []byte("h")), chunk("C2PA", assettest.Store)),
		file("AVIX", chunk("LIST", []byte("movi00dc")), chunk("idx1", nil)), []byte("junk"))
	spans, err := riff.Handler{}.BoxMap(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var end int64
	for _, s := range spans {
		names = append(names, s.Name)
		if s.Range.Start != end {
			t.Errorf("%s starts at %d, previous box ends at %d", s.Name, s.Range.Start, end)
		}
		end = s.Range.End()
	}
	if got := strings.Join(names, ","); got != "AVI ,hdrl,C2PA,AVIX,movi,idx1" || end != int64(len(in)-4) {
		t.Errorf("names %q ending at %d", got, end)
	}
}

func FuzzRIFF(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "webp/rs-test.webp"))
	f.Add(assettest.ReadFixture(f, "wav/rs-bench-100kb-signed.wav")[:2048])
	f.Add(assettest.ReadFixture(f, "webp/rs-sample1.webp")[:1024])
	_, withStore := embed(f, file("WEBP", vp8x, xmp, vp8l), assettest.Store)
	f.Add(withStore)
	assettest.Fuzz(f, riff.Handler{})
}
