package asset

import (
	"fmt"
	"hash"
	"io"
)

// WriteHashing writes the output the plan describes with zeros where the
// carrier goes, and hashes the output minus p.Exclusions on the way: one
// pass over the input instead of HashExcluding then WriteTo. The caller
// writes the real carrier (Wrap of the final store) over the zeros at
// p.Carrier.Start afterwards, which needs a seekable output.
func (p *Plan) WriteHashing(w io.Writer, r io.ReaderAt, h hash.Hash) (int64, error) {
	excl, err := normalize(p.Exclusions, p.OutputSize)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(BufferSize, max(p.OutputSize, 1)))
	var off int64 // output offset
	emit := func(b []byte) error {
		for _, kept := range subtract(Range{off, int64(len(b))}, excl) {
			h.Write(b[kept.Start-off : kept.End()-off])
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		off += int64(len(b))
		return nil
	}
	for _, s := range p.Segments {
		switch {
		case s.Input != nil:
			in, n := s.Input.Start, s.Input.Length
			for n > 0 {
				chunk := buf[:min(int64(len(buf)), n)]
				if err := readFull(r, chunk, in); err != nil {
					return off, fmt.Errorf("asset: reading %d bytes at %d: %w", len(chunk), in, err)
				}
				if err := emit(chunk); err != nil {
					return off, err
				}
				in, n = in+int64(len(chunk)), n-int64(len(chunk))
			}
		case s.Store:
			for _, kept := range subtract(Range{off, p.Carrier.Length}, excl) {
				return off, fmt.Errorf("asset: exclusions leave %d store bytes at output offset %d unexcluded", kept.Length, kept.Start)
			}
			zero := make([]byte, min(int64(len(buf)), max(p.Carrier.Length, 1)))
			for left := p.Carrier.Length; left > 0; {
				k := min(int64(len(zero)), left)
				if err := emit(zero[:k]); err != nil {
					return off, err
				}
				left -= k
			}
		default:
			if err := emit(s.Literal); err != nil {
				return off, err
			}
		}
	}
	return off, nil
}
