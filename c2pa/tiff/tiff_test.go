package tiff_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/tiff"
)

// classic builds a little-endian TIFF whose IFDs are given as entry lists
// (tag, type, count, value) and chained in order; each IFD follows the
// previous one.
func classic(ifds ...[][4]uint32) []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00\x08\x00\x00\x00")
	for i, entries := range ifds {
		b = le.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = le.AppendUint16(b, uint16(e[0]))
			b = le.AppendUint16(b, uint16(e[1]))
			b = le.AppendUint32(b, e[2])
			b = le.AppendUint32(b, e[3])
		}
		next := uint32(0)
		if i < len(ifds)-1 {
			next = uint32(len(b) + 4)
		}
		b = le.AppendUint32(b, next)
	}
	return b
}

var page = [][4]uint32{{256, 3, 1, 1}, {257, 3, 1, 1}}

func readStore(b []byte) ([]byte, error) {
	return tiff.Handler{}.ReadStore(bytes.NewReader(b), int64(len(b)))
}

// TestPlanPlacement checks where stores go: a clone of IFD0 for one page,
// a last IFD with only the tag for several, the store last, and the
// exclusions over the store and the entry's count field.
func TestPlanPlacement(t *testing.T) {
	store := assettest.Store
	tests := []struct {
		name    string
		in      []byte
		entries int // entries of the IFD holding the store
	}{
		{"single page", classic(page), 3},
		{"two pages", classic(page, page), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := assettest.Apply(t, tiff.Handler{}, tt.in, store)
			if !bytes.Equal(out[:len(tt.in)][8:], tt.in[8:]) && tt.name == "single page" {
				t.Error("single page: bytes after the header changed")
			}
			if !bytes.HasSuffix(out, store) || p.Carrier != (asset.Range{Start: int64(len(out) - len(store)), Length: int64(len(store))}) {
				t.Fatalf("store is not last: carrier %v of %d", p.Carrier, len(out))
			}
			if len(p.Exclusions) != 2 || binary.LittleEndian.Uint32(out[p.Exclusions[1].Start:]) != uint32(len(store)) {
				t.Fatalf("exclusions %v do not cover the count", p.Exclusions)
			}
			ifd := p.Carrier.Start - int64(2+12*tt.entries+4)
			if ifd%4 != 0 || binary.LittleEndian.Uint16(out[ifd:]) != uint16(tt.entries) {
				t.Errorf("IFD at %d: % x", ifd, out[ifd:ifd+2])
			}
			if got, err := readStore(out); err != nil || !bytes.Equal(got, store) {
				t.Fatalf("ReadStore: %v", err)
			}
			// Same size: in place. Another size: the old IFD and store are cut.
			p2, same := assettest.Apply(t, tiff.Handler{}, out, store)
			if !bytes.Equal(same, out) || p2.Carrier != p.Carrier {
				t.Error("same-size replacement is not in place")
			}
			_, removed := assettest.Apply(t, tiff.Handler{}, out, nil)
			if _, err := readStore(removed); !errors.Is(err, asset.ErrNoStore) {
				t.Errorf("after removal: %v", err)
			}
			_, again := assettest.Apply(t, tiff.Handler{}, removed, store)
			if got, err := readStore(again); err != nil || !bytes.Equal(got, store) {
				t.Errorf("re-embedding: %v", err)
			}
		})
	}
}

func TestHostile(t *testing.T) {
	loop := classic(page, page)
	binary.LittleEndian.PutUint32(loop[len(loop)-4:], 8) // last IFD points back to the first
	wrongType := classic([][4]uint32{{256, 3, 1, 1}, {tiff.Tag, 1, 16, 8}})
	pastEnd := classic([][4]uint32{{tiff.Tag, 7, 1 << 20, 8}})
	subIFDs := classic([][4]uint32{{0x014A, 4, 1001, 8}})
	subIFDs = append(subIFDs, make([]byte, 4*1001)...)
	big := []byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, asset.ErrMalformed},
		{"bad magic", []byte("II*\x01\x08\x00\x00\x00"), asset.ErrMalformed},
		{"IFD past the end", []byte("II*\x00\xff\x00\x00\x00"), asset.ErrMalformed},
		{"cyclic chain", loop, asset.ErrMalformed},
		{"C2PA not UNDEFINED", wrongType, asset.ErrMalformed},
		{"store past the end", pastEnd, asset.ErrMalformed},
		{"too many subfiles (c2pa-rs InvalidAsset)", subIFDs, asset.ErrMalformed},
		{"c2pa-rs IFD bomb", assettest.ReadFixture(t, "tiff/rs-tiff_poc.tiff"), asset.ErrMalformed},
		{"BigTIFF without store", big, asset.ErrNoStore},
		{"no store", assettest.ReadFixture(t, "tiff/rs-TUSCANY.TIF"), asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readStore(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *asset.FormatError
			if tt.want == asset.ErrMalformed && !errors.As(err, &fe) {
				t.Errorf("err %T is not a *asset.FormatError", err)
			}
			if strings.Contains(tt.name, "subfiles") || strings.Contains(tt.name, "bomb") {
				// c2pa-rs: InvalidAsset("TIFF file has too many subfiles")
				if !strings.Contains(err.Error(), "TIFF file has too many subfiles") {
					t.Errorf("err = %v, want c2pa-rs's message", err)
				}
			}
		})
	}
}

// TestBigTIFF embeds a store in a BigTIFF file: 8-byte counts and offsets.
func TestBigTIFF(t *testing.T) {
	le := binary.LittleEndian
	b := []byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00")
	b = le.AppendUint64(b, 1)
	b = append(b, 0x00, 0x01, 3, 0)
	b = le.AppendUint64(b, 1)
	b = le.AppendUint64(b, 7)
	b = le.AppendUint64(b, 0)
	p, out := assettest.Apply(t, tiff.Handler{}, b, assettest.Store)
	if len(p.Exclusions) != 2 || p.Exclusions[1].Length != 8 || le.Uint64(out[p.Exclusions[1].Start:]) != uint64(len(assettest.Store)) {
		t.Fatalf("exclusions %v", p.Exclusions)
	}
	if got, err := readStore(out); err != nil || !bytes.Equal(got, assettest.Store) {
		t.Fatalf("ReadStore: %v", err)
	}
}

func TestReadMediaType(t *testing.T) {
	for rel, want := range map[string]string{"dng/py-C.dng": "image/x-adobe-dng", "tiff/rs-TUSCANY.TIF": "image/tiff"} {
		in := assettest.ReadFixture(t, rel)
		if got := (tiff.Handler{}).ReadMediaType(bytes.NewReader(in), int64(len(in))); got != want {
			t.Errorf("%s: %q, want %q", rel, got, want)
		}
	}
}

func FuzzTIFF(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "tiff/rs-tiff_poc.tiff")[:4096])
	f.Add(assettest.ReadFixture(f, "tiff/ts-c2pa_signed_ed25519.tiff"))
	f.Add(classic(page, page))
	_, withStore := assettest.Apply(f, tiff.Handler{}, classic(page), assettest.Store)
	f.Add(withStore)
	assettest.Fuzz(f, tiff.Handler{})
}
