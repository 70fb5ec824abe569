package c2pa

import (
	"encoding/binary"
	"fmt"
	"hash"
	"io"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/bmff"
)

// bmffHashLabel is the BMFF hard binding written into v2 claims.
const bmffHashLabel = "c2pa.hash.bmff.v3"

// defaultBMFFExclusions are the exclusions c2pa-rs's set_default_exclusions
// writes: the C2PA uuid box (by its usertype), ftyp, mfra, free and skip.
func defaultBMFFExclusions() []BMFFExclusion {
	return []BMFFExclusion{
		{XPath: "/uuid", Data: []BMFFData{{Offset: 8, Value: bmff.C2PAUUID[:]}}},
		{XPath: "/ftyp"}, {XPath: "/mfra"}, {XPath: "/free"}, {XPath: "/skip"},
	}
}

// newBMFFHash returns the assertion c2pa-rs writes before hashing: default
// exclusions and a zero hash as long as the real one, so that filling in
// the hash keeps the CBOR length.
func newBMFFHash(alg string) (*BMFFHash, error) {
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	return &BMFFHash{Exclusions: defaultBMFFExclusions(), Alg: alg, Hash: make([]byte, h.Size()), Name: "jumbf manifest"}, nil
}

// encode writes the assertion CBOR.
func (b *BMFFHash) encode() ([]byte, error) { return encMode.Marshal(b) }

// hashPlanned computes the hash of the output plan describes, with sized
// standing in for the store (same length): the output is walked as a file
// through planReader (box headers and data filters only), so exclusions
// and top-level offsets are those of the signed asset; the bytes are then
// hashed from the single stream pass streams the output through (the
// carrier, which the exclusions must cover, left out).
func (b *BMFFHash) hashPlanned(plan *asset.Plan, r io.ReaderAt, sized []byte, pass func(*asset.Plan, hash.Hash) error) error {
	carrier, err := plan.Wrap(sized)
	if err != nil {
		return err
	}
	out := &planReader{plan: plan, r: r, carrier: carrier}
	t, err := bmff.Parse(out, plan.OutputSize)
	if err != nil {
		return err
	}
	excl, offsets, err := bmffRanges(t, out, b.Exclusions, true)
	if err != nil {
		return err
	}
	spans, err := bmffSpans(plan.OutputSize, excl, offsets)
	if err != nil {
		return err
	}
	if len(plan.Exclusions) != 1 || plan.Exclusions[0] != plan.Carrier {
		return fmt.Errorf("c2pa: BMFF plan excludes %v, not its carrier %v", plan.Exclusions, plan.Carrier)
	}
	for _, sp := range spans {
		if !isMarker(sp, offsets) && sp.first < plan.Carrier.End() && sp.last >= plan.Carrier.Start {
			return fmt.Errorf("c2pa: BMFF exclusions leave bytes of the C2PA box at %d hashed", sp.first)
		}
	}
	h, err := newHash(b.Alg)
	if err != nil {
		return err
	}
	st := &spanStream{h: h, spans: spans, offsets: offsets, gap: plan.Carrier}
	if err := pass(plan, st); err != nil {
		return err
	}
	if err := st.finish(); err != nil {
		return err
	}
	sum := h.Sum(nil)
	if len(sum) != len(b.Hash) {
		return fmt.Errorf("c2pa: BMFF hash of %d bytes, reserved %d", len(sum), len(b.Hash))
	}
	b.Hash = sum
	return nil
}

// spanStream is the hash.Hash a plan's hash pass feeds: the output bytes in
// order minus gap (the carrier, which the pass leaves out). It hashes the
// bytes of its spans and the offset values of its marker spans, so that
// one pass over the asset computes the BMFF hash.
type spanStream struct {
	h       hash.Hash
	spans   []span
	offsets []int64
	k       int   // next span
	pos     int64 // output offset of the next byte written
	gap     asset.Range
}

// Write hashes the parts of p its spans cover.
func (s *spanStream) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if s.gap.Length > 0 && s.pos == s.gap.Start {
			s.pos += s.gap.Length
			s.gap.Length = 0
		}
		chunk := p
		if s.gap.Length > 0 && s.pos < s.gap.Start {
			chunk = p[:min(int64(len(p)), s.gap.Start-s.pos)]
		}
		s.consume(chunk)
		p = p[len(chunk):]
	}
	return n, nil
}

