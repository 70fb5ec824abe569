package c2pa_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"provgraph/c2pa"
	"provgraph/internal/testenv"
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
// JPEG read its bytes. The marker walk, which must see all entropy-coded
// data, is no pass of its own: it follows the hash pass (asset.Speculator).
// Signing into a file hashes while it writes, so it is one pass, two into a
// plain writer (hash, copy); validation is one (hash). Both outputs
// validate without a failure. These counts are without thumbnails: decoding
// the image for its claim thumbnail reads it once more.
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
	noThumb := &c2pa.ManifestDefinition{NoThumbnail: true}
	if err := c2pa.Sign(context.Background(), cr, size, "image/jpeg", out, noThumb, signer); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / size; passes > 1.2 {
		t.Errorf("signing into a file read the asset %.2f times, want one pass", passes)
	}
	cr = &countingReader{r: f}
	if err := c2pa.Sign(context.Background(), cr, size, "image/jpeg", io.Discard, nil, signer); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / size; passes > 3.2 {
		t.Errorf("signing with a thumbnail into a plain writer read the asset %.2f times, want at most 3 passes", passes)
	}

	cr = &countingReader{r: f}
	var buf bytes.Buffer
	if err := c2pa.Sign(context.Background(), cr, size, "image/jpeg", &buf, noThumb, signer); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / size; passes > 2.2 {
		t.Errorf("signing into a buffer read the asset %.2f times, want at most 2 passes", passes)
	}
	rep, err := c2pa.Read(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "image/jpeg", c2pa.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fails := rep.FailureCodes(); rep.ValidationState != "Valid" || len(fails) != 1 || fails[0] != "signingCredential.untrusted" {
		t.Errorf("buffer output: %s %v", rep.ValidationState, fails)
	}

	st, err := out.Stat()
	if err != nil {
		t.Fatal(err)
	}
	rep, err = c2pa.Read(context.Background(), out, st.Size(), "image/jpeg", c2pa.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fails := rep.FailureCodes(); rep.ValidationState != "Valid" || len(fails) != 1 || fails[0] != "signingCredential.untrusted" {
		t.Errorf("file output: %s %v", rep.ValidationState, fails)
	}
	cr = &countingReader{r: out}
	if _, err := c2pa.Read(context.Background(), cr, st.Size(), "image/jpeg", c2pa.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if passes := float64(cr.n.Load()) / float64(st.Size()); passes > 1.2 {
		t.Errorf("validation read the asset %.2f times, want one pass", passes)
	}

	// The file written in one pass is what c2pa-rs expects too.
	if os.Getenv("PROVGRAPH_ORACLE") != "" || os.Getenv("CI") != "" {
		got, _ := testenv.OracleVerify(t, out.Name(), "--trust", testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
		if got["validation_state"] != "Trusted" {
			t.Errorf("oracle: %v %v", got["validation_state"], got["validation_status"])
		}
	}
}
