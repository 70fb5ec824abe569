package c2pa

import (
	"encoding/binary"
	"image"
	"io"
)

// jpegOrientation returns the EXIF orientation (1 to 8) of the JPEG in r,
// or 1 when it has none. Only the segments before the first scan are read,
// each at most 64 KiB.
func jpegOrientation(r io.ReaderAt, size int64) int {
	var hdr [4]byte
	if _, err := r.ReadAt(hdr[:2], 0); err != nil || hdr[0] != 0xff || hdr[1] != 0xd8 {
		return 1
	}
	for off := int64(2); off+4 <= size; {
		if _, err := r.ReadAt(hdr[:], off); err != nil || hdr[0] != 0xff {
			return 1
		}
		marker, n := hdr[1], int64(binary.BigEndian.Uint16(hdr[2:]))
		if marker == 0xda || marker == 0xd9 || n < 2 {
			return 1
		}
		if marker == 0xe1 {
			seg := make([]byte, n-2)
			if _, err := r.ReadAt(seg, off+4); err == nil {
				if o := exifOrientation(seg); o != 0 {
					return o
				}
			}
		}
		off += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 of IFD0 from an APP1 Exif payload; 0
// when absent or malformed.
func exifOrientation(seg []byte) int {
	const head = "Exif\x00\x00"
	if len(seg) < len(head)+8 || string(seg[:len(head)]) != head {
		return 0
	}
	t := seg[len(head):]
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for i := range count {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// orient returns img turned upright for an EXIF orientation (1 to 8), as
// c2pa-rs applies the decoder's orientation before making a thumbnail.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}
