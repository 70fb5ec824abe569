package scan

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"io"
	"unicode/utf8"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// Bounds on PNG walking.
const (
	maxPNGChunks  = 1 << 20
	maxPNGText    = 8 << 20  // inflated size of one zTXt/iTXt chunk
	maxPNGTextRaw = 8 << 20  // stored size of one text chunk
	maxInflated   = 32 << 20 // inflated bytes of all chunks of one file
)

// walkPNG walks the chunk list; image data (IDAT) is skipped by its length
// without being read.
func walkPNG(c *collector, src *source) error {
	const f = "png"
	off := int64(len(pngSignature))
	for n := 0; n < maxPNGChunks; n++ {
		if off == src.size {
			return nil
		}
		h, err := src.read(f, off, 8)
		if err != nil {
			return err
		}
		length := int64(binary.BigEndian.Uint32(h))
		typ := string(h[4:8])
		if length > 1<<31-1 {
			return formatErr(f, off, "chunk %q length %d", typ, length)
		}
		dataOff := off + 8
		switch typ {
		case "IEND":
			return nil
		case "caBX":
			c.foundC2PA("png-caBX")
		case "tEXt", "zTXt", "iTXt", "eXIf":
			if length > maxPNGTextRaw {
				c.warn(formatErr(f, off, "%s chunk of %d bytes skipped", typ, length))
				break
			}
			p, err := src.read(f, dataOff, length)
			if err != nil {
				return err
			}
			if typ == "eXIf" {
				c.exif(p)
			} else if err := c.pngText(typ, p); err != nil {
				c.warn(err)
			}
		}
		off = dataOff + length + 4 // data + CRC
	}
	return formatErr(f, off, "more than %d chunks", maxPNGChunks)
}

// pngText decodes a tEXt, zTXt or iTXt chunk and records it: XMP goes to
// the XMP parser, everything else is a "PNG:keyword" field.
func (c *collector) pngText(typ string, p []byte) error {
	kw, rest, ok := bytes.Cut(p, []byte{0})
	if !ok || len(kw) == 0 || len(kw) > 79 {
		return formatErr("png", 0, "%s chunk without a keyword", typ)
	}
	var text []byte
	switch typ {
	case "tEXt":
		text = latin1ToUTF8(rest)
	case "zTXt":
		if len(rest) < 1 {
			return formatErr("png", 0, "short zTXt %q", kw)
		}
		t, err := c.inflate(rest[1:])
		if err != nil {
			return formatErr("png", 0, "zTXt %q: %v", kw, err)
		}
		text = latin1ToUTF8(t)
	case "iTXt":
		// compression flag, method, language\0, translated keyword\0, text
		if len(rest) < 2 {
			return formatErr("png", 0, "short iTXt %q", kw)
		}
		compressed := rest[0] == 1
		r := rest[2:]
		_, r, ok1 := bytes.Cut(r, []byte{0})
		_, r, ok2 := bytes.Cut(r, []byte{0})
		if !ok1 || !ok2 {
			return formatErr("png", 0, "iTXt %q without language fields", kw)
		}
		text = r
		if compressed {
			t, err := c.inflate(r)
			if err != nil {
				return formatErr("png", 0, "iTXt %q: %v", kw, err)
			}
			text = t
		}
	}
	key := string(latin1ToUTF8(kw))
	switch key {
	case "XML:com.adobe.xmp":
		c.xmp(text, "png iTXt XMP")
		return nil
	case "Raw profile type xmp", "Raw profile type exif", "Raw profile type APP1":
		c.rawProfile(key, text)
		return nil
	}
	c.field("png-text", "PNG:"+key, string(text))
	return nil
}

// inflate inflates one chunk's text within what is left of the file's
// inflation allowance, so many small bombs cannot add up either.
func (c *collector) inflate(p []byte) ([]byte, error) {
	left := maxInflated - c.inflated
	if left <= 0 {
		return nil, formatErr("zlib", 0, "compressed text of the file inflates past %d bytes", maxInflated)
	}
	out, err := inflateBounded(p, min(maxPNGText, left))
	c.inflated += int64(len(out))
	return out, err
}

// inflateBounded inflates zlib data, failing when the result would exceed
// limit: a small chunk must not become a memory bomb.
func inflateBounded(p []byte, limit int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, formatErr("zlib", 0, "inflates past %d bytes", limit)
	}
	return out, nil
}

// latin1ToUTF8 converts ISO 8859-1 text (tEXt, zTXt) to UTF-8; text that is
// already valid UTF-8, as many generators write, is kept as is.
func latin1ToUTF8(p []byte) []byte {
	ascii := true
	for _, b := range p {
		if b >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || utf8.Valid(p) {
		return p
	}
	out := make([]byte, 0, len(p)+len(p)/2)
	for _, b := range p {
		if b < 0x80 {
			out = append(out, b)
		} else {
			out = append(out, 0xC0|b>>6, 0x80|b&0x3F)
		}
	}
	return out
}

// rawProfile decodes an ImageMagick "Raw profile type ..." text chunk:
// "\n<type>\n<length>\n" then the profile in hex over several lines.
func (c *collector) rawProfile(key string, text []byte) {
	fields := bytes.Fields(text)
	if len(fields) < 3 {
		return
	}
	var hexText []byte
	for _, f := range fields[2:] {
		hexText = append(hexText, f...)
	}
	data := make([]byte, hex.DecodedLen(len(hexText)))
	n, err := hex.Decode(data, hexText)
	if err != nil {
		c.warn(formatErr("png", 0, "%s: %v", key, err))
		return
	}
	data = data[:n]
	switch {
	case bytes.HasPrefix(data, jpegXMPID):
		c.xmp(data[len(jpegXMPID):], "png "+key)
	case key == "Raw profile type xmp":
		c.xmp(data, "png "+key)
	default:
		c.exif(bytes.TrimPrefix(data, jpegExifID))
	}
}
