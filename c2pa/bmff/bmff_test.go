package bmff_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/bmff"
	"provgraph/c2pa/jumbf"
)

// box builds a box of type typ around the payload parts.
func box(typ string, parts ...[]byte) []byte {
	body := bytes.Join(parts, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// largeBox builds a box with a 64-bit size.
func largeBox(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, 1)
	b = append(b, typ...)
	b = binary.BigEndian.AppendUint64(b, uint64(16+len(body)))
	return append(b, body...)
}

// full prefixes a FullBox payload with version and flags.
func full(version byte, flags uint32, body ...[]byte) []byte {
	return append([]byte{version, byte(flags >> 16), byte(flags >> 8), byte(flags)}, bytes.Join(body, nil)...)
}

func u32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

var ftyp = box("ftyp", []byte("isom"), u32(0x200), []byte("isommp41"))

// nested returns n moov boxes, each inside the previous.
func nested(n int) []byte {
	b := box("free")
	for range n {
		b = box("moov", b)
	}
	return b
}

func paths(t *bmff.Tree) []string {
	var out []string
	for i := range t.Boxes {
		out = append(out, t.Path(i))
	}
	return out
}

func TestParse(t *testing.T) {
	mdat := box("mdat", bytes.Repeat([]byte{7}, 40))
	tests := []struct {
		name  string
		file  []byte
		paths []string
		last  int64 // size of the last box (0: not checked)
		err   string
	}{
		{"movie", slices.Concat(ftyp, box("moov", box("mvhd", full(0, 0, make([]byte, 8))), box("trak", box("tkhd", full(0, 3)))), mdat),
			[]string{"/ftyp", "/moov", "/moov/mvhd", "/moov/trak", "/moov/trak/tkhd", "/mdat"}, 48, ""},
		{"64-bit size", slices.Concat(ftyp, largeBox("mdat", make([]byte, 10))), []string{"/ftyp", "/mdat"}, 26, ""},
		{"size 0 runs to the end", slices.Concat(ftyp, []byte{0, 0, 0, 0}, []byte("mdat"), make([]byte, 100)), []string{"/ftyp", "/mdat"}, 108, ""},
		{"trailing bytes", slices.Concat(ftyp, mdat, []byte{1, 2, 3}), []string{"/ftyp", "/mdat"}, 48, ""},
		{"truncated mdat is cut", slices.Concat(ftyp, mdat[:20]), []string{"/ftyp", "/mdat"}, 20, ""},
		{"quicktime meta without FullBox header", slices.Concat(ftyp, box("meta", box("hdlr", full(0, 0, make([]byte, 20))))), []string{"/ftyp", "/meta", "/meta/hdlr"}, 0, ""},
		{"31 nested containers", slices.Concat(ftyp, nested(31)), nil, 0, ""},
		{"32 nested containers", slices.Concat(ftyp, nested(32)), nil, 0, "too deply nested"},
		{"box past its parent", slices.Concat(ftyp, box("moov", u32(100), []byte("trak"))), nil, 0, "beyond asset bounds"},
		{"box past the end", slices.Concat(ftyp, u32(1000), []byte("moov")), nil, 0, "beyond asset bounds"},
		{"64-bit size past the end", slices.Concat(ftyp, u32(1), []byte("moov"), []byte{0xff, 0, 0, 0, 0, 0, 0, 0}), nil, 0, "beyond asset bounds"},
		{"64-bit size wrapping", slices.Concat(ftyp, u32(1), []byte("mdat"), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), nil, 0, "size overflow"},
		{"short ftyp", slices.Concat(box("ftyp", []byte("isom")), mdat), nil, 0, "ftyp size too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := bmff.Parse(bytes.NewReader(tt.file), int64(len(tt.file)))
			if tt.err != "" {
				var fe *asset.FormatError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want a FormatError with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.paths != nil && !slices.Equal(paths(tree), tt.paths) {
				t.Errorf("paths %v, want %v", paths(tree), tt.paths)
			}
			if last := tree.Boxes[tree.Top[len(tree.Top)-1]]; tt.last != 0 && last.Size != tt.last {
				t.Errorf("last box is %d bytes, want %d", last.Size, tt.last)
			}
		})
	}
}

// TestNestedMoovFixture reads c2pa-rs's 1000 nested moov boxes: refused as
// too deeply nested (c2pa-rs: InvalidAsset).
func TestNestedMoovFixture(t *testing.T) {
	data := assettest.ReadFixture(t, "mp4/rs-nested_moov_1000.mp4")
	_, err := bmff.Handler{}.ReadStore(bytes.NewReader(data), int64(len(data)))
	var fe *asset.FormatError
	if !errors.As(err, &fe) || !errors.Is(err, asset.ErrMalformed) || !strings.Contains(fe.Msg, "too deply nested") {
		t.Fatalf("err = %v", err)
	}
}

func TestSelect(t *testing.T) {
	trak := func(id byte) []byte { return box("trak", box("tkhd", full(0, 0, []byte{id})), box("mdia")) }
	file := slices.Concat(ftyp, box("moov", trak(1), trak(2), trak(3)), box("uuid", make([]byte, 16)), box("uuid", make([]byte, 16)))
	tree, err := bmff.Parse(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		xpath string
		want  []int64 // offsets of the selected boxes
	}{
		{"/moov/trak", []int64{32, 61, 90}},
		{"/moov/trak[2]", []int64{61}},
		{"/moov/trak[2]/tkhd", []int64{69}},
		{"/moov/trak/mdia", []int64{53, 82, 111}},
		{"/moov/trak[4]", nil},
		{"/moov/trak[0]", nil},
		{"/uuid", []int64{119, 143}},
		{"/uuid[2]", []int64{143}},
		{"/moo", nil},
		{"/mdat", nil},
	}
	for _, tt := range tests {
		var got []int64
		for _, i := range tree.Select(tt.xpath) {
			got = append(got, tree.Boxes[i].Offset)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Select(%q) = %v, want %v", tt.xpath, got, tt.want)
		}
	}
}

// c2paBox builds a C2PA uuid box with a purpose and, for stores, the
// merkle offset field.
func c2paBox(purpose string, data []byte) []byte {
	body := slices.Concat(bmff.C2PAUUID[:], []byte{0, 0, 0, 0}, []byte(purpose), []byte{0})
	if purpose != bmff.PurposeMerkle {
		body = append(body, make([]byte, 8)...)
	}
	return box("uuid", body, data)
}

func TestReadStore(t *testing.T) {
	store := assettest.Store
	mdat := box("mdat", make([]byte, 32))
	tests := []struct {
		name string
		file []byte
		err  error
	}{
		{"manifest", slices.Concat(ftyp, c2paBox("manifest", store), mdat), nil},
		{"after a merkle box", slices.Concat(ftyp, c2paBox("merkle", []byte{0xa0}), c2paBox("manifest", store), mdat), nil},
		{"none", slices.Concat(ftyp, mdat), asset.ErrNoStore},
		{"two manifests", slices.Concat(ftyp, c2paBox("manifest", store), c2paBox("manifest", store)), asset.ErrTooManyStores},
		{"update only", slices.Concat(ftyp, mdat, c2paBox("update", store)), asset.ErrMalformed},
		{"original only", slices.Concat(ftyp, c2paBox("original", store), mdat), asset.ErrMalformed},
		{"purpose without terminator", slices.Concat(ftyp, box("uuid", bmff.C2PAUUID[:], []byte{0, 0, 0, 0}, []byte("manifest"))), asset.ErrMalformed},
		{"no offset field", slices.Concat(ftyp, box("uuid", bmff.C2PAUUID[:], []byte{0, 0, 0, 0}, []byte("manifest\x00"))), asset.ErrMalformed},
		{"not BMFF", []byte("RIFF\x00\x00\x00\x00WEBP"), asset.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bmff.Handler{}.ReadStore(bytes.NewReader(tt.file), int64(len(tt.file)))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, store) {
				t.Fatalf("ReadStore = %d bytes, %v", len(got), err)
			}
		})
	}
}

