package storage

import (
	"context"
	"fmt"
	"io"
	"sync"

	"gocloud.dev/blob"
)

// Blob is random access to one stored blob: the C2PA engine and the scanner
// take an io.ReaderAt and a size, and read headers, segments and hashed
// ranges mostly in order, sometimes from two goroutines at once (signing
// walks a JPEG's scan while it hashes).
type Blob struct {
	ctx    context.Context
	bucket *blob.Bucket
	key    string
	size   int64

	// Idle range readers and where each stands, most recently used last:
	// sequential ReadAt calls (hashing a file front to back) go on with the
	// stream that stopped where they start instead of opening a request per
	// call, and up to maxCursors interleaved sequential readers each keep
	// their own. A reader in use is out of the list.
	mu      sync.Mutex
	cursors []cursor
	closed  bool
}

type cursor struct {
	r   *blob.Reader
	pos int64
}

// maxCursors bounds the idle range readers a Blob keeps open.
const maxCursors = 4

// OpenBlob opens the blob under key for random access. Close it when done.
// A Blob is safe for concurrent use, as io.ReaderAt asks.
func (s *Store) OpenBlob(ctx context.Context, key string) (*Blob, error) {
	size, err := s.Size(ctx, key)
	if err != nil {
		return nil, err
	}
	return &Blob{ctx: ctx, bucket: s.bucket, key: key, size: size}, nil
}

// Size is the blob's length in bytes.
func (b *Blob) Size() int64 { return b.size }

// take removes and returns the idle cursor standing at off, if any.
func (b *Blob) take(off int64) (cursor, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.cursors) - 1; i >= 0; i-- {
		if c := b.cursors[i]; c.pos == off {
			b.cursors = append(b.cursors[:i], b.cursors[i+1:]...)
			return c, true
		}
	}
	return cursor{}, false
}

// put returns a cursor to the idle list, closing the least recently used
// one beyond maxCursors (or c itself once the Blob is closed).
func (b *Blob) put(c cursor) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		_ = c.r.Close()
		return
	}
	b.cursors = append(b.cursors, c)
	var evict []cursor
	if n := len(b.cursors) - maxCursors; n > 0 {
		evict = append(evict, b.cursors[:n]...)
		b.cursors = append(b.cursors[:0], b.cursors[n:]...)
	}
	b.mu.Unlock()
	for _, e := range evict {
		_ = e.r.Close()
	}
}

// ReadAt implements io.ReaderAt.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("storage: read %s: negative offset", b.key)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	c, ok := b.take(off)
	if !ok {
		r, err := b.bucket.NewRangeReader(b.ctx, b.key, off, -1, nil)
		if err != nil {
			return 0, fmt.Errorf("storage: read %s at %d: %w", b.key, off, err)
		}
		c = cursor{r: r, pos: off}
	}
	want := p
	if rest := b.size - off; int64(len(want)) > rest {
		want = want[:rest]
	}
	n, err := io.ReadFull(c.r, want)
	c.pos += int64(n)
	if err != nil {
		_ = c.r.Close()
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return n, io.EOF
		}
		return n, fmt.Errorf("storage: read %s at %d: %w", b.key, off, err)
	}
	b.put(c)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Close releases the idle streams; reads still running close theirs when
// they end.
func (b *Blob) Close() error {
	b.mu.Lock()
	idle := b.cursors
	b.cursors, b.closed = nil, true
	b.mu.Unlock()
	var first error
	for _, c := range idle {
		if err := c.r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
