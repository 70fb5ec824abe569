package c2pa

import (
	"bytes"
	"io"
	"math/rand"
	"testing"
)

func TestReadAhead(t *testing.T) {
	data := make([]byte, 5*readAheadWindow+12345)
	rand.New(rand.NewSource(1)).Read(data)
	ra := newReadAhead(bytes.NewReader(data), int64(len(data)))
	defer ra.Close()
	rng := rand.New(rand.NewSource(2))
	off := int64(0)
	for i := 0; i < 2000; i++ {
		n := rng.Intn(300000) + 1
		if rng.Intn(5) == 0 {
			off = rng.Int63n(int64(len(data)))
		}
		p := make([]byte, n)
		got, err := ra.ReadAt(p, off)
		want := min(n, len(data)-int(off))
		if got != want || (err != nil && err != io.EOF) || (got < n && err != io.EOF) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v; want %d", n, off, got, err, want)
		}
		if !bytes.Equal(p[:got], data[off:off+int64(got)]) {
			t.Fatalf("ReadAt(%d, %d): wrong bytes", n, off)
		}
		off += int64(got)
		if off >= int64(len(data)) {
			off = 0
		}
	}
}
