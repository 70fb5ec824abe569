package testenv

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// NoiseJPEG returns a JPEG of random grey pixels (the same every call) of
// at least minBytes: noise does not compress, so size follows the pixel
// count, as for a large photo.
func NoiseJPEG(t testing.TB, minBytes int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for side := 1200; ; side += 200 {
		m := image.NewGray(image.Rect(0, 0, side, side))
		for i := range m.Pix {
			m.Pix[i] = uint8(rng.UintN(256))
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
			t.Fatal(err)
		}
		if buf.Len() >= minBytes {
			return buf.Bytes()
		}
	}
}
