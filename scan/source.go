package scan

import (
	"errors"
	"fmt"
	"io"
)

// budget counts the bytes a scan reads and refuses reads past its limit, so a
// hostile or merely huge file costs at most Options.MaxMetadataBytes.
type budget struct {
	limit int64
	used  int64
}

// source is a window [base, base+size) of an io.ReaderAt whose reads are
// charged to a shared budget. Offsets given to its methods are relative to
// the window.
type source struct {
	r    io.ReaderAt
	base int64
	size int64
	b    *budget
}

func newSource(r io.ReaderAt, size int64, b *budget) *source {
	return &source{r: r, size: size, b: b}
}

// bytesSource wraps an in-memory block (an EXIF payload) so the same
// walkers read it. Its reads are not file reads, so they have a budget of
// their own: a few times the block, enough for any honest layout, too
// little for a block whose entries all point at the same large value.
func bytesSource(p []byte) *source {
	return &source{r: bytesReaderAt(p), size: int64(len(p)), b: &budget{limit: 4*int64(len(p)) + 64<<10}}
}

type bytesReaderAt []byte

func (p bytesReaderAt) ReadAt(dst []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(p)) {
		return 0, io.EOF
	}
	n := copy(dst, p[off:])
	if n < len(dst) {
		return n, io.EOF
	}
	return n, nil
}

// sub returns the window [off, off+n) of s, clipped to s.
func (s *source) sub(off, n int64) *source {
	if off < 0 || off > s.size {
		off, n = s.size, 0
	}
	if n < 0 || n > s.size-off {
		n = s.size - off
	}
	return &source{r: s.r, base: s.base + off, size: n, b: s.b}
}

// read returns exactly n bytes at off. Reading past the end of the window
// is a FormatError (truncated data); reading past the budget is
// ErrMetadataLimit.
func (s *source) read(format string, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > s.size || n > s.size-off {
		return nil, formatErr(format, s.base+off, "%d bytes needed, %d available", n, max(s.size-off, 0))
	}
	if s.b != nil {
		if s.b.used+n > s.b.limit {
			return nil, fmt.Errorf("reading %d bytes at offset %d of %s: %w", n, s.base+off, format, ErrMetadataLimit)
		}
		s.b.used += n
	}
	p := make([]byte, n)
	got, err := s.r.ReadAt(p, s.base+off)
	if got == len(p) {
		return p, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return nil, formatErr(format, s.base+off+int64(got), "file ends inside a %d-byte read", n)
	}
	return nil, fmt.Errorf("reading %s at offset %d: %w", format, s.base+off, err)
}

// readUpTo returns up to n bytes at off, fewer at the end of the window.
func (s *source) readUpTo(format string, off, n int64) ([]byte, error) {
	if off >= s.size {
		return nil, nil
	}
	return s.read(format, off, min(n, s.size-off))
}
