package asset

import (
	"fmt"
	"hash"
	"io"
	"slices"
)

// BufferSize is the size of the buffer hashing and copying stream through.
const BufferSize = 1 << 20

// Plan is the layout of an asset with a store embedded (or removed): the
// output is Segments concatenated. Exclusions are in output coordinates and
// are exactly what c2pa-rs excludes from c2pa.hash.data for the format; Wrap
// frames a store of exactly StoreLen bytes into the carrier bytes written at
// the Store segment.
type Plan struct {
	Segments   []Segment
	Exclusions []Range
	OutputSize int64
	Wrap       func(store []byte) ([]byte, error)

	// StoreLen is the store length the plan was made for (0: store removed).
	StoreLen int
	// Carrier is where the wrapped store lands in the output (Length 0 when
	// the plan only removes).
	Carrier Range
}

// Segment is one piece of a Plan's output: exactly one of Input, Store and
// Literal is set.
type Segment struct {
	Input   *Range // copy these bytes of the input
	Store   bool   // the wrapped store (Plan.Carrier.Length bytes) goes here
	Literal []byte // write these bytes
}

// Len returns the number of output bytes of s in plan p.
func (s Segment) Len(p *Plan) int64 {
	switch {
	case s.Input != nil:
		return s.Input.Length
	case s.Store:
		return p.Carrier.Length
	default:
		return int64(len(s.Literal))
	}
}

// Finish computes OutputSize and Carrier.Start from the segments; handlers
// call it once the segments, Carrier.Length and StoreLen are set.
func (p *Plan) Finish() {
	var off int64
	for _, s := range p.Segments {
		if s.Store {
			p.Carrier.Start = off
		}
		off += s.Len(p)
	}
	p.OutputSize = off
}

// HashExcluding hashes the output the plan describes, minus p.Exclusions,
// without writing it: input ranges are streamed from r and the store is never
// needed, as long as the exclusions cover it.
func (p *Plan) HashExcluding(r io.ReaderAt, h hash.Hash) error {
	excl, err := normalize(p.Exclusions, p.OutputSize)
	if err != nil {
		return err
	}
	buf := make([]byte, min(BufferSize, p.OutputSize))
	var off int64
	for _, s := range p.Segments {
		n := s.Len(p)
		for _, kept := range subtract(Range{off, n}, excl) {
			rel := kept.Start - off
			switch {
			case s.Input != nil:
				if err := copyRange(h, r, s.Input.Start+rel, kept.Length, buf); err != nil {
					return err
				}
			case s.Store:
				return fmt.Errorf("asset: exclusions leave %d store bytes at output offset %d unexcluded", kept.Length, kept.Start)
			default:
				h.Write(s.Literal[rel : rel+kept.Length])
			}
		}
		off += n
	}
	return nil
}

