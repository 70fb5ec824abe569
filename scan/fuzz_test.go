package scan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"provgraph/internal/testenv"
)

// fuzzSeedLimit keeps seeds small: the metadata sits at the front of every
// format, so a prefix of a real file is a good seed.
const fuzzSeedLimit = 16 << 10

// seedFuzz adds the files matching the globs (under shared/fixtures/c2pa
// and testdata) as seeds.
func seedFuzz(f *testing.F, globs ...string) {
	f.Helper()
	dir := testenv.Fixture(f, "c2pa")
	n := 0
	for _, g := range globs {
		for _, base := range []string{dir, "testdata"} {
			paths, _ := filepath.Glob(filepath.Join(base, g))
			for _, p := range paths {
				data, err := os.ReadFile(p)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data[:min(len(data), fuzzSeedLimit)])
				n++
			}
		}
	}
	if n == 0 {
		f.Fatalf("no seed files for %v", globs)
	}
}

// fuzzWalk runs one container walker on hostile bytes and checks the
// invariants: no panic, the budget holds, the report encodes.
func fuzzWalk(t *testing.T, walk func(*collector, *source) error, mediaType string, data []byte) {
	c := newCollector(Options{MaxFieldBytes: 256}, mediaType)
	b := &budget{limit: 1 << 20}
	err := walk(c, newSource(bytesReaderAt(data), int64(len(data)), b))
	if err != nil && !isContentError(err) {
		t.Fatalf("walker returned a non-content error on in-memory bytes: %v", err)
	}
	c.finish()
	if b.used > b.limit {
		t.Fatalf("read %d bytes over a %d budget", b.used, b.limit)
	}
	if _, err := json.Marshal(c.rep); err != nil {
		t.Fatal(err)
	}
}

func FuzzJPEG(f *testing.F) {
	seedFuzz(f, "jpeg/*.jp*g", "*.jpg")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkJPEG, MediaJPEG, data) })
}

func FuzzPNG(f *testing.F) {
	seedFuzz(f, "png/*.png", "*.png")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkPNG, MediaPNG, data) })
}

func FuzzRIFF(f *testing.F) {
	seedFuzz(f, "webp/*.webp", "wav/*.wav", "avi/*.avi", "*.webp")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkRIFF, MediaWebP, data) })
}

func FuzzBMFF(f *testing.F) {
	seedFuzz(f, "heic/*.heic", "heif/*.heif", "avif/*.avif", "mp4/*.mp4", "m4a/*.m4a", "*.heic", "*.avif")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkBMFF, MediaMP4, data) })
}

func FuzzTIFF(f *testing.F) {
	seedFuzz(f, "tiff/*", "dng/*.dng", "*.tif")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkTIFF, MediaTIFF, data) })
}

func FuzzGIF(f *testing.F) {
	seedFuzz(f, "gif/*.gif", "*.gif")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkGIF, MediaGIF, data) })
}

func FuzzID3(f *testing.F) {
	seedFuzz(f, "mp3/*.mp3")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzWalk(t, walkMP3, MediaMP3, data) })
}

func FuzzXMP(f *testing.F) {
	for _, p := range []string{"testdata/ai.xmp"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Packets as real files carry them.
	for _, p := range []string{"c2pa/jpeg/rs-no_manifest.jpg", "c2pa/svg/rs-sample1.svg", "c2pa/jpeg/pt-adobe-20220124-A.jpg"} {
		c := newCollector(Options{}, "")
		var packets [][]byte
		data, err := os.ReadFile(testenv.Fixture(f, p))
		if err != nil {
			f.Fatal(err)
		}
		for i := 0; i < len(data); {
			j := indexFrom(data, i, "<x:xmpmeta")
			if j < 0 {
				break
			}
			k := indexFrom(data, j, "</x:xmpmeta>")
			if k < 0 {
				break
			}
			packets = append(packets, data[j:k+len("</x:xmpmeta>")])
			i = k
		}
		_ = c
		for _, pk := range packets {
			f.Add(pk)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		_ = parseXMP(data, func(string, string) { n++ })
		if n > len(data) {
			t.Fatalf("%d fields from %d bytes", n, len(data))
		}
	})
}

// FuzzScan runs the whole scan, media type sniffing included.
func FuzzScan(f *testing.F) {
	seedFuzz(f, "jpeg/rs-CA.jpg", "png/ts-amazon-titan-g1.png", "heic/*.heic", "svg/rs-sample1.svg", "pdf/rs-basic.pdf", "*.png", "*.gif")
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Scan(context.Background(), bytesReaderAt(data), int64(len(data)), Options{MaxMetadataBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if rep.BytesRead > 1<<20 {
			t.Fatalf("read %d bytes", rep.BytesRead)
		}
	})
}

func indexFrom(data []byte, from int, s string) int {
	for i := from; i+len(s) <= len(data); i++ {
		if string(data[i:i+len(s)]) == s {
			return i
		}
	}
	return -1
}
