package storage

import (
	"context"
	"fmt"
	"io"

	"gocloud.dev/blob"
)

// Blob is random access to one stored blob: the C2PA engine and the scanner
// take an io.ReaderAt and a size, and read headers, segments and hashed
// ranges mostly in order.
type Blob struct {
	ctx    context.Context
	bucket *blob.Bucket
	key    string
	size   int64

	// cur is the range reader of the last read and pos where it stands, so
	// sequential ReadAt calls (hashing a file front to back) reuse one
	// stream instead of opening a request per call.
	cur *blob.Reader
	pos int64
}

// OpenBlob opens the blob under key for random access. Close it when done.
// A Blob is not safe for concurrent use.
func (s *Store) OpenBlob(ctx context.Context, key string) (*Blob, error) {
	size, err := s.Size(ctx, key)
	if err != nil {
		return nil, err
	}
	return &Blob{ctx: ctx, bucket: s.bucket, key: key, size: size}, nil
}

// Size is the blob's length in bytes.
func (b *Blob) Size() int64 { return b.size }

// ReadAt implements io.ReaderAt.
func (b *Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("storage: read %s: negative offset", b.key)
	}
	if off >= b.size {
		return 0, io.EOF
	}
	if b.cur == nil || b.pos != off {
		if b.cur != nil {
			_ = b.cur.Close()
			b.cur = nil
		}
		r, err := b.bucket.NewRangeReader(b.ctx, b.key, off, -1, nil)
		if err != nil {
			return 0, fmt.Errorf("storage: read %s at %d: %w", b.key, off, err)
		}
		b.cur, b.pos = r, off
	}
	want := p
	if rest := b.size - off; int64(len(want)) > rest {
		want = want[:rest]
	}
	n, err := io.ReadFull(b.cur, want)
	b.pos += int64(n)
	if err != nil {
		_ = b.cur.Close()
		b.cur = nil
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return n, io.EOF
		}
		return n, fmt.Errorf("storage: read %s at %d: %w", b.key, off, err)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Close releases the underlying stream.
func (b *Blob) Close() error {
	if b.cur == nil {
		return nil
	}
	err := b.cur.Close()
	b.cur = nil
	return err
}
