package scan_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"testing"

	"provgraph/internal/testenv"
	"provgraph/scan"
)

// countingReaderAt counts the bytes handed out, independently of the
// scanner's own accounting.
type countingReaderAt struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

const benchPad = 50 << 20

// entropy returns n pseudo-random bytes that are valid JPEG entropy-coded
// data (every 0xFF is stuffed with 0x00).
func entropy(n int, jpeg bool) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	p := make([]byte, n)
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(p[i:], rng.Uint64())
	}
	if jpeg {
		for i := 0; i < n-1; i++ {
			if p[i] == 0xFF {
				p[i+1] = 0
			}
		}
		p[n-1] = 0
	}
	return p
}

// bigJPEG is a real Pixel photo (C2PA, XMP, EXIF) with 50 MiB of
// entropy-coded data inserted before its EOI marker.
func bigJPEG(b testing.TB, pad int) []byte {
	src, err := os.ReadFile(testenv.Fixture(b, "c2pa/jpeg/lr-PXL_20260208_202351558.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	eoi := bytes.LastIndex(src, []byte{0xFF, 0xD9})
	out := make([]byte, 0, len(src)+pad)
	out = append(out, src[:eoi]...)
	out = append(out, entropy(pad, true)...)
	return append(out, src[eoi:]...)
}

// bigMP4 is a real MP4 (C2PA, XMP) with a 50 MiB mdat box appended.
func bigMP4(b testing.TB, pad int) []byte {
	src, err := os.ReadFile(testenv.Fixture(b, "c2pa/mp4/rs-video1.mp4"))
	if err != nil {
		b.Fatal(err)
	}
	out := make([]byte, 0, len(src)+pad+8)
	out = append(out, src...)
	out = binary.BigEndian.AppendUint32(out, uint32(pad+8))
	out = append(out, "mdat"...)
	return append(out, entropy(pad, false)...)
}

func benchScan(b *testing.B, data []byte, want scan.Report) {
	ctx := context.Background()
	var read int64
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		r := &countingReaderAt{r: bytes.NewReader(data)}
		rep, err := scan.Scan(ctx, r, int64(len(data)), scan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.HasC2PA != want.HasC2PA || rep.HasXMP != want.HasXMP || rep.MediaType != want.MediaType {
			b.Fatalf("report %s c2pa=%v xmp=%v", rep.MediaType, rep.HasC2PA, rep.HasXMP)
		}
		if rep.BytesRead != r.n.Load() {
			b.Fatalf("scanner counted %d bytes, reader handed out %d", rep.BytesRead, r.n.Load())
		}
		read = r.n.Load()
	}
	// CPU time of the whole process (GC included) per scan, next to the
	// wall-clock ns/op, since the machine may be shared.
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(read), "bytes-read/op")
	b.ReportMetric(float64(len(data)), "file-bytes")
	b.ReportMetric(100*float64(read)/float64(len(data)), "%-read")
}

func BenchmarkScanJPEG50MiB(b *testing.B) {
	benchScan(b, bigJPEG(b, benchPad), scan.Report{MediaType: scan.MediaJPEG, HasC2PA: true, HasXMP: true})
}

func BenchmarkScanMP450MiB(b *testing.B) {
	benchScan(b, bigMP4(b, benchPad), scan.Report{MediaType: scan.MediaMP4, HasC2PA: true, HasXMP: true})
}

// The baseline: scanning the small originals, to show the padding costs
// nothing.
func BenchmarkScanJPEGOriginal(b *testing.B) {
	data, err := os.ReadFile(testenv.Fixture(b, "c2pa/jpeg/lr-PXL_20260208_202351558.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, data, scan.Report{MediaType: scan.MediaJPEG, HasC2PA: true, HasXMP: true})
}

func BenchmarkScanMP4Original(b *testing.B) {
	data, err := os.ReadFile(testenv.Fixture(b, "c2pa/mp4/rs-video1.mp4"))
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, data, scan.Report{MediaType: scan.MediaMP4, HasC2PA: true, HasXMP: true})
}

// Image and media data are never read: padding a real file with 8 MiB of
// it does not change what the scan reads or reports.
func TestScanSkipsMediaData(t *testing.T) {
	const pad = 8 << 20
	cases := []struct {
		name        string
		big         []byte
		fixturePath string
		extra       int64 // header bytes the padding adds
	}{
		{"jpeg", bigJPEG(t, pad), "c2pa/jpeg/lr-PXL_20260208_202351558.jpg", 0},
		{"mp4", bigMP4(t, pad), "c2pa/mp4/rs-video1.mp4", 16}, // the appended mdat's box header
	}
	for _, tc := range cases {
		orig, err := os.ReadFile(testenv.Fixture(t, tc.fixturePath))
		if err != nil {
			t.Fatal(err)
		}
		small, err := scan.Scan(context.Background(), bytes.NewReader(orig), int64(len(orig)), scan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := &countingReaderAt{r: bytes.NewReader(tc.big)}
		big, err := scan.Scan(context.Background(), r, int64(len(tc.big)), scan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if big.BytesRead != small.BytesRead+tc.extra || r.n.Load() != big.BytesRead {
			t.Errorf("%s: read %d bytes of the padded file (counted %d), %d of the original", tc.name, big.BytesRead, r.n.Load(), small.BytesRead)
		}
		if big.BytesRead > 1<<20 {
			t.Errorf("%s: read %d bytes", tc.name, big.BytesRead)
		}
		if len(big.RawFields) != len(small.RawFields) || big.HasC2PA != small.HasC2PA || big.HasXMP != small.HasXMP {
			t.Errorf("%s: padding changed the report", tc.name)
		}
	}
}
