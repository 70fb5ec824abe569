package asset

import (
	"fmt"
	"hash"
	"io"
)

// pipelineDepth is how many buffers WriteHashing has in flight between
// reading, hashing and writing.
const pipelineDepth = 6

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

	// Three stages, each in its own goroutine, so that on two cores the
	// hashing one never waits for I/O: a reader fills buffers with the
	// output's bytes in order, this goroutine hashes them, a writer writes
	// them and hands them back.
	size := min(BufferSize, max(p.OutputSize, 1))
	free := make(chan []byte, pipelineDepth)
	for range pipelineDepth {
		free <- make([]byte, size)
	}
	filled := make(chan []byte, pipelineDepth)
	full := make(chan []byte, pipelineDepth)
	readDone, writeDone := make(chan struct{}), make(chan struct{})
	var (
		written           int64
		readErr, writeErr error
	)
	go func() {
		defer close(writeDone)
		for b := range full {
			if writeErr == nil {
				var n int
				n, writeErr = w.Write(b)
				written += int64(n)
			}
			free <- b[:cap(b)]
		}
	}()
	go func() {
		defer close(readDone)
		defer close(filled)
		readErr = p.fill(r, free, filled)
	}()

	var off int64 // output offset of the next byte
	for b := range filled {
		for _, kept := range subtract(Range{off, int64(len(b))}, excl) {
			h.Write(b[kept.Start-off : kept.End()-off])
		}
		off += int64(len(b))
		full <- b
	}
	<-readDone
	close(full)
	<-writeDone
	if readErr != nil {
		return written, readErr
	}
	return written, writeErr
}

// fill produces the plan's output bytes in order into buffers taken from
// free and sends them on filled.
func (p *Plan) fill(r io.ReaderAt, free <-chan []byte, filled chan<- []byte) error {
	emit := func(n int64, produce func(buf []byte, done int64) error) error {
		for done := int64(0); done < n; {
			buf := <-free
			buf = buf[:min(int64(len(buf)), n-done)]
			if err := produce(buf, done); err != nil {
				return err
			}
			filled <- buf
			done += int64(len(buf))
		}
		return nil
	}
	for _, s := range p.Segments {
		var err error
		switch {
		case s.Input != nil:
			start := s.Input.Start
			err = emit(s.Input.Length, func(buf []byte, done int64) error {
				if err := readFull(r, buf, start+done); err != nil {
					return fmt.Errorf("asset: reading %d bytes at %d: %w", len(buf), start+done, err)
				}
				return nil
			})
		case s.Store:
			err = emit(p.Carrier.Length, func(buf []byte, _ int64) error {
				clear(buf)
				return nil
			})
		default:
			lit := s.Literal
			err = emit(int64(len(lit)), func(buf []byte, done int64) error {
				copy(buf, lit[done:])
				return nil
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}
