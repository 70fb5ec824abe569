package bmff_test

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/bmff"
)

// chunkOffsets returns the stco and co64 entries of a file, in order.
func chunkOffsets(t *testing.T, data []byte) []uint64 {
	t.Helper()
	tree, err := bmff.Parse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []uint64
	for i, b := range tree.Boxes {
		if p := tree.Path(i); p != "/moov/trak/mdia/minf/stbl/stco" && p != "/moov/trak/mdia/minf/stbl/co64" {
			continue
		}
		body := data[b.Offset+b.HeaderLen+4 : b.End()]
		n := binary.BigEndian.Uint32(body)
		for k := range n {
			if b.Type == "stco" {
				out = append(out, uint64(binary.BigEndian.Uint32(body[4+4*k:])))
			} else {
				out = append(out, binary.BigEndian.Uint64(body[4+8*k:]))
			}
		}
	}
	return out
}

// TestPlanShiftsChunkOffsets embeds a store in every BMFF fixture with
// chunk offset tables: each stco/co64 entry moves by the size change and
// still points at the same media bytes.
func TestPlanShiftsChunkOffsets(t *testing.T) {
	checked := 0
	for _, fx := range assettest.Fixtures(t) {
		h, _ := asset.Lookup(fx.MediaType)
		if h.Format() != bmff.Format || strings.Contains(fx.OracleFailures, "InvalidAsset") {
			continue
		}
		t.Run(fx.File, func(t *testing.T) {
			data := assettest.ReadFixture(t, fx.File)
			before := chunkOffsets(t, data)
			if len(before) == 0 {
				return
			}
			checked++
			for _, storeLen := range []int{len(assettest.Store), 0} {
				store := assettest.Store[:storeLen]
				if storeLen == 0 {
					store = nil
				}
				_, out := assettest.Apply(t, h, data, store)
				after := chunkOffsets(t, out)
				if len(after) != len(before) {
					t.Fatalf("%d chunk offsets, had %d", len(after), len(before))
				}
				shift := int64(len(out)) - int64(len(data))
				for k := range before {
					if int64(after[k])-int64(before[k]) != shift {
						t.Fatalf("chunk %d: offset %d became %d, size changed by %d", k, before[k], after[k], shift)
					}
					a, b := before[k], after[k]
					if a+16 <= uint64(len(data)) && !bytes.Equal(data[a:a+16], out[b:b+16]) {
						t.Fatalf("chunk %d no longer points at its media", k)
					}
				}
			}
		})
	}
	if checked == 0 {
		t.Fatal("no fixture with chunk offsets")
	}
}

// TestPlanPlacement checks where the C2PA box goes: after ftyp in a file
// without one, in place of an existing one, with an update box cut.
func TestPlanPlacement(t *testing.T) {
	mdat := box("mdat", make([]byte, 32))
	old := c2paBox("manifest", []byte("old store"))
	tests := []struct {
		name string
		in   []byte
		want []byte // output with the new store
	}{
		{"insert after ftyp", slices.Concat(ftyp, box("free"), mdat), slices.Concat(ftyp, c2paBox("manifest", assettest.Store), box("free"), mdat)},
		{"replace in place", slices.Concat(ftyp, box("free"), old, mdat), slices.Concat(ftyp, box("free"), c2paBox("manifest", assettest.Store), mdat)},
		{"original and update", slices.Concat(ftyp, c2paBox("original", []byte("o")), mdat, c2paBox("update", []byte("u"))), slices.Concat(ftyp, c2paBox("manifest", assettest.Store), mdat)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := assettest.Apply(t, bmff.Handler{}, tt.in, assettest.Store)
			if !bytes.Equal(out, tt.want) {
				t.Fatalf("output differs:\n got % x\nwant % x", out, tt.want)
			}
			if p.Carrier.Length != bmff.CarrierSize(len(assettest.Store)) {
				t.Errorf("carrier %v", p.Carrier)
			}
		})
	}
}

func FuzzBMFF(f *testing.F) {
	for _, name := range []string{"heic/ts-trustnxt-icon-signed-c2patool.heic", "mp4/rs-video1.mp4", "mov/rs-c.mov", "heif/rs-sample1.heif", "m4a/rs-sample1.m4a", "mp4/rs-dash1.m4s"} {
		data := assettest.ReadFixture(f, name)
		f.Add(data[:min(len(data), 64<<10)])
	}
	f.Add(slices.Concat(ftyp, c2paBox("manifest", assettest.Store), box("moov", box("trak", box("mdia", box("minf", box("stbl", box("stco", full(0, 0, u32(1, 200)))))))), box("mdat", make([]byte, 64))))
	f.Add(slices.Concat(ftyp, nested(40)))
	assettest.Fuzz(f, bmff.Handler{})
}

// TestPlanShiftsOffsets embeds a store in a hand-built file with every kind
// of absolute offset the plan patches and checks each moved by the size of
// the inserted box.
func TestPlanShiftsOffsets(t *testing.T) {
	u64 := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
	stbl := box("stbl", box("stco", full(0, 0, u32(2, 1000, 2000))), box("co64", full(0, 0, u32(1), u64(3000))),
		box("saio", full(0, 0, u32(1, 4000))))
	moov := box("moov", box("trak", box("mdia", box("minf", stbl))))
	// iloc v1: offset_size 4, length_size 4, base_offset_size 4, index_size 0;
	// item 1: method 0, base 5000, one extent at 0; item 2: method 0, no
	// base, extent at 6000; item 3: method 1 (idat), extent 7 untouched.
	iloc := box("iloc", full(1, 0, []byte{0x44, 0x40}, []byte{0, 3},
		[]byte{0, 1}, []byte{0, 0}, []byte{0, 0}, u32(5000), []byte{0, 1}, u32(0), u32(10),
		[]byte{0, 2}, []byte{0, 0}, []byte{0, 0}, u32(0), []byte{0, 1}, u32(6000), u32(10),
		[]byte{0, 3}, []byte{0, 1}, []byte{0, 0}, u32(0), []byte{0, 1}, u32(7), u32(10)))
	meta := box("meta", full(0, 0), box("hdlr", full(0, 0, make([]byte, 20))), iloc)
	moof := box("moof", box("traf", box("tfhd", full(0, 1, u32(1), u64(8000)))))
	mfra := box("mfra", box("tfra", full(1, 0, u32(1), u32(0), u32(1), u64(0), u64(9000), []byte{1, 1, 1})))
	in := slices.Concat(ftyp, meta, moov, moof, box("mdat", make([]byte, 16)), mfra)
	_, out := assettest.Apply(t, bmff.Handler{}, in, assettest.Store)
	shift := uint64(bmff.CarrierSize(len(assettest.Store)))
	for _, v := range []uint64{1000, 2000, 4000, 5000, 6000} {
		old, moved := u32(uint32(v)), u32(uint32(v+shift))
		if bytes.Contains(out, old) || !bytes.Contains(out, moved) {
			t.Errorf("32-bit offset %d not moved to %d", v, v+shift)
		}
	}
	for _, v := range []uint64{3000, 8000, 9000} {
		if bytes.Contains(out, u64(v)) || !bytes.Contains(out, u64(v+shift)) {
			t.Errorf("64-bit offset %d not moved to %d", v, v+shift)
		}
	}
	if !bytes.Contains(out, slices.Concat([]byte{0, 1}, u32(7), u32(10))) {
		t.Error("idat extent offset changed")
	}
}
