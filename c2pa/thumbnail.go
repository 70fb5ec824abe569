package c2pa

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	// Decoders of the image formats a thumbnail is made from.
	_ "image/gif"

	"golang.org/x/image/draw"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Thumbnail settings, c2pa-rs's defaults (builder.thumbnail: long edge
// 1024, medium quality, prefer_smallest_format): JPEG, or PNG for an image
// with transparency, as c2pa-rs keeps PNG for PNG and TIFF with alpha.
const (
	// ThumbnailLongEdge is the largest width or height of a thumbnail.
	ThumbnailLongEdge = 1024
	// ThumbnailQuality is the JPEG quality of thumbnails (c2pa-rs Medium).
	ThumbnailQuality = 75
	// MaxThumbnailPixelBytes bounds the decoded image a thumbnail is made
	// from (width × height × 4). Larger images get no thumbnail, so that
	// signing them stays in constant memory.
	MaxThumbnailPixelBytes = 64 << 20
)

// Thumbnail assertion labels of claim v2 (embedded-data assertions; the
// media-type suffix of v1 labels is deprecated).
const (
	labelClaimThumbnail      = "c2pa.thumbnail.claim"
	labelIngredientThumbnail = "c2pa.thumbnail.ingredient"
)

// makeThumbnail decodes the image in r (JPEG, PNG, GIF, WebP, TIFF or BMP)
// and returns it scaled to fit ThumbnailLongEdge, as JPEG, or PNG when it
// has transparency, with that media type. ok is false, with no error worth
// reporting, when r is not such an image or is larger than
// MaxThumbnailPixelBytes: c2pa-rs ignores thumbnail errors too.
func makeThumbnail(r io.ReaderAt, size int64) (thumb []byte, mediaType string, ok bool) {
	defer func() {
		// A decoder fed a hostile file must not stop signing.
		if recover() != nil {
			thumb, mediaType, ok = nil, "", false
		}
	}()
	cfg, _, err := image.DecodeConfig(io.NewSectionReader(r, 0, size))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", false
	}
	if int64(cfg.Width)*int64(cfg.Height)*4 > MaxThumbnailPixelBytes {
		return nil, "", false
	}
	img, format, err := image.Decode(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, "", false
	}
	orientation := 1
	if format == "jpeg" {
		orientation = jpegOrientation(r, size)
	}
	b, mt, err := encodeThumbnail(img, orientation)
	if err != nil {
		return nil, "", false
	}
	return b, mt, true
}

// encodeThumbnail scales img down (never up) to fit ThumbnailLongEdge,
// turns it upright for its EXIF orientation and encodes it as JPEG, or as
// PNG when it is not opaque.
func encodeThumbnail(img image.Image, orientation int) ([]byte, string, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, "", fmt.Errorf("c2pa: empty image")
	}
	o, ok := img.(interface{ Opaque() bool })
	alpha := ok && !o.Opaque()
	if w > ThumbnailLongEdge || h > ThumbnailLongEdge {
		tw, th := ThumbnailLongEdge, ThumbnailLongEdge
		if w >= h {
			th = max(1, h*ThumbnailLongEdge/w)
		} else {
			tw = max(1, w*ThumbnailLongEdge/h)
		}
		dst := image.NewRGBA(image.Rect(0, 0, tw, th))
		draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	img = orient(img, orientation)
	var buf bytes.Buffer
	if alpha {
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), "image/png", nil
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: ThumbnailQuality}); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "image/jpeg", nil
}

// addThumbnail adds an embedded-data thumbnail assertion (gathered, as
// c2pa-rs adds it) and returns it.
func (b *manifestBuilder) addThumbnail(label string, data []byte, mediaType string) *Assertion {
	a := b.add(label, KindEmbedded, data, false)
	a.MediaType = mediaType
	return a
}
