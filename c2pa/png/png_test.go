package png_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/png"
)

// chunk builds a PNG chunk with a correct CRC.
func chunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

var (
	sig  = []byte(png.Signature)
	ihdr = chunk("IHDR", []byte{0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0})
	text = chunk("tEXt", []byte("Comment\x00hello"))
	idat = chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 4, 0, 1})
	iend = chunk("IEND", nil)
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func embed(t testing.TB, in, store []byte) (*asset.Plan, []byte) {
	t.Helper()
	return assettest.Apply(t, png.Handler{}, in, store)
}

// TestPlanPlacement checks that caBX lands right after IHDR, wherever an old
// one was, and that the exclusion is the whole chunk (§A.3.2).
func TestPlanPlacement(t *testing.T) {
	store := assettest.Store
	cabx := chunk("caBX", store)
	old := chunk("caBX", []byte("old store"))
	tests := []struct {
		name string
		in   []byte
	}{
		{"no store", cat(sig, ihdr, text, idat, iend)},
		{"old store after IHDR", cat(sig, ihdr, old, text, idat, iend)},
		{"old store later", cat(sig, ihdr, text, old, idat, iend)},
		{"old store before IHDR", cat(sig, old, ihdr, text, idat, iend)},
		{"two old stores", cat(sig, ihdr, old, text, old, idat, iend)},
	}
	want := cat(sig, ihdr, cabx, text, idat, iend)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := embed(t, tt.in, store)
			if !bytes.Equal(out, want) {
				t.Fatalf("output\n% x\nwant\n% x", out, want)
			}
			if e := (asset.Range{Start: int64(len(sig) + len(ihdr)), Length: int64(len(cabx))}); len(p.Exclusions) != 1 || p.Exclusions[0] != e {
				t.Errorf("exclusions %v, want [%v]", p.Exclusions, e)
			}
			_, stripped := embed(t, tt.in, nil)
			if !bytes.Equal(stripped, cat(sig, ihdr, text, idat, iend)) {
				t.Errorf("removal left % x", stripped)
			}
		})
	}
}

func TestRemoteURL(t *testing.T) {
	xmp := `<x:xmpmeta><rdf:RDF><rdf:Description dcterms:provenance="https://example.com/m.c2pa"/></rdf:RDF></x:xmpmeta>`
	itxt := chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmp))
	compressed := chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x01\x00\x00\x00"+xmp))
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"attribute", cat(sig, ihdr, itxt, idat, iend), "https://example.com/m.c2pa"},
		{"compressed is skipped", cat(sig, ihdr, compressed, idat, iend), ""},
		{"none", cat(sig, ihdr, idat, iend), ""},
		{"fixture", assettest.ReadFixture(t, "png/rs-libpng-test_with_url.png"), "http://localhost:5000/libpng-test.c2pa"},
	}
	for _, tt := range tests {
		got, err := png.Handler{}.RemoteURL(bytes.NewReader(tt.in), int64(len(tt.in)))
		if err != nil || got != tt.want {
			t.Errorf("%s: RemoteURL = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestHostile(t *testing.T) {
	_, one := embed(t, cat(sig, ihdr, idat, iend), assettest.Store)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, asset.ErrMalformed},
		{"bad signature", cat([]byte("\x89PNG\r\n\x1a\x00"), ihdr), asset.ErrMalformed},
		{"truncated chunk", cat(sig, ihdr[:10]), asset.ErrMalformed},
		{"no IEND", cat(sig, ihdr, idat), asset.ErrMalformed},
		{"length past end", cat(sig, ihdr, []byte{0x7f, 0xff, 0xff, 0xff, 'I', 'D', 'A', 'T'}), asset.ErrMalformed},
		{"two stores", cat(one[:len(one)-len(iend)], chunk("caBX", assettest.Store), iend), asset.ErrTooManyStores},
		{"no store", cat(sig, ihdr, idat, iend), asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := png.Handler{}.ReadStore(bytes.NewReader(tt.in), int64(len(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *asset.FormatError
			if tt.want != asset.ErrNoStore && !errors.As(err, &fe) {
				t.Errorf("err %T is not a *asset.FormatError", err)
			}
		})
	}
	if _, err := (png.Handler{}).Plan(bytes.NewReader(cat(sig, idat, iend)), int64(len(sig)+len(idat)+len(iend)), 10); !errors.Is(err, asset.ErrMalformed) {
		t.Errorf("Plan without IHDR: err = %v", err)
	}
}

func TestBoxMap(t *testing.T) {
	in := cat(sig, ihdr, text, idat, iend)
	spans, err := png.Handler{}.BoxMap(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); got != "PNGh IHDR C2PA tEXt IDAT IEND" {
		t.Errorf("names %s", got)
	}
	if !spans[2].Excluded || spans[2].Range != (asset.Range{Start: 33}) {
		t.Errorf("placeholder %+v", spans[2])
	}
	_, out := embed(t, in, assettest.Store)
	spans, err = png.Handler{}.BoxMap(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if spans[2].Name != asset.StoreBoxName || spans[2].Excluded || spans[2].Range.Length != int64(12+len(assettest.Store)) {
		t.Errorf("store span %+v", spans[2])
	}
}

func FuzzPNG(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "png/rs-libpng-test.png"))
	f.Add(assettest.ReadFixture(f, "png/rs-libpng-test_with_url.png"))
	f.Add(assettest.ReadFixture(f, "png/rs-bench-100kb-signed.png")[:2048])
	_, withStore := embed(f, cat(sig, ihdr, text, idat, iend), assettest.Store)
	f.Add(withStore)
	assettest.Fuzz(f, png.Handler{})
}
