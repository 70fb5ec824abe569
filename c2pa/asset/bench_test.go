package asset_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/jpeg"
	"provgraph/c2pa/png"
)

const benchSize = 100 << 20

// syntheticJPEG returns a JPEG of about n bytes: SOI, APP0, a scan of
// random entropy-coded data (0xFF bytes stuffed as FF 00) and EOI.
func syntheticJPEG(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	out := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0}
	out = append(out, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0)
	for len(out) < n-2 {
		b := byte(rng.Uint32())
		out = append(out, b)
		if b == 0xFF {
			out = append(out, 0)
		}
	}
	return append(out, 0xFF, 0xD9)
}

// syntheticPNG returns a PNG of about n bytes: IHDR, 1 MiB IDAT chunks of
// random bytes, IEND (CRCs are computed; the data is not a valid image).
func syntheticPNG(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	chunk := func(out []byte, typ string, data []byte) []byte {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		start := len(out)
		out = append(append(out, typ...), data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
	}
	out := []byte(png.Signature)
	out = chunk(out, "IHDR", []byte{0, 0, 16, 0, 0, 0, 16, 0, 8, 2, 0, 0, 0})
	data := make([]byte, 1<<20)
	for len(out) < n-(1<<20) {
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		out = chunk(out, "IDAT", data)
	}
	return chunk(out, "IEND", nil)
}

// BenchmarkPlanHashWrite measures what signing costs per asset — Plan, then
// HashExcluding (the data hash) and WriteTo (the output) — against a plain
// sha256 pass over the same bytes, timed in the same iteration so the ratio
// compares like with like. Metrics: ns of each part and their ratio.
func BenchmarkPlanHashWrite(b *testing.B) {
	store := testStore(200000)
	for _, tt := range []struct {
		name string
		h    asset.Handler
		make func(int) []byte
	}{
		{"jpeg-100MiB", jpeg.Handler{}, syntheticJPEG},
		{"png-100MiB", png.Handler{}, syntheticPNG},
	} {
		b.Run(tt.name, func(b *testing.B) {
			data := tt.make(benchSize)
			r, size := bytes.NewReader(data), int64(len(data))
			b.SetBytes(size)
			var base, ours time.Duration
			for b.Loop() {
				t0 := time.Now()
				sum := sha256.Sum256(data)
				t1 := time.Now()
				p, err := tt.h.Plan(r, size, len(store))
				if err != nil {
					b.Fatal(err)
				}
				h := sha256.New()
				if err := p.HashExcluding(r, h); err != nil {
					b.Fatal(err)
				}
				if _, err := p.WriteTo(io.Discard, r, store); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				base += t1.Sub(t0)
				ours += t2.Sub(t1)
				_ = sum
			}
			n := float64(b.N)
			b.ReportMetric(float64(base.Nanoseconds())/n, "sha256-ns/op")
			b.ReportMetric(float64(ours.Nanoseconds())/n, "plan+hash+write-ns/op")
			b.ReportMetric(float64(ours)/float64(base), "x-sha256")
		})
	}
}
