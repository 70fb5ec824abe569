package c2pa_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"provgraph/c2pa"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestSignAndVerifyPassCount pins how many times signing and validating a
// JPEG read its bytes: the marker walk (which reads all entropy-coded data)
// is shared by ReadStore and Plan within one operation, so signing is three
// passes (walk, hash, copy) and validation two (walk, hash), not more.
func TestSignAndVerifyPassCount(t *testing.T) {
	const size = 8 << 20
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jpg")
	if err := writeBigJPEG(in, size); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	signer := loadTestSigner(t, "es256")

	cr := &countingReader{r: f}
	out, err := os.Create(filepath.Join(dir, "out.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := c2pa.Sign(context.Background(), cr, size, "image/jpeg", out, nil, signer); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / size; passes > 3.2 {
		t.Errorf("signing read the asset %.2f times, want at most 3 passes", passes)
	}

	st, err := out.Stat()
	if err != nil {
		t.Fatal(err)
	}
	cr = &countingReader{r: out}
	if _, err := c2pa.Read(context.Background(), cr, st.Size(), "image/jpeg", c2pa.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / float64(st.Size()); passes > 2.2 {
		t.Errorf("validation read the asset %.2f times, want at most 2 passes", passes)
	}
}