func (s *spanStream) consume(b []byte) {
	start, end := s.pos, s.pos+int64(len(b))
	for s.k < len(s.spans) {
		sp := s.spans[s.k]
		if isMarker(sp, s.offsets) {
			s.h.Write(binary.BigEndian.AppendUint64(nil, uint64(sp.first)))
			s.k++
			continue
		}
		if sp.first >= end {
			break
		}
		if lo, hi := max(sp.first, start), min(sp.last+1, end); hi > lo {
			s.h.Write(b[lo-start : hi-start])
		}
		if sp.last+1 > end {
			break
		}
		s.k++
	}
	s.pos = end
}

// finish hashes trailing markers and checks every span was reached.
func (s *spanStream) finish() error {
	for ; s.k < len(s.spans); s.k++ {
		if !isMarker(s.spans[s.k], s.offsets) {
			return fmt.Errorf("c2pa: BMFF hash pass ended at %d, before the span at %d", s.pos, s.spans[s.k].first)
		}
		s.h.Write(binary.BigEndian.AppendUint64(nil, uint64(s.spans[s.k].first)))
	}
	return nil
}

// Sum appends the hash so far.
func (s *spanStream) Sum(b []byte) []byte { return s.h.Sum(b) }

// Reset is not supported mid-pass; it restarts the underlying hash only.
func (s *spanStream) Reset() { s.h.Reset(); s.k, s.pos = 0, 0 }

// Size returns the size of the underlying hash.
func (s *spanStream) Size() int { return s.h.Size() }

// BlockSize returns the block size of the underlying hash.
func (s *spanStream) BlockSize() int { return s.h.BlockSize() }

// planReader reads the output of a plan without writing it: input ranges
// from r, literals, and carrier at the store's place.
type planReader struct {
	plan    *asset.Plan
	r       io.ReaderAt
	carrier []byte
}

// ReadAt implements io.ReaderAt over the planned output.
func (p *planReader) ReadAt(buf []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("c2pa: negative offset %d", off)
	}
	n := 0
	var pos int64
	for _, s := range p.plan.Segments {
		l := s.Len(p.plan)
		if n == len(buf) {
			break
		}
		cur := off + int64(n)
		if cur >= pos+l {
			pos += l
			continue
		}
		rel := cur - pos
		want := min(int64(len(buf)-n), l-rel)
		dst := buf[n : n+int(want)]
		switch {
		case s.Input != nil:
			m, err := p.r.ReadAt(dst, s.Input.Start+rel)
			if m < len(dst) {
				n += m
				if err == nil {
					err = io.ErrUnexpectedEOF
				}
				return n, err
			}
		case s.Store:
			copy(dst, p.carrier[rel:])
		default:
			copy(dst, s.Literal[rel:])
		}
		n += len(dst)
		pos += l
	}
	if n < len(buf) {
		return n, io.EOF
	}
	return n, nil
}

// newBMFFPlaceholder returns the BMFF hash to fill in and its placeholder
// encoding, which fixes the assertion's length.
func newBMFFPlaceholder(alg string) (*BMFFHash, []byte, error) {
	bh, err := newBMFFHash(alg)
	if err != nil {
		return nil, nil, err
	}
	data, err := bh.encode()
	if err != nil {
		return nil, nil, err
	}
	return bh, data, nil
}

// fill hashes the planned output (sized standing in for the store) in the
// hash pass of the signing path and returns the assertion, which must keep
// the placeholder's size.
func (b *BMFFHash) fill(plan *asset.Plan, r io.ReaderAt, sized []byte, size int, pass func(*asset.Plan, hash.Hash) error) ([]byte, error) {
	if err := b.hashPlanned(plan, r, sized, pass); err != nil {
		return nil, err
	}
	data, err := b.encode()
	if err != nil {
		return nil, err
	}
	if len(data) != size {
		return nil, fmt.Errorf("c2pa: BMFF hash assertion of %d bytes, reserved %d", len(data), size)
	}
	return data, nil
}
