package asset

import (
	"fmt"
	"hash"
	"io"
)

// pipelineDepth is how many buffers WriteHashing has in flight between
// hashing and writing.
const pipelineDepth = 4

// WriteHashing writes the output the plan describes with zeros where the
// carrier goes, and hashes the output minus p.Exclusions on the way: one
// pass over the input instead of HashExcluding then WriteTo. Writing runs
// in its own goroutine, so it overlaps hashing. The caller writes the real
// carrier (Wrap of the final store) over the zeros at p.Carrier.Start
// afterwards, which needs a seekable output.
func (p *Plan) WriteHashing(w io.Writer, r io.ReaderAt, h hash.Hash) (int64, error) {
	excl, err := normalize(p.Exclusions, p.OutputSize)
	if err != nil {
		return 0, err
	}
	for _, s := range p.Segments {
		if s.Store {
			// The store's bytes are not known yet: they must be excluded.
			var off int64
			for _, t := range p.Segments {
				if t.Store {
					break
				}
				off += t.Len(p)
			}
			if kept := subtract(Range{off, p.Carrier.Length}, excl); len(kept) > 0 {
				return 0, fmt.Errorf("asset: exclusions leave %d store bytes at output offset %d unexcluded", kept[0].Length, kept[0].Start)
			}
		}
	}

	size := min(BufferSize, max(p.OutputSize, 1))
	free := make(chan []byte, pipelineDepth)
	for range pipelineDepth {
		free <- make([]byte, size)
	}
	full := make(chan []byte, pipelineDepth)
	done := make(chan struct{})
	var (
		written  int64
		writeErr error
	)
	go func() {
		defer close(done)
		for b := range full {
			if writeErr == nil {
				var n int
				n, writeErr = w.Write(b)
				written += int64(n)
			}
			free <- b[:cap(b)]
		}
	}()

	var off int64 // output offset of the next byte
	// emit hashes the kept part of b (output bytes at off) and hands it to
	// the writer; b must come from free.
	emit := func(b []byte) {
		for _, kept := range subtract(Range{off, int64(len(b))}, excl) {
			h.Write(b[kept.Start-off : kept.End()-off])
		}
		off += int64(len(b))
		full <- b
	}
	fill := func(n int64, read func(buf []byte, done int64) error) error {
		for done := int64(0); done < n; {
			buf := <-free
			buf = buf[:min(int64(len(buf)), n-done)]
			if err := read(buf, done); err != nil {
				free <- buf[:cap(buf)]
				return err
			}
			emit(buf)
			done += int64(len(buf))
		}
		return nil
	}
	var readErr error
	for _, s := range p.Segments {
		switch {
		case s.Input != nil:
			start := s.Input.Start
			readErr = fill(s.Input.Length, func(buf []byte, done int64) error {
				if err := readFull(r, buf, start+done); err != nil {
					return fmt.Errorf("asset: reading %d bytes at %d: %w", len(buf), start+done, err)
				}
				return nil
			})
		case s.Store:
			readErr = fill(p.Carrier.Length, func(buf []byte, _ int64) error {
				clear(buf)
				return nil
			})
		default:
			lit := s.Literal
			readErr = fill(int64(len(lit)), func(buf []byte, done int64) error {
				copy(buf, lit[done:])
				return nil
			})
		}
		if readErr != nil {
			break
		}
	}
	close(full)
	<-done
	if readErr != nil {
		return written, readErr
	}
	return written, writeErr
}