// WriteTo writes the output the plan describes: input ranges from r and the
// store, which must be exactly p.StoreLen bytes, framed by p.Wrap.
func (p *Plan) WriteTo(w io.Writer, r io.ReaderAt, store []byte) (int64, error) {
	if len(store) != p.StoreLen {
		return 0, fmt.Errorf("%w: got %d bytes, planned %d", ErrStoreSize, len(store), p.StoreLen)
	}
	var carrier []byte
	if p.Carrier.Length > 0 {
		var err error
		if carrier, err = p.Wrap(store); err != nil {
			return 0, err
		}
		if int64(len(carrier)) != p.Carrier.Length {
			return 0, fmt.Errorf("%w: carrier is %d bytes, planned %d", ErrStoreSize, len(carrier), p.Carrier.Length)
		}
	}
	buf := make([]byte, min(BufferSize, p.OutputSize))
	var total int64
	for _, s := range p.Segments {
		var err error
		var n int
		switch {
		case s.Input != nil:
			err = copyRange(w, r, s.Input.Start, s.Input.Length, buf)
			if err == nil {
				total += s.Input.Length
			}
		case s.Store:
			n, err = w.Write(carrier)
			total += int64(n)
		default:
			n, err = w.Write(s.Literal)
			total += int64(n)
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// copyRange streams n bytes of r at off into w through buf.
func copyRange(w io.Writer, r io.ReaderAt, off, n int64, buf []byte) error {
	for n > 0 {
		chunk := buf[:min(int64(len(buf)), n)]
		if err := readFull(r, chunk, off); err != nil {
			return fmt.Errorf("asset: reading %d bytes at %d: %w", len(chunk), off, err)
		}
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		off += int64(len(chunk))
		n -= int64(len(chunk))
	}
	return nil
}

// HashRanges hashes the asset r of size bytes minus the exclusions, as a
// validator of c2pa.hash.data does. Zero-length exclusions are skipped;
// overlapping ones are merged; one that is negative or runs past the end is
// an ErrExclusion error.
func HashRanges(r io.ReaderAt, size int64, exclusions []Range, h hash.Hash) error {
	excl, err := normalize(exclusions, size)
	if err != nil {
		return err
	}
	buf := make([]byte, min(BufferSize, size))
	for _, kept := range subtract(Range{0, size}, excl) {
		if err := copyRange(h, r, kept.Start, kept.Length, buf); err != nil {
			return err
		}
	}
	return nil
}

// normalize validates exclusions against size and returns them sorted and merged.
func normalize(exclusions []Range, size int64) ([]Range, error) {
	var out []Range
	for _, e := range exclusions {
		if e.Start < 0 || e.Length < 0 || e.Start > size || e.Length > size-e.Start {
			return nil, fmt.Errorf("%w: [%d, +%d) in %d bytes", ErrExclusion, e.Start, e.Length, size)
		}
		if e.Length > 0 {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Range) int { return int(min(max(a.Start-b.Start, -1), 1)) })
	merged := out[:0]
	for _, e := range out {
		if n := len(merged); n > 0 && e.Start <= merged[n-1].End() {
			merged[n-1].Length = max(merged[n-1].End(), e.End()) - merged[n-1].Start
			continue
		}
		merged = append(merged, e)
	}
	return merged, nil
}

// subtract returns the parts of r not covered by the sorted, merged exclusions.
func subtract(r Range, excl []Range) []Range {
	var out []Range
	pos, end := r.Start, r.End()
	for _, e := range excl {
		if e.End() <= pos {
			continue
		}
		if e.Start >= end {
			break
		}
		if e.Start > pos {
			out = append(out, Range{pos, e.Start - pos})
		}
		pos = max(pos, e.End())
	}
	if pos < end {
		out = append(out, Range{pos, end - pos})
	}
	return out
}

// Embed writes r with store embedded by h: the common case of Plan + WriteTo.
func Embed(w io.Writer, h Handler, r io.ReaderAt, size int64, store []byte) (*Plan, error) {
	p, err := h.Plan(r, size, len(store))
	if err != nil {
		return nil, err
	}
	if _, err := p.WriteTo(w, r, store); err != nil {
		return nil, err
	}
	return p, nil
}

// Edit is one change a handler makes to its input: the bytes At (Length 0
// for a pure insertion) are replaced by the carrier (Store) and/or Literal
// bytes, or deleted when neither is set.
type Edit struct {
	At      Range
	Store   bool   // the wrapped store goes here
	Literal []byte // then these bytes
}

// Build makes the plan that applies edits to an input of size bytes: the
// output is the input with each edit's range replaced. carrier is the length
// Wrap produces for a store of storeLen bytes; the plan excludes exactly the
// carrier from the data hash. Edits may come in any order but must not
// overlap. Stores larger than MaxStoreSize are refused.
func Build(format string, size int64, storeLen int, carrier int64, wrap func([]byte) ([]byte, error), edits []Edit) (*Plan, error) {
	if storeLen < 0 || storeLen > MaxStoreSize {
		return nil, NewError(ErrTooLarge, format, 0, "store of %d bytes", storeLen)
	}
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b Edit) int {
		if a.At.Start != b.At.Start {
			return int(min(max(a.At.Start-b.At.Start, -1), 1))
		}
		return int(min(max(a.At.Length-b.At.Length, -1), 1))
	})
	p := &Plan{StoreLen: storeLen, Wrap: wrap}
	p.Carrier.Length = carrier
	var pos int64
	for _, e := range edits {
		if e.At.Start < pos || e.At.Length < 0 || e.At.End() > size {
			return nil, Malformed(format, e.At.Start, "overlapping or out-of-range edit [%d, +%d)", e.At.Start, e.At.Length)
		}
		if e.At.Start > pos {
			p.Segments = append(p.Segments, Segment{Input: &Range{pos, e.At.Start - pos}})
		}
		if e.Store && carrier > 0 {
			p.Segments = append(p.Segments, Segment{Store: true})
		}
		if len(e.Literal) > 0 {
			p.Segments = append(p.Segments, Segment{Literal: e.Literal})
		}
		pos = e.At.End()
	}
	if pos < size {
		p.Segments = append(p.Segments, Segment{Input: &Range{pos, size - pos}})
	}
	p.Finish()
	if carrier > 0 {
		p.Exclusions = []Range{p.Carrier}
	}
	return p, nil
}
