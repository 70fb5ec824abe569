package c2pa

import (
	"encoding/binary"
	"errors"
	"hash"
	"io"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/bmff"
)

// sampleTrack is what c2pa-rs's sample reader knows of a track: enough to
// find each sample's bytes.
type sampleTrack struct {
	id           uint32
	stsc         []stscRun
	chunkOffsets []uint64
	fixedSize    uint32
	prefix       []uint64 // prefix[i]: bytes of samples 1..i (variable sizes)
	count        uint32
}

type stscRun struct{ firstChunk, samplesPerChunk, firstSample uint32 }

// sampleTracks reads the tracks of the first top-level moov that have a
// tkhd and the sample tables (stsc, stco or co64, stsz), keyed by track ID.
func sampleTracks(t *bmff.Tree, r io.ReaderAt) (map[uint32]*sampleTrack, error) {
	tracks := map[uint32]*sampleTrack{}
	var moov *bmff.Box
	for _, i := range t.Top {
		if t.Boxes[i].Type == "moov" {
			moov = &t.Boxes[i]
			break
		}
	}
	if moov == nil {
		return tracks, nil
	}
	child := func(b *bmff.Box, typ string) *bmff.Box {
		if b == nil {
			return nil
		}
		for _, k := range b.Kids {
			if t.Boxes[k].Type == typ {
				return &t.Boxes[k]
			}
		}
		return nil
	}
	body := func(b *bmff.Box) ([]byte, error) {
		if b.Size > 64<<20 {
			return nil, asset.NewError(asset.ErrTooLarge, bmff.Format, b.Offset, "%s box of %d bytes", b.Type, b.Size)
		}
		data, err := asset.ReadAt(r, t.Size, bmff.Format, b.Offset+b.HeaderLen, b.Size-b.HeaderLen)
		if err != nil {
			return nil, err
		}
		if len(data) < 8 {
			return nil, asset.Malformed(bmff.Format, b.Offset, "%s box too small", b.Type)
		}
		return data, nil
	}
	for _, k := range moov.Kids {
		trak := &t.Boxes[k]
		if trak.Type != "trak" {
			continue
		}
		tkhd := child(trak, "tkhd")
		stbl := child(child(child(trak, "mdia"), "minf"), "stbl")
		stsc, stsz := child(stbl, "stsc"), child(stbl, "stsz")
		co := child(stbl, "stco")
		if co == nil {
			co = child(stbl, "co64")
		}
		if tkhd == nil || stsc == nil || stsz == nil || co == nil {
			continue
		}
		tr := &sampleTrack{}
		b, err := body(tkhd)
		if err != nil {
			return nil, err
		}
		at := 4 + 8
		if b[0] == 1 {
			at = 4 + 16
		}
		if len(b) < at+4 {
			return nil, asset.Malformed(bmff.Format, tkhd.Offset, "BMFF tkhd too small")
		}
		tr.id = binary.BigEndian.Uint32(b[at:])
		if b, err = body(stsc); err != nil {
			return nil, err
		}
		n := uint64(binary.BigEndian.Uint32(b[4:]))
		if n > uint64(len(b)-8)/12 {
			return nil, asset.Malformed(bmff.Format, stsc.Offset, "BMFF sample-table entry count exceeds box size")
		}
		first := uint64(1)
		for i := uint64(0); i < n; i++ {
			e := b[8+12*i:]
			run := stscRun{firstChunk: binary.BigEndian.Uint32(e), samplesPerChunk: binary.BigEndian.Uint32(e[4:]), firstSample: uint32(first)}
			tr.stsc = append(tr.stsc, run)
			if i+1 < n {
				next := binary.BigEndian.Uint32(b[8+12*(i+1):])
				if next < run.firstChunk {
					return nil, asset.Malformed(bmff.Format, stsc.Offset, "BMFF stsc first_sample overflow")
				}
				first += uint64(next-run.firstChunk) * uint64(run.samplesPerChunk)
				if first > 0xFFFFFFFF {
					return nil, asset.Malformed(bmff.Format, stsc.Offset, "BMFF stsc first_sample overflow")
				}
			}
		}
		if b, err = body(co); err != nil {
			return nil, err
		}
		w := uint64(4)
		if co.Type == "co64" {
			w = 8
		}
		n = uint64(binary.BigEndian.Uint32(b[4:]))
		if n > uint64(len(b)-8)/w {
			return nil, asset.Malformed(bmff.Format, co.Offset, "BMFF sample-table entry count exceeds box size")
		}
		for i := uint64(0); i < n; i++ {
			if w == 4 {
				tr.chunkOffsets = append(tr.chunkOffsets, uint64(binary.BigEndian.Uint32(b[8+4*i:])))
			} else {
				tr.chunkOffsets = append(tr.chunkOffsets, binary.BigEndian.Uint64(b[8+8*i:]))
			}
		}
		if b, err = body(stsz); err != nil || len(b) < 12 {
			if err == nil {
				err = asset.Malformed(bmff.Format, stsz.Offset, "stsz box too small")
			}
			return nil, err
		}
		tr.fixedSize, tr.count = binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint32(b[8:])
		if tr.fixedSize == 0 {
			if uint64(tr.count) > uint64(len(b)-12)/4 {
				return nil, asset.Malformed(bmff.Format, stsz.Offset, "BMFF stsz sample count exceeds box size")
			}
			tr.prefix = make([]uint64, tr.count+1)
			for i := uint32(0); i < tr.count; i++ {
				tr.prefix[i+1] = tr.prefix[i] + uint64(binary.BigEndian.Uint32(b[12+4*i:]))
			}
		}
		if int64(tr.count) > t.Size {
			return nil, asset.Malformed(bmff.Format, stsz.Offset, "BMFF stsz sample count exceeds stream length")
		}
		tracks[tr.id] = tr
	}
	return tracks, nil
}

