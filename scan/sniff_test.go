package scan_test

import (
	"os"
	"path/filepath"
	"testing"

	"provgraph/internal/testenv"
	"provgraph/scan"
)

func TestSniff(t *testing.T) {
	files := []struct{ file, want string }{
		{"c2pa/jpeg/rs-CA.jpg", scan.MediaJPEG},
		{"c2pa/png/ts-amazon-titan-g1.png", scan.MediaPNG},
		{"c2pa/webp/rs-test.webp", scan.MediaWebP},
		{"c2pa/gif/ts-c2pa.gif", scan.MediaGIF},
		{"c2pa/tiff/rs-TUSCANY.TIF", scan.MediaTIFF},
		{"c2pa/heic/ts-trustnxt-icon.heic", scan.MediaHEIC},
		{"c2pa/heif/rs-sample1.heif", scan.MediaHEIF},
		{"c2pa/avif/ms-cards_trusted.avif", scan.MediaAVIF},
		{"c2pa/mp4/rs-video1.mp4", scan.MediaMP4},
		{"c2pa/mov/rs-c.mov", scan.MediaMOV},
		{"c2pa/m4a/rs-sample1.m4a", scan.MediaM4A},
		{"c2pa/wav/rs-bench-100kb-signed.wav", scan.MediaWAV},
		{"c2pa/avi/jsl-sample.avi", scan.MediaAVI},
		{"c2pa/mp3/google-mp3_valid.mp3", scan.MediaMP3},
		{"c2pa/svg/rs-sample1.svg", scan.MediaSVG},
		{"c2pa/pdf/rs-basic.pdf", scan.MediaPDF},
		{"c2pa/c2pa/rs-cloud_manifest.c2pa", scan.MediaC2PA},
	}
	for _, tc := range files {
		data, err := os.ReadFile(testenv.Fixture(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := scan.Sniff(data); got != tc.want {
			t.Errorf("Sniff(%s) = %s, want %s", tc.file, got, tc.want)
		}
	}
	// DNG needs IFD0, which this file keeps past the first 4096 bytes:
	// Sniff says TIFF, the scan says DNG.
	data, err := os.ReadFile(testenv.Fixture(t, "c2pa/dng/py-C.dng"))
	if err != nil {
		t.Fatal(err)
	}
	if got := scan.Sniff(data); got != scan.MediaTIFF {
		t.Errorf("Sniff(dng) = %s", got)
	}
	for _, f := range []string{"xmp-ai.avif", "xmp-ai.heic"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", f, scan.Sniff(data))
	}
	bytesCases := []struct {
		name string
		head []byte
		want string
	}{
		{"empty", nil, scan.MediaUnknown},
		{"one byte", []byte{0xFF}, scan.MediaUnknown},
		{"text", []byte("hello world"), scan.MediaUnknown},
		{"dng IFD0 in head", []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\xC6\x01\x00\x04\x00\x00\x00\x01\x04\x00\x00\x00\x00\x00\x00"), scan.MediaDNG},
		{"bigtiff", []byte("II+\x00\x08\x00\x00\x00"), scan.MediaTIFF},
		{"svg with declaration", []byte("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), scan.MediaSVG},
		{"xmp sidecar", []byte("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"), scan.MediaXMP},
		{"riff of unknown form", []byte("RIFF\x00\x00\x00\x00ABCD"), scan.MediaUnknown},
		{"ftyp avif major mif1", []byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1avif"), scan.MediaAVIF},
		{"quicktime without ftyp", []byte("\x00\x00\x00\x08wide\x00\x00\x00\x08mdat"), scan.MediaMOV},
		{"mpeg audio frame", []byte{0xFF, 0xFB, 0x90, 0x64}, scan.MediaMP3},
		{"aac adts is not mp3", []byte{0xFF, 0xF1, 0x50, 0x80}, scan.MediaUnknown},
	}
	for _, tc := range bytesCases {
		if got := scan.Sniff(tc.head); got != tc.want {
			t.Errorf("%s: Sniff = %s, want %s", tc.name, got, tc.want)
		}
	}
}