func TestRemoteURL(t *testing.T) {
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="https://example.com/m.c2pa"/></rdf:RDF></x:xmpmeta>`
	file := slices.Concat(ftyp, box("uuid", bmff.XMPUUID[:], []byte(xmp)), box("mdat"))
	got, err := bmff.Handler{}.RemoteURL(bytes.NewReader(file), int64(len(file)))
	if err != nil || got != "https://example.com/m.c2pa" {
		t.Fatalf("RemoteURL = %q, %v", got, err)
	}
}

func TestSniffMediaType(t *testing.T) {
	for brand, want := range map[string]string{"isom": "video/mp4", "qt  ": "video/quicktime", "M4A ": "audio/mp4", "heic": "image/heic", "mif1": "image/heif", "avif": "image/avif"} {
		head := box("ftyp", []byte(brand), u32(0))
		if got := (bmff.Handler{}).SniffMediaType(head); got != want {
			t.Errorf("%q: %s, want %s", brand, got, want)
		}
	}
}

// TestReadStoreOriginalAndUpdate reads a file whose manifest store is split
// into an original box and an update box at the end: one store with the
// update's manifests after the original's, as c2pa-rs reads it.
func TestReadStoreOriginalAndUpdate(t *testing.T) {
	manifest := func(label string) *jumbf.Box {
		return jumbf.NewSuperBox(jumbf.StandardManifest, label, nil, jumbf.NewContentBox("cbor", []byte{0xa0}))
	}
	store := func(ms ...*jumbf.Box) []byte {
		return jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil, ms...).Bytes()
	}
	file := slices.Concat(ftyp, c2paBox("original", store(manifest("urn:c2pa:a"))), box("mdat", make([]byte, 8)), c2paBox("update", store(manifest("urn:c2pa:b"))))
	got, err := bmff.Handler{}.ReadStore(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if want := store(manifest("urn:c2pa:a"), manifest("urn:c2pa:b")); !bytes.Equal(got, want) {
		t.Fatalf("merged store differs:\n got % x\nwant % x", got, want)
	}
}