// run returns the stsc run governing a sample: the last whose first sample
// is not after it.
func (tr *sampleTrack) run(sample uint32) (stscRun, error) {
	k := -1
	for i, r := range tr.stsc {
		if r.firstSample > sample {
			break
		}
		k = i
	}
	if k < 0 {
		return stscRun{}, errors.New("BMFF sample precedes first stsc entry")
	}
	if tr.stsc[k].samplesPerChunk == 0 {
		return stscRun{}, errors.New("stsc samples_per_chunk must be non-zero")
	}
	return tr.stsc[k], nil
}

// sample returns the chunk ID and byte range of a sample.
func (tr *sampleTrack) sample(id uint32, size int64) (uint32, asset.Range, error) {
	run, err := tr.run(id)
	if err != nil {
		return 0, asset.Range{}, err
	}
	rel := id - run.firstSample
	chunk := uint64(run.firstChunk) + uint64(rel/run.samplesPerChunk)
	if chunk == 0 || chunk > uint64(len(tr.chunkOffsets)) {
		return 0, asset.Range{}, errors.New("Merkle location not found")
	}
	firstInChunk := id - rel%run.samplesPerChunk
	var intra, n uint64
	if tr.fixedSize > 0 {
		intra, n = uint64(id-firstInChunk)*uint64(tr.fixedSize), uint64(tr.fixedSize)
	} else {
		intra, n = tr.prefix[id-1]-tr.prefix[firstInChunk-1], tr.prefix[id]-tr.prefix[id-1]
	}
	off := tr.chunkOffsets[chunk-1] + intra
	if off < intra || off+n < off || off+n > uint64(size) {
		return 0, asset.Range{}, errors.New("BMFF sample extends beyond end of stream")
	}
	return uint32(chunk), asset.Range{Start: int64(off), Length: int64(n)}, nil
}

// checkTimedMerkle verifies Merkle trees whose leaves are the chunks of a
// track (the samples of a chunk hashed together), each Merkle row naming
// its track by localId and its proofs in the merkle uuid boxes, in row
// order (c2pa-rs's timed-media case).
func checkTimedMerkle(bh *BMFFHash, alg string, t *bmff.Tree, r io.ReaderAt, boxes []bmffMerkleBox) error {
	byRow := map[uint64][]bmffMerkleBox{}
	rest := boxes
	for _, mm := range bh.Merkle {
		if mm.Count > uint64(len(rest)) {
			return errors.New("MerkleMap count incorrect")
		}
		byRow[mm.LocalID] = rest[:mm.Count]
		rest = rest[mm.Count:]
	}
	tracks, err := sampleTracks(t, r)
	if err != nil {
		return err
	}
	if len(tracks) == 0 {
		return errors.New("BMFF has no tracks for timed-media Merkle verification")
	}
	buf := make([]byte, asset.BufferSize)
	for _, mm := range bh.Merkle {
		malg := mm.alg(alg)
		tr := tracks[uint32(mm.LocalID)]
		if mm.LocalID > 0xFFFFFFFF || tr == nil {
			return errors.New("Merkle location not found")
		}
		if tr.count == 0 {
			return errors.New("No samples")
		}
		chunks := map[uint32]hash.Hash{}
		for id := uint32(1); id <= tr.count; id++ {
			chunk, sr, err := tr.sample(id, t.Size)
			if err != nil {
				return err
			}
			h := chunks[chunk]
			if h == nil {
				if h, err = newHash(malg); err != nil {
					return err
				}
				chunks[chunk] = h
			}
			if err := hashSection(h, r, sr.Start, sr.Length, buf); err != nil {
				return err
			}
			if id == 0xFFFFFFFF {
				break
			}
		}
		mine, ok := byRow[mm.LocalID]
		if !ok {
			return errors.New("Merkle location not found")
		}
		var leaves [][]byte
		for _, b := range mine {
			h := chunks[uint32(b.Location+1)]
			if b.Location >= 0xFFFFFFFF || h == nil {
				return errors.New("Could not generate hash")
			}
			delete(chunks, uint32(b.Location+1))
			leaves = append(leaves, h.Sum(nil))
		}
		for _, b := range mine {
			if b.Location >= uint64(len(leaves)) {
				return errors.New("BmffMerkleMap location exceeds leaf hash count")
			}
			if !mm.check(malg, leaves[b.Location], b.Location, b.Hashes) {
				return errors.New("Fragment not valid")
			}
		}
	}
	return nil
}
