package jpeg_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/jpeg"
	"provgraph/c2pa/jumbf"
)

// seg builds a marker segment with a length field.
func seg(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

var (
	soi   = []byte{0xFF, 0xD8}
	eoi   = []byte{0xFF, 0xD9}
	app0  = seg(0xE0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))
	app1  = seg(0xE1, []byte("Exif\x00\x00"))
	dqt   = seg(0xDB, make([]byte, 65))
	sos   = append(seg(0xDA, []byte{1, 1, 0, 0, 63, 0}), 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56)
	store = jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil,
		jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:test", nil)).Bytes()
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func plan(t testing.TB, data []byte, n int) (*asset.Plan, []byte) {
	t.Helper()
	return assettest.Apply(t, jpeg.Handler{}, data, store[:n])
}

// TestPlanPlacement checks where the APP11 segments go, as c2pa-rs's write_cai places them.
func TestPlanPlacement(t *testing.T) {
	_, framed := plan(t, cat(soi, eoi), len(store)) // SOI, APP11, EOI
	app11 := framed[2 : len(framed)-2]
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		atStart int64
	}{
		{"after SOI without APP0", cat(soi, app1, dqt, sos, eoi), cat(soi, app11, app1, dqt, sos, eoi), 2},
		{"after the last APP0", cat(soi, app0, app0, app1, sos, eoi), cat(soi, app0, app0, app11, app1, sos, eoi), int64(2 + 2*len(app0))},
		{"in place of the old store", cat(soi, app1, app11, dqt, sos, eoi), cat(soi, app1, app11, dqt, sos, eoi), int64(2 + len(app1))},
		{"old store right after SOI moves after APP0", cat(soi, app11, app0, sos, eoi), cat(soi, app0, app11, sos, eoi), int64(2 + len(app0))},
		{"trailing bytes kept", cat(soi, sos, eoi, []byte("trailer")), cat(soi, app11, sos, eoi, []byte("trailer")), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := plan(t, tt.in, len(store))
			if !bytes.Equal(out, tt.want) {
				t.Fatalf("output\n% x\nwant\n% x", out, tt.want)
			}
			if p.Carrier.Start != tt.atStart || p.Carrier.Length != int64(len(app11)) {
				t.Errorf("carrier %v, want start %d length %d", p.Carrier, tt.atStart, len(app11))
			}
		})
	}
}

// TestWrapSegments checks the APP11 segmentation of a store larger than one segment.
func TestWrapSegments(t *testing.T) {
	big := jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil, jumbf.NewContentBox("free", make([]byte, 150000))).Bytes()
	in := cat(soi, sos, eoi)
	p, err := jpeg.Handler{}.Plan(bytes.NewReader(in), int64(len(in)), len(big))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := p.WriteTo(&out, bytes.NewReader(in), big); err != nil {
		t.Fatal(err)
	}
	data := out.Bytes()[2:]
	var got []byte
	for z := uint32(1); z <= 3; z++ {
		lp := int(binary.BigEndian.Uint16(data[2:]))
		if data[0] != 0xFF || data[1] != 0xEB || string(data[4:6]) != "JP" ||
			binary.BigEndian.Uint16(data[6:]) != 0x0211 || binary.BigEndian.Uint32(data[8:]) != z {
			t.Fatalf("segment %d header % x", z, data[:12])
		}
		body := data[12 : 2+lp]
		if z > 1 {
			if !bytes.Equal(body[:8], big[:8]) {
				t.Fatalf("segment %d does not repeat LBox/TBox", z)
			}
			body = body[8:]
		}
		if want := min(jpeg.ChunkSize, len(big)-len(got)); len(body) != want {
			t.Fatalf("segment %d carries %d bytes, want %d", z, len(body), want)
		}
		got = append(got, body...)
		data = data[2+lp:]
	}
	if !bytes.Equal(got, big) || !bytes.Equal(data, cat(sos, eoi)) {
		t.Fatal("segments do not reassemble the store")
	}
	if int64(out.Len()) != p.OutputSize || p.Carrier.Length != jpeg.CarrierSize(len(big)) {
		t.Errorf("sizes: out %d plan %d carrier %v", out.Len(), p.OutputSize, p.Carrier)
	}
}

// otherEn gives the APP11 segments of a planned JPEG (SOI stripped) another
// box instance number, so that they form a second store.
func otherEn(data []byte) []byte {
	out := bytes.Clone(data)
	out[bytes.Index(out, []byte{0xFF, 0xEB})+7]++
	return out
}

// TestSameInstanceRestart checks c2pa-rs's reading of a second store with
// the same En: its Z restarts at 1, so it ends the first store's
// continuation instead of counting as a second store.
func TestSameInstanceRestart(t *testing.T) {
	_, withStore := plan(t, cat(soi, app0, sos, eoi), len(store))
	twice := cat(withStore[:len(withStore)-2], withStore[2:])
	got, err := jpeg.Handler{}.ReadStore(bytes.NewReader(twice), int64(len(twice)))
	if err != nil || !bytes.Equal(got, store) {
		t.Fatalf("ReadStore = %d bytes, %v; want the first store", len(got), err)
	}
}

func TestHostile(t *testing.T) {
	_, withStore := plan(t, cat(soi, app0, sos, eoi), len(store))
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, asset.ErrMalformed},
		{"no SOI", []byte("GIF89a......"), asset.ErrMalformed},
		{"segment past end", cat(soi, seg(0xE1, make([]byte, 10))[:8]), asset.ErrMalformed},
		{"length below 2", cat(soi, []byte{0xFF, 0xE1, 0, 1}), asset.ErrMalformed},
		{"truncated length", cat(soi, []byte{0xFF, 0xE1, 0}), asset.ErrMalformed},
		{"two stores", cat(withStore[:len(withStore)-2], otherEn(withStore[2:])), asset.ErrTooManyStores},
		{"no store", cat(soi, app0, sos, eoi), asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jpeg.Handler{}.ReadStore(bytes.NewReader(tt.data), int64(len(tt.data)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *asset.FormatError
			if tt.want != asset.ErrNoStore && !errors.As(err, &fe) {
				t.Errorf("err %T is not a *asset.FormatError", err)
			}
		})
	}
}

func FuzzJPEG(f *testing.F) {
	// Seeds stay small so that the fuzzer can minimise what it finds: the
	// marker segments of real files (their first KiB), and a whole small
	// file with a store.
	for _, rel := range []string{"ts-trustnxt-icon-signed-timestamp.jpg", "rs-no_alg.jpg", "rs-cloud.jpg"} {
		f.Add(assettest.ReadFixture(f, "jpeg/"+rel)[:1024])
	}
	_, withStore := plan(f, cat(soi, app0, app1, dqt, sos, eoi), len(store))
	f.Add(withStore)
	assettest.Fuzz(f, jpeg.Handler{})
}
