package assets_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"

	"provgraph/assets"
	"provgraph/cid"
	"provgraph/db/dbtest"
	"provgraph/internal/testenv"
)

// BenchmarkScan measures storing and scanning a ~5 MB JPEG against the
// baseline of only hashing it (SHA-256 and CIDv1), which every upload pays.
func BenchmarkScan(b *testing.B) {
	img := testenv.NoiseJPEG(b, 5<<20)
	b.Run("baseline-hash-only", func(b *testing.B) {
		b.SetBytes(int64(len(img)))
		for b.Loop() {
			cb, err := cid.NewBuilder(cid.Options{Version: 1})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.MultiWriter(sha256.New(), cb), bytes.NewReader(img)); err != nil {
				b.Fatal(err)
			}
			_ = cb.CID()
		}
	})
	b.Run("store-and-scan", func(b *testing.B) {
		f := newFixture(b, dbtest.SQLiteURL(b), assets.Options{})
		b.SetBytes(int64(len(img)))
		for b.Loop() {
			res, err := f.svc.Scan(f.ctx, assets.ScanRequest{Files: []assets.Upload{{FileName: "n.jpg", Content: bytes.NewReader(img), Size: int64(len(img))}}})
			if err != nil || res.Files[0].Err != nil {
				b.Fatal(err, res.Files[0].Err)
			}
		}
	})
}
