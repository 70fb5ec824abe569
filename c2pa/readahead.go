package c2pa

import (
	"io"
	"sync"
)

// readAhead wraps an io.ReaderAt for the sequential passes of signing and
// validation (container scans, hashing, copying): while the caller works on
// one window of the asset, the next window is read in the background, so
// I/O overlaps hashing. Memory is bounded by two windows; random access
// falls back to direct reads. A readAhead is used by one goroutine at a time.
type readAhead struct {
	memo // handlers' structure walks, shared within the operation

	r    io.ReaderAt
	size int64

	mu      sync.Mutex
	cur     []byte // window at curOff
	curOff  int64
	next    chan window // pending read of the window after cur, or nil
	nextOff int64
	spare   []byte
	lastEnd int64 // end of the last direct read, to detect sequential access

	// Speculation (see speculate.go): speculative is set by the operation
	// before use; follows is guarded by specMu, taken after mu.
	speculative bool
	specMu      sync.Mutex
	follows     []*following
}

type window struct {
	buf []byte
	n   int
	err error
}

// readAheadWindow is the size of one read-ahead window.
const readAheadWindow = 1 << 20

func newReadAhead(r io.ReaderAt, size int64) *readAhead {
	return &readAhead{r: r, size: size, curOff: -1, lastEnd: -1}
}

func (ra *readAhead) fetch(off int64, buf []byte) chan window {
	ch := make(chan window, 1)
	n := int(min(int64(len(buf)), ra.size-off))
	go func() {
		m, err := ra.r.ReadAt(buf[:n], off)
		if err == io.EOF && m == n {
			err = nil
		}
		ch <- window{buf: buf, n: m, err: err}
	}()
	return ch
}

// ReadAt serves p from the current window when it can and switches to
// windows (with read-ahead) once access is sequential; other reads go
// straight to the underlying ReaderAt.
func (ra *readAhead) ReadAt(p []byte, off int64) (int, error) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	total := 0
	for len(p) > 0 {
		if off >= ra.size {
			return total, io.EOF
		}
		if ra.cur != nil && off >= ra.curOff && off < ra.curOff+int64(len(ra.cur)) {
			n := copy(p, ra.cur[off-ra.curOff:])
			total, off, p = total+n, off+int64(n), p[n:]
			continue
		}
		sequential := off == ra.lastEnd || (ra.cur != nil && off == ra.curOff+int64(len(ra.cur))) || (ra.next != nil && off == ra.nextOff)
		if !sequential {
			n, err := ra.r.ReadAt(p, off)
			ra.lastEnd = off + int64(n)
			if ra.speculative && n > 0 {
				ra.feed(p[:n], off)
			}
			return total + n, err
		}
		if err := ra.load(off); err != nil {
			return total, err
		}
	}
	return total, nil
}

// load makes the window starting at off current, using the prefetch when
// it is the one, and starts fetching the window after it.
func (ra *readAhead) load(off int64) error {
	var w window
	if ra.next != nil && ra.nextOff == off {
		w = <-ra.next
	} else {
		if ra.next != nil {
			old := <-ra.next // wait so its buffer can be reused
			ra.spare = old.buf
		}
		buf := ra.spare
		if buf == nil {
			buf = make([]byte, readAheadWindow)
		}
		w = <-ra.fetch(off, buf)
	}
	ra.next = nil
	if w.err != nil {
		return w.err
	}
	if ra.cur != nil {
		ra.spare = ra.cur[:cap(ra.cur)]
	}
	ra.cur, ra.curOff = w.buf[:w.n], off
	if w.n == 0 {
		return io.ErrUnexpectedEOF
	}
	if ra.speculative {
		ra.feed(ra.cur, off)
	}
	if nextOff := off + int64(w.n); nextOff < ra.size {
		buf := ra.spare
		ra.spare = nil
		if buf == nil {
			buf = make([]byte, readAheadWindow)
		}
		ra.next, ra.nextOff = ra.fetch(nextOff, buf), nextOff
	}
	return nil
}

// Close waits for a pending read so that no goroutine outlives the pass.
func (ra *readAhead) Close() {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if ra.next != nil {
		<-ra.next
		ra.next = nil
	}
}
