package c2pa

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"provgraph/c2pa/bmff"
	"provgraph/internal/testenv"
)

func testBox(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// TestHashBMFF checks the bytes a BMFF hash covers against the rule
// written out by hand: u64be(offset) before each top-level box not
// excluded whole (v2 and later), then its bytes minus the exclusions.
func TestHashBMFF(t *testing.T) {
	ftyp := testBox("ftyp", []byte("isom\x00\x00\x00\x00isom"))
	moov := testBox("moov", testBox("mvhd", make([]byte, 12)))
	mdat := testBox("mdat", []byte("0123456789abcdef0123"))
	file := slices.Concat(ftyp, moov, mdat)
	moovAt, mdatAt := int64(len(ftyp)), int64(len(ftyp)+len(moov))
	be := func(o int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(o)) }
	sub := func(o, n uint64) *[]BMFFSubset { return &[]BMFFSubset{{Offset: o, Length: n}} }
	tests := []struct {
		name    string
		excl    []BMFFExclusion
		version int
		covered []byte
	}{
		{"v1 without offsets", []BMFFExclusion{{XPath: "/ftyp"}}, 1, slices.Concat(moov, mdat)},
		{"v2 offsets", []BMFFExclusion{{XPath: "/ftyp"}}, 2, slices.Concat(be(moovAt), moov, be(mdatAt), mdat)},
		{"subset keeps the offset", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/mdat", Subset: sub(16, 0)}}, 3, slices.Concat(be(moovAt), moov, be(mdatAt), mdat[:16])},
		{"subset with length", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/mdat", Subset: sub(8, 4)}}, 3, slices.Concat(be(moovAt), moov, be(mdatAt), mdat[:8], mdat[12:])},
		{"nested box", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/moov/mvhd"}}, 2, slices.Concat(be(moovAt), moov[:8], be(mdatAt), mdat)},
		{"length filter", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/mdat", Length: new(uint64)}}, 2, slices.Concat(be(moovAt), moov, be(mdatAt), mdat)},
		{"data filter", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/mdat", Data: []BMFFData{{Offset: 8, Value: []byte("0123")}}}}, 2, slices.Concat(be(moovAt), moov)},
		{"data filter missed", []BMFFExclusion{{XPath: "/ftyp"}, {XPath: "/mdat", Data: []BMFFData{{Offset: 8, Value: []byte("x")}}}}, 2, slices.Concat(be(moovAt), moov, be(mdatAt), mdat)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := bmff.Parse(bytes.NewReader(file), int64(len(file)))
			if err != nil {
				t.Fatal(err)
			}
			excl, offsets, err := bmffRanges(tree, bytes.NewReader(file), tt.excl, tt.version > 1)
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			if err := hashBMFF(bytes.NewReader(file), int64(len(file)), excl, offsets, h); err != nil {
				t.Fatal(err)
			}
			if want := sha256.Sum256(tt.covered); !bytes.Equal(h.Sum(nil), want[:]) {
				t.Error("hash differs from the hand-built byte sequence")
			}
			bh := &BMFFHash{Exclusions: tt.excl, Alg: "sha256", Hash: h.Sum(nil)}
			if err := checkBMFFHash(bh, tt.version, "", bytes.NewReader(file), int64(len(file)), nil); err != nil {
				t.Errorf("checkBMFFHash: %v", err)
			}
		})
	}
}

func TestMerkleCheck(t *testing.T) {
	leaf := func(i byte) []byte { s := sha256.Sum256([]byte{i}); return s[:] }
	leaves := [][]byte{leaf(0), leaf(1), leaf(2), leaf(3), leaf(4)}
	h := func(l, r []byte) []byte { return concatHash("sha256", l, r) }
	// Five leaves: (01)(23)4 → ((01)(23))4 → root; the odd node is promoted.
	n01, n23 := h(leaves[0], leaves[1]), h(leaves[2], leaves[3])
	root := h(h(n01, n23), leaves[4])
	if got := merkleRoot("sha256", leaves); !bytes.Equal(got, root) {
		t.Fatal("merkleRoot differs")
	}
	mm := MerkleMap{Count: 5, Hashes: [][]byte{root}}
	tests := []struct {
		loc   uint64
		leaf  []byte
		proof [][]byte
		ok    bool
	}{
		{2, leaves[2], [][]byte{leaves[3], n01, leaves[4]}, true},
		{4, leaves[4], [][]byte{h(n01, n23)}, true},
		{1, leaves[1], [][]byte{leaves[0], n23, leaves[4]}, true},
		{1, leaves[0], [][]byte{leaves[0], n23, leaves[4]}, false},
		{5, leaves[4], [][]byte{h(n01, n23)}, false},
		{2, leaves[2], [][]byte{leaves[3]}, false},
	}
	for _, tt := range tests {
		if got := mm.check("sha256", tt.leaf, tt.loc, tt.proof); got != tt.ok {
			t.Errorf("check(location %d) = %v, want %v", tt.loc, got, tt.ok)
		}
	}
	full := MerkleMap{Count: 5, Hashes: leaves}
	if !full.check("sha256", leaves[3], 3, nil) || full.check("sha256", leaves[3], 2, nil) {
		t.Error("a stored leaf row must match its own leaves only")
	}
}

// FuzzBMFFHash checks hostile BMFF hash assertions against hostile files:
// no panic, whatever they say.
func FuzzBMFFHash(f *testing.F) {
	for _, rel := range []string{"heic/ts-trustnxt-icon-signed-c2patool.heic", "mp4/rs-dashinit.mp4"} {
		data, err := os.ReadFile(testenv.Fixture(f, filepath.Join("c2pa", rel)))
		if err != nil {
			f.Fatal(err)
		}
		raw, err := bmff.Handler{}.ReadStore(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			f.Fatal(err)
		}
		s, err := ParseStore(raw, nil)
		if err != nil {
			f.Fatal(err)
		}
		for _, a := range s.Active().Assertions {
			if bmffVersion(a.Label) > 1 || a.BaseLabel() == "c2pa.hash.bmff" {
				f.Add(a.Data, data[:min(len(data), 4096)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, assertion, file []byte) {
		var bh BMFFHash
		if claimDecMode.Unmarshal(assertion, &bh) != nil {
			return
		}
		r := bytes.NewReader(file)
		_ = checkBMFFHash(&bh, 3, "sha256", r, int64(len(file)), nil)
		_ = checkBMFFHash(&bh, 2, "sha256", r, int64(len(file)), []Fragment{{R: r, Size: int64(len(file))}})
		_, _, _ = bmffRanges(&bmff.Tree{Size: int64(len(file))}, r, bh.Exclusions, true)
	})
}

// TestTimedMerkle builds a movie whose one track has five samples in three
// chunks, a Merkle row holding only the root over the chunk hashes and one
// merkle uuid box with the proof of each chunk: it verifies, and a changed
// sample byte does not.
func TestTimedMerkle(t *testing.T) {
	full := func(body ...[]byte) []byte { return slices.Concat(append([][]byte{{0, 0, 0, 0}}, body...)...) }
	u32 := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, v)
		}
		return b
	}
	samples := [][]byte{[]byte("aa"), []byte("bbb"), []byte("c"), []byte("dddd"), []byte("ee")}
	// stsc: chunks 1-2 hold two samples each, chunk 3 one.
	chunkOf := []int{0, 0, 1, 1, 2}
	build := func(offsets []uint32, merkle [][]byte) []byte {
		stbl := testBox("stbl", slices.Concat(
			testBox("stsc", full(u32(2, 1, 2, 1, 3, 1, 1))),
			testBox("stsz", full(u32(0, 5, 2, 3, 1, 4, 2))),
			testBox("stco", full(u32(3), u32(offsets...)))))
		trak := testBox("trak", slices.Concat(testBox("tkhd", full(u32(0, 0, 7), make([]byte, 72))), testBox("mdia", testBox("minf", stbl))))
		ftyp := testBox("ftyp", []byte("isom\x00\x00\x00\x00isom"))
		head := slices.Concat(ftyp, testBox("moov", trak))
		mdat := testBox("mdat", bytes.Join(samples, nil))
		var uuids []byte
		for _, m := range merkle {
			uuids = append(uuids, testBox("uuid", slices.Concat(bmff.C2PAUUID[:], []byte{0, 0, 0, 0}, []byte("merkle\x00"), m))...)
		}
		return slices.Concat(head, mdat, uuids)
	}
	// The mdat body starts after ftyp, moov and the mdat header.
	probe := build([]uint32{0, 0, 0}, nil)
	body := uint32(bytes.Index(probe, []byte("mdat")) + 4)
	offsets := []uint32{body, body + 5, body + 10}
	var chunks [3][]byte
	for i, s := range samples {
		chunks[chunkOf[i]] = append(chunks[chunkOf[i]], s...)
	}
	var leaves [][]byte
	for _, c := range chunks {
		s := sha256.Sum256(c)
		leaves = append(leaves, s[:])
	}
	h := func(l, r []byte) []byte { return concatHash("sha256", l, r) }
	proofs := [][][]byte{{leaves[1], leaves[2]}, {leaves[0], leaves[2]}, {h(leaves[0], leaves[1])}}
	var boxes [][]byte
	for i, p := range proofs {
		b, err := encMode.Marshal(bmffMerkleBox{UniqueID: 1, LocalID: 7, Location: uint64(i), Hashes: p})
		if err != nil {
			t.Fatal(err)
		}
		boxes = append(boxes, b)
	}
	file := build(offsets, boxes)
	bh := &BMFFHash{Exclusions: defaultBMFFExclusions(), Alg: "sha256",
		Merkle: []MerkleMap{{UniqueID: 1, LocalID: 7, Count: 3, Hashes: [][]byte{merkleRoot("sha256", leaves)}}}}
	bh.Exclusions = append(bh.Exclusions, BMFFExclusion{XPath: "/mdat", Subset: &[]BMFFSubset{{Offset: 16}}})
	if err := checkBMFFHash(bh, 3, "", bytes.NewReader(file), int64(len(file)), nil); err != nil {
		t.Fatalf("checkBMFFHash: %v", err)
	}
	flipped := slices.Clone(file)
	flipped[offsets[1]+2] ^= 1 // the last sample of chunk 2
	if err := checkBMFFHash(bh, 3, "", bytes.NewReader(flipped), int64(len(flipped)), nil); err == nil {
		t.Fatal("a changed sample verified")
	}
	other := *bh
	other.Merkle = []MerkleMap{{UniqueID: 1, LocalID: 8, Count: 3, Hashes: bh.Merkle[0].Hashes}}
	if err := checkBMFFHash(&other, 3, "", bytes.NewReader(file), int64(len(file)), nil); err == nil {
		t.Fatal("a row naming no track verified")
	}
}
