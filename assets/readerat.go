package assets

import (
	"errors"
	"io"
	"sync"
)

// seekReaderAt gives random access to an io.ReadSeeker (an upload spooled
// to memory or a temporary file) so it can be scanned where it is instead
// of being read back from the blob store. Reads are serialised: the C2PA
// engine reads ahead from a second goroutine.
type seekReaderAt struct {
	mu sync.Mutex
	rs io.ReadSeeker
}

// ReadAt implements io.ReaderAt.
func (r *seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return fullRead(r.rs, p)
}

// fullRead fills p from r and reports a short read as io.EOF, as
// io.ReaderAt requires.
func fullRead(r io.Reader, p []byte) (int, error) {
	n, err := io.ReadFull(r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}
