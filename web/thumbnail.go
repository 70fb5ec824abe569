package web

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Thumbnails are shown at most displayEdge pixels on their long edge, so
// that a page with its thumbnail stays well under its 100 KB budget;
// credentials may carry thumbnails of 1024 pixels or more.
const (
	displayEdge    = 360
	displayQuality = 70
	// maxThumbPixels bounds the image decoded: a thumbnail larger than
	// this is not shown.
	maxThumbPixels = 4096 * 4096
)

// displayThumbnail scales a claim thumbnail down to display size and
// re-encodes it (JPEG, or PNG when it has transparency). ok is false when
// data is not an image this can decode.
func displayThumbnail(data []byte) (out []byte, mediaType string, ok bool) {
	defer func() {
		// Thumbnails come from uploaded files: a decoder must not take
		// the page down.
		if recover() != nil {
			out, mediaType, ok = nil, "", false
		}
	}()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxThumbPixels {
		return nil, "", false
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", false
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > displayEdge || h > displayEdge {
		if w >= h {
			w, h = displayEdge, max(1, h*displayEdge/w)
		} else {
			w, h = max(1, w*displayEdge/h), displayEdge
		}
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	var buf bytes.Buffer
	if opaque(img) {
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: displayQuality}); err != nil {
			return nil, "", false
		}
		return buf.Bytes(), "image/jpeg", true
	}
	if err := png.Encode(&buf, img); err != nil {
		return nil, "", false
	}
	return buf.Bytes(), "image/png", true
}

// opaque reports whether img has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}
