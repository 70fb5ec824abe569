package c2pa

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"runtime"
	"testing"
)

// pngHeader returns the signature and IHDR chunk of a w×h RGBA PNG: all
// image.DecodeConfig reads.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	chunk := append([]byte("IHDR"), ihdr...)
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func encodePNG(t *testing.T, w, h int, alpha uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, alpha})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMakeThumbnail checks the scaling (long edge at most 1024, never
// enlarged, aspect kept), the format (JPEG, PNG for a transparent image)
// and that images over MaxThumbnailPixelBytes or not images at all get
// none, without decoding their pixels.
func TestMakeThumbnail(t *testing.T) {
	cases := []struct {
		name         string
		data         []byte
		ok           bool
		mediaType    string
		wantW, wantH int
	}{
		{"small kept", encodePNG(t, 300, 200, 255), true, "image/jpeg", 300, 200},
		{"wide scaled", encodePNG(t, 2048, 512, 255), true, "image/jpeg", 1024, 256},
		{"tall scaled", encodePNG(t, 600, 1200, 255), true, "image/jpeg", 512, 1024},
		{"transparent", encodePNG(t, 1500, 1000, 100), true, "image/png", 1024, 682},
		{"too many pixels", pngHeader(4097, 4096), false, "", 0, 0},
		{"huge declared", pngHeader(1<<30, 1<<30), false, "", 0, 0},
		{"truncated", pngHeader(64, 64), false, "", 0, 0},
		{"not an image", []byte("ID3\x04\x00 not a picture"), false, "", 0, 0},
		{"empty", nil, false, "", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			th, mt, ok := makeThumbnail(bytes.NewReader(tc.data), int64(len(tc.data)))
			runtime.ReadMemStats(&after)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
					t.Errorf("skipped image allocated %d bytes", grown)
				}
				return
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(th))
			if err != nil || "image/"+format != tc.mediaType || mt != tc.mediaType {
				t.Fatalf("thumbnail %s (decoded as %s, %v), want %s", mt, format, err, tc.mediaType)
			}
			if cfg.Width != tc.wantW || cfg.Height != tc.wantH {
				t.Errorf("thumbnail %d×%d, want %d×%d", cfg.Width, cfg.Height, tc.wantW, tc.wantH)
			}
		})
	}
}
