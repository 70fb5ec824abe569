package c2pa

import (
	"fmt"
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

// hashPlanned computes the hash of the output plan describes over r, with
// sized standing in for the store (same length): the output is walked as a
// file, so exclusions and top-level offsets are those of the signed asset.
func (b *BMFFHash) hashPlanned(plan *asset.Plan, r io.ReaderAt, sized []byte) error {
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
	h, err := newHash(b.Alg)
	if err != nil {
		return err
	}
	if err := hashBMFF(out, plan.OutputSize, excl, offsets, h); err != nil {
		return err
	}
	sum := h.Sum(nil)
	if len(sum) != len(b.Hash) {
		return fmt.Errorf("c2pa: BMFF hash of %d bytes, reserved %d", len(sum), len(b.Hash))
	}
	b.Hash = sum
	return nil
}

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

// fill hashes the planned output (sized standing in for the store) and
// returns the assertion, which must keep the placeholder's size.
func (b *BMFFHash) fill(plan *asset.Plan, r io.ReaderAt, sized []byte, size int) ([]byte, error) {
	if err := b.hashPlanned(plan, r, sized); err != nil {
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
