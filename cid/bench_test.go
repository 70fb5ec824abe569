package cid_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"testing"
	"time"

	"provgraph/cid"
)

// patternReader streams size bytes by repeating a 1 MiB pseudo-random
// pattern: generating the input costs one copy, the same for both sides.
type patternReader struct {
	pattern   []byte
	off       int
	remaining int64
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.remaining <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.remaining)]
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.pattern[r.off:])
		n += c
		r.off = (r.off + c) % len(r.pattern)
	}
	r.remaining -= int64(n)
	return n, nil
}

// BenchmarkSum measures the CID of a generated stream against Go's
// crypto/sha256 over the same bytes in the same run. Both are fed exactly
// as cid.Sum feeds its Builder (io.CopyBuffer with a 128 KiB buffer), in
// lockstep 4 MiB segments whose order alternates, so that the load of a
// shared machine falls on both alike. It reports both rates and their
// ratio ("x-sha256"); B/op shows the memory, which does not grow from
// 64 MiB to 1 GiB.
func BenchmarkSum(b *testing.B) {
	pattern, err := io.ReadAll(newPRNG(1 << 20))
	if err != nil {
		b.Fatal(err)
	}
	profiles := []struct {
		name string
		opts cid.Options
	}{{"kubo-v1", kuboV1}, {"kubo-v0", kuboV0}, {"unixfs-v1-2025", v12025}}
	for _, size := range []int64{64 << 20, 1 << 30} {
		for _, p := range profiles {
			b.Run(fmt.Sprintf("%s/%dMiB", p.name, size>>20), func(b *testing.B) {
				benchAgainstSHA256(b, pattern, size, p.opts)
			})
		}
	}
}

func benchAgainstSHA256(b *testing.B, pattern []byte, size int64, opts cid.Options) {
	const segment = 4 << 20
	buf := make([]byte, 128<<10) // the buffer size cid.Sum copies with
	var shaTime, cidTime time.Duration
	segmentOf := &io.LimitedReader{}
	feed := func(w io.Writer, src io.Reader, n int64, total *time.Duration) {
		start := time.Now()
		segmentOf.R, segmentOf.N = src, n
		if _, err := io.CopyBuffer(w, segmentOf, buf); err != nil {
			b.Fatal(err)
		}
		*total += time.Since(start)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		builder, err := cid.NewBuilder(opts)
		if err != nil {
			b.Fatal(err)
		}
		cidTime += time.Since(start)
		h := sha256.New()
		shaSrc := &patternReader{pattern: pattern, remaining: size}
		cidSrc := &patternReader{pattern: pattern, remaining: size}
		for i, done := 0, int64(0); done < size; i, done = i+1, done+segment {
			n := min(segment, size-done)
			if i%2 == 0 {
				feed(h, shaSrc, n, &shaTime)
				feed(builder, cidSrc, n, &cidTime)
			} else {
				feed(builder, cidSrc, n, &cidTime)
				feed(h, shaSrc, n, &shaTime)
			}
		}
		start = time.Now()
		h.Sum(nil)
		shaTime += time.Since(start)
		start = time.Now()
		builder.CID()
		cidTime += time.Since(start)
	}
	total := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(total/shaTime.Seconds(), "sha256-MB/s")
	b.ReportMetric(total/cidTime.Seconds(), "cid-MB/s")
	b.ReportMetric(shaTime.Seconds()/cidTime.Seconds(), "x-sha256")
}
