package scan

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"
)

// encodeGIF makes a two-frame GIF with the standard library's encoder and
// inserts extra blocks before the trailer.
func encodeGIF(t *testing.T, tail []byte) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White}
	frame := func(c uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 32, 32), pal)
		for i := range m.Pix {
			m.Pix[i] = (uint8(i) + c) % 2
		}
		return m
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	return append(append(b[:len(b)-1:len(b)-1], tail...), 0x3B)
}

func gifBlock(label byte, data []byte, app string) []byte {
	b := []byte{0x21, label}
	if app != "" {
		b = append(b, 11)
		b = append(b, app...)
	}
	for len(data) > 0 {
		n := min(len(data), 255)
		b = append(b, byte(n))
		b = append(b, data[:n]...)
		data = data[n:]
	}
	return append(b, 0)
}

func TestGIFAfterFrames(t *testing.T) {
	comment := gifBlock(0xFE, []byte(strings.Repeat("AI generated. ", 30)), "")
	c2pa := gifBlock(0xFF, []byte("jumb..."), "C2PA_GIF\x01\x00\x00")
	data := encodeGIF(t, append(comment, c2pa...))
	c := newCollector(Options{MaxFieldBytes: 1000}, MediaGIF)
	if err := walkGIF(c, bytesSource(data)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.rep.RawFields["GIF:Comment"], "AI generated.") {
		t.Errorf("comment after the frames not read: %v", c.rep.RawFields)
	}
	if c.rep.HasC2PA {
		t.Error("a C2PA block after the first image was accepted; c2pa-rs ignores it")
	}
	// Truncated inside the frame data: a FormatError, not a panic.
	err := walkGIF(newCollector(Options{}, MediaGIF), bytesSource(data[:60]))
	if !isContentError(err) {
		t.Errorf("truncated GIF: err = %v", err)
	}
}
