package c2pa

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
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

// exifJPEG returns a 48×24 JPEG, red in its top-left 8×8 block, with an
// APP1 Exif segment holding orientation o (none when o is 0) in byte order bo.
func exifJPEG(t *testing.T, o uint16, bo binary.AppendByteOrder) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 24))
	for y := range 24 {
		for x := range 48 {
			c := color.RGBA{0, 0, 255, 255}
			if x < 8 && y < 8 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if o == 0 {
		return buf.Bytes()
	}
	tiff := []byte("II*\x00")
	if bo.String() == binary.BigEndian.String() {
		tiff = []byte("MM\x00*")
	}
	tiff = bo.AppendUint32(tiff, 8)
	tiff = bo.AppendUint16(tiff, 1)
	tiff = bo.AppendUint16(tiff, 0x0112)
	tiff = bo.AppendUint16(tiff, 3)
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(seg)+2))
	out := append([]byte{0xff, 0xd8}, app1...)
	out = append(out, seg...)
	return append(out, buf.Bytes()[2:]...)
}

// TestThumbnailOrientation checks that JPEG thumbnails are turned upright
// by their EXIF orientation, as c2pa-rs does: size and where the red
// corner block lands.
func TestThumbnailOrientation(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		w, h   int
		redX   int // x, y of a pixel inside the red block afterwards
		redY   int
		orient int
	}{
		{"none", exifJPEG(t, 0, binary.BigEndian), 48, 24, 2, 2, 1},
		{"1 big-endian", exifJPEG(t, 1, binary.BigEndian), 48, 24, 2, 2, 1},
		{"3 rotate 180", exifJPEG(t, 3, binary.LittleEndian), 48, 24, 45, 21, 3},
		{"6 rotate 90 clockwise", exifJPEG(t, 6, binary.BigEndian), 24, 48, 21, 2, 6},
		{"8 rotate 90 counter-clockwise", exifJPEG(t, 8, binary.LittleEndian), 24, 48, 2, 45, 8},
		{"2 mirrored", exifJPEG(t, 2, binary.LittleEndian), 48, 24, 45, 2, 2},
		{"out of range", exifJPEG(t, 9, binary.BigEndian), 48, 24, 2, 2, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := jpegOrientation(bytes.NewReader(tc.data), int64(len(tc.data))); got != tc.orient {
				t.Errorf("orientation %d, want %d", got, tc.orient)
			}
			th, _, ok := makeThumbnail(bytes.NewReader(tc.data), int64(len(tc.data)))
			if !ok {
				t.Fatal("no thumbnail")
			}
			img, err := jpeg.Decode(bytes.NewReader(th))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Fatalf("thumbnail %d×%d, want %d×%d", b.Dx(), b.Dy(), tc.w, tc.h)
			}
			if r, _, bl, _ := img.At(tc.redX, tc.redY).RGBA(); r < 0xc000 || bl > 0x4000 {
				t.Errorf("pixel (%d,%d) is not red: r %#x b %#x", tc.redX, tc.redY, r, bl)
			}
		})
	}
}

// TestExifOrientationMalformed feeds broken Exif payloads: no orientation,
// no panic.
func TestExifOrientationMalformed(t *testing.T) {
	cases := map[string]string{
		"empty":           "",
		"short":           "Exif\x00\x00MM",
		"no exif header":  "XMP\x00\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00",
		"bad byte order":  "Exif\x00\x00XX\x00*\x00\x00\x00\x08\x00\x00",
		"ifd past end":    "Exif\x00\x00MM\x00*\xff\xff\xff\xf0\x00\x00",
		"ifd inside head": "Exif\x00\x00MM\x00*\x00\x00\x00\x02\x00\x00",
		"count past end":  "Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff\x01\x12",
	}
	for name, seg := range cases {
		if o := exifOrientation([]byte(seg)); o != 0 {
			t.Errorf("%s: orientation %d", name, o)
		}
	}
}
