package scan

import (
	"encoding/binary"
	"unicode/utf16"
)

// TIFF tags the scanner reads.
const (
	tagImageDescription = 0x010E
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagSoftware         = 0x0131
	tagArtist           = 0x013B
	tagXMP              = 0x02BC
	tagCopyright        = 0x8298
	tagExifIFD          = 0x8769
	tagIPTC             = 0x83BB
	tagXPComment        = 0x9C9C
	tagXPAuthor         = 0x9C9D
	tagDNGVersion       = 0xC612
	tagC2PA             = 0xCD41
	tagUserComment      = 0x9286
	tagImageUniqueID    = 0xA420
	tagCameraOwner      = 0xA430
)

// Bounds on IFD walking.
const (
	maxIFDs         = 64
	maxIFDEntries   = 4096
	maxTIFFString   = 64 << 10
	maxTotalEntries = 20_000
)

// tiffTextTags names the text tags recorded as EXIF fields.
var tiffTextTags = map[uint16]string{
	tagImageDescription: "ImageDescription",
	tagMake:             "Make",
	tagModel:            "Model",
	tagSoftware:         "Software",
	tagArtist:           "Artist",
	tagCopyright:        "Copyright",
	tagUserComment:      "UserComment",
	tagImageUniqueID:    "ImageUniqueID",
	tagCameraOwner:      "CameraOwnerName",
	tagXPComment:        "XPComment",
	tagXPAuthor:         "XPAuthor",
}

// tiffReader walks the IFDs of a TIFF-structured block: a TIFF or DNG file,
// or an EXIF payload inside another container.
type tiffReader struct {
	src     *source
	format  string
	bo      binary.ByteOrder
	big     bool // BigTIFF: 8-byte counts and offsets
	seen    map[int64]bool
	entries int
}

// tiffEntry is one IFD entry; value holds the inline bytes or, for longer
// values, off is where they are.
type tiffEntry struct {
	tag, typ uint16
	count    uint64
	size     int64 // value size in bytes
	inline   []byte
	off      int64
}

var tiffTypeSize = map[uint16]int64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}

