package jobs

import (
	"encoding/json"
	"fmt"
	"io"

	"provgraph/storage"
)

// params encodes the run as the job's params.
func (r Run) params() (map[string]any, error) {
	var m map[string]any
	if err := DecodeParams(r, &m); err != nil {
		return nil, fmt.Errorf("jobs: encoding params: %w", err)
	}
	return m, nil
}

// DecodeParams converts from (a job's or workflow's JSON field, or a value
// to store in one) into to through its JSON encoding.
func DecodeParams(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// blobReader is a stored blob as an io.ReadSeeker and io.ReaderAt: the
// scanner and the verifier then read it in place instead of spooling it.
type blobReader struct {
	b   *storage.Blob
	off int64
}

func (r *blobReader) Read(p []byte) (int, error) {
	n, err := r.b.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (r *blobReader) ReadAt(p []byte, off int64) (int, error) { return r.b.ReadAt(p, off) }

func (r *blobReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.b.Size()
	default:
		return 0, fmt.Errorf("jobs: seek whence %d", whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("jobs: seek to %d", offset)
	}
	r.off = offset
	return offset, nil
}