// newTIFFReader reads the header and returns the reader and IFD0's offset.
func newTIFFReader(src *source, format string) (*tiffReader, int64, error) {
	h, err := src.read(format, 0, 8)
	if err != nil {
		return nil, 0, err
	}
	t := &tiffReader{src: src, format: format, seen: map[int64]bool{}}
	switch string(h[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return nil, 0, formatErr(format, 0, "bad TIFF byte order %q", h[:2])
	}
	switch t.bo.Uint16(h[2:]) {
	case 42:
		return t, int64(t.bo.Uint32(h[4:])), nil
	case 43:
		t.big = true
		h, err = src.read(format, 0, 16)
		if err != nil {
			return nil, 0, err
		}
		if t.bo.Uint16(h[4:]) != 8 {
			return nil, 0, formatErr(format, 4, "BigTIFF offset size %d", t.bo.Uint16(h[4:]))
		}
		return t, int64(t.bo.Uint64(h[8:]) & (1<<62 - 1)), nil
	}
	return nil, 0, formatErr(format, 2, "bad TIFF magic %d", t.bo.Uint16(h[2:]))
}

// ifd reads the IFD at off and returns its entries and the next IFD's
// offset (0 at the end of the chain). A revisited offset ends the walk.
func (t *tiffReader) ifd(off int64) ([]tiffEntry, int64, error) {
	if off <= 0 || t.seen[off] {
		return nil, 0, nil
	}
	t.seen[off] = true
	if len(t.seen) > maxIFDs {
		return nil, 0, formatErr(t.format, off, "more than %d IFDs", maxIFDs)
	}
	countSize, entrySize, valSize := int64(2), int64(12), int64(4)
	if t.big {
		countSize, entrySize, valSize = 8, 20, 8
	}
	cb, err := t.src.read(t.format, off, countSize)
	if err != nil {
		return nil, 0, err
	}
	var n uint64
	if t.big {
		n = t.bo.Uint64(cb)
	} else {
		n = uint64(t.bo.Uint16(cb))
	}
	if n > maxIFDEntries {
		return nil, 0, formatErr(t.format, off, "IFD with %d entries", n)
	}
	t.entries += int(n)
	if t.entries > maxTotalEntries {
		return nil, 0, formatErr(t.format, off, "more than %d IFD entries in all", maxTotalEntries)
	}
	body, err := t.src.read(t.format, off+countSize, int64(n)*entrySize+valSize)
	if err != nil {
		// The next-IFD pointer may be missing at the very end of a
		// block; the entries themselves are enough.
		body, err = t.src.read(t.format, off+countSize, int64(n)*entrySize)
		if err != nil {
			return nil, 0, err
		}
		body = append(body, make([]byte, valSize)...)
	}
	entries := make([]tiffEntry, 0, n)
	for i := int64(0); i < int64(n); i++ {
		e := body[i*entrySize : (i+1)*entrySize]
		te := tiffEntry{tag: t.bo.Uint16(e), typ: t.bo.Uint16(e[2:])}
		var val []byte
		if t.big {
			te.count, val = t.bo.Uint64(e[4:]), e[12:20]
		} else {
			te.count, val = uint64(t.bo.Uint32(e[4:])), e[8:12]
		}
		sz, ok := tiffTypeSize[te.typ]
		if !ok || te.count > uint64(1<<40)/uint64(sz) {
			continue // unknown type or absurd count: skip the entry
		}
		te.size = int64(te.count) * sz
		if te.size <= valSize {
			te.inline = val[:te.size]
		} else if t.big {
			te.off = int64(t.bo.Uint64(val) & (1<<62 - 1))
		} else {
			te.off = int64(t.bo.Uint32(val))
		}
		entries = append(entries, te)
	}
	tail := body[int64(n)*entrySize:]
	var next int64
	if t.big {
		next = int64(t.bo.Uint64(tail) & (1<<62 - 1))
	} else {
		next = int64(t.bo.Uint32(tail))
	}
	return entries, next, nil
}

// value returns an entry's bytes, refusing values over limit.
func (t *tiffReader) value(e tiffEntry, limit int64) ([]byte, error) {
	if e.inline != nil {
		return e.inline, nil
	}
	if e.size > limit {
		return nil, formatErr(t.format, e.off, "tag 0x%04X value of %d bytes exceeds %d", e.tag, e.size, limit)
	}
	return t.src.read(t.format, e.off, e.size)
}

// offsetValue reads a LONG/IFD/LONG8 entry as an offset.
func (t *tiffReader) offsetValue(e tiffEntry) int64 {
	b := e.inline
	switch {
	case len(b) >= 8 && (e.typ == 16 || e.typ == 18):
		return int64(t.bo.Uint64(b) & (1<<62 - 1))
	case len(b) >= 4:
		return int64(t.bo.Uint32(b))
	}
	return 0
}

// walkTIFFBlock walks every IFD of a TIFF structure and records its
// metadata. group is the raw field prefix ("EXIF").
func (c *collector) walkTIFFBlock(src *source, format string) error {
	t, off, err := newTIFFReader(src, format)
	if err != nil {
		return err
	}
	var exifIFD int64
	for i := 0; off != 0 && i < maxIFDs; i++ {
		entries, next, err := t.ifd(off)
		if err != nil {
			return err
		}
		for _, e := range entries {
			switch e.tag {
			case tagC2PA:
				if e.size > 0 {
					c.foundC2PA(format + "-tag-0xCD41")
				}
			case tagXMP:
				v, err := t.value(e, maxXMPBytes)
				if err != nil {
					c.warn(err)
					continue
				}
				c.xmp(v, format+" tag 700")
			case tagIPTC:
				if i == 0 {
					if v, err := t.value(e, maxTIFFString); err == nil {
						c.iim(v)
					} else {
						c.warn(err)
					}
				}
			case tagDNGVersion:
				if format == "tiff" && c.rep.MediaType == MediaTIFF {
					c.rep.MediaType = MediaDNG // IFD0 lay past the sniffed head
				}
			case tagExifIFD:
				if exifIFD == 0 {
					exifIFD = t.offsetValue(e)
				}
			default:
				if i == 0 {
					c.tiffText(t, e)
				}
			}
		}
		off = next
	}
	if exifIFD != 0 {
		entries, _, err := t.ifd(exifIFD)
		if err != nil {
			return err
		}
		for _, e := range entries {
			c.tiffText(t, e)
		}
	}
	return nil
}

// tiffText records a text tag as an EXIF field.
func (c *collector) tiffText(t *tiffReader, e tiffEntry) {
	name, ok := tiffTextTags[e.tag]
	if !ok {
		return
	}
	v, err := t.value(e, maxTIFFString)
	if err != nil {
		c.warn(err)
		return
	}
	var s string
	switch e.tag {
	case tagUserComment:
		s = decodeUserComment(v)
	case tagXPComment, tagXPAuthor:
		s = decodeUTF16(v, binary.LittleEndian)
	default:
		s = string(v)
	}
	c.field("exif", "EXIF:"+name, s)
}

// decodeUserComment decodes an EXIF UserComment: an 8-byte character code
// then the text. "UNICODE" text is UTF-16 in either byte order (writers
// disagree), so the order is guessed from where the zero bytes are.
func decodeUserComment(v []byte) string {
	if len(v) < 8 {
		return string(v)
	}
	code, text := string(v[:8]), v[8:]
	switch {
	case code == "UNICODE\x00":
		var evenZeros, oddZeros int
		for i, b := range text {
			if b == 0 {
				if i%2 == 0 {
					evenZeros++
				} else {
					oddZeros++
				}
			}
		}
		if evenZeros > oddZeros {
			return decodeUTF16(text, binary.BigEndian)
		}
		return decodeUTF16(text, binary.LittleEndian)
	case code == "\x00\x00\x00\x00\x00\x00\x00\x00", code == "ASCII\x00\x00\x00", code[:3] == "JIS":
		return string(text)
	}
	return string(v)
}

func decodeUTF16(b []byte, bo binary.ByteOrder) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = bo.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// walkTIFF walks a TIFF or DNG file.
func walkTIFF(c *collector, src *source) error {
	return c.walkTIFFBlock(src, "tiff")
}

// exif records an EXIF payload (a TIFF structure) found inside another
// container.
func (c *collector) exif(data []byte) {
	if err := c.walkTIFFBlock(bytesSource(data), "exif"); err != nil {
		c.warn(err)
	}
}
