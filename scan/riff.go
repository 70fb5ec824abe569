package scan

import (
	"bytes"
	"encoding/binary"
)

// Bounds on RIFF walking.
const (
	maxRIFFChunks = 1 << 16
	maxRIFFText   = 1 << 20
)

// riffInfoTags names the LIST/INFO text chunks recorded as fields.
var riffInfoTags = map[string]bool{
	"ISFT": true, "ICMT": true, "IART": true, "INAM": true, "ICOP": true,
	"ISBJ": true, "IKEY": true, "IENG": true, "ITCH": true, "ISRC": true, "IGNR": true, "ICRD": true,
}

// walkRIFF walks the children of the first RIFF chunk of a WebP, WAV or AVI
// file; sample and frame data are skipped by size.
func walkRIFF(c *collector, src *source) error {
	const f = "riff"
	h, err := src.read(f, 0, 12)
	if err != nil {
		return err
	}
	end := 8 + int64(binary.LittleEndian.Uint32(h[4:]))
	if end > src.size || end < 12 {
		end = src.size // tolerate wrong or streaming (0) sizes
	}
	return c.riffChunks(src, 12, end, 0)
}

// riffChunks walks the chunks in [off, end); depth counts LIST nesting.
func (c *collector) riffChunks(src *source, off, end int64, depth int) error {
	const f = "riff"
	for n := 0; off+8 <= end; n++ {
		if n >= maxRIFFChunks {
			return formatErr(f, off, "more than %d chunks", maxRIFFChunks)
		}
		h, err := src.read(f, off, 8)
		if err != nil {
			return err
		}
		id := string(h[:4])
		size := int64(binary.LittleEndian.Uint32(h[4:]))
		dataOff := off + 8
		if size > end-dataOff {
			size = end - dataOff // a truncated last chunk: read what is there
		}
		switch id {
		case "C2PA":
			if size > 0 {
				c.foundC2PA("riff-C2PA")
			}
		case "XMP ", "_PMX":
			if p, err := c.riffData(src, dataOff, size, maxXMPBytes); err != nil {
				return err
			} else if p != nil {
				c.xmp(p, "riff "+id+" chunk")
			}
		case "EXIF":
			p, err := c.riffData(src, dataOff, size, maxXMPBytes)
			if err != nil {
				return err
			}
			c.exif(bytes.TrimPrefix(p, jpegExifID))
		case "LIST":
			if size >= 4 && depth < 4 {
				lt, err := src.read(f, dataOff, 4)
				if err != nil {
					return err
				}
				switch string(lt) {
				case "INFO":
					if err := c.riffInfo(src, dataOff+4, dataOff+size); err != nil {
						return err
					}
				case "hdrl", "strl":
					if err := c.riffChunks(src, dataOff+4, dataOff+size, depth+1); err != nil {
						return err
					}
				}
			}
		case "bext":
			if err := c.riffBext(src, dataOff, size); err != nil {
				return err
			}
		}
		off = dataOff + size + size&1
	}
	return nil
}

// riffData reads a chunk body, skipping (with a warning) bodies over limit.
func (c *collector) riffData(src *source, off, size, limit int64) ([]byte, error) {
	if size > limit {
		c.warn(formatErr("riff", off, "chunk of %d bytes skipped", size))
		return nil, nil
	}
	return src.read("riff", off, size)
}

// riffInfo records the text chunks of a LIST/INFO list.
func (c *collector) riffInfo(src *source, off, end int64) error {
	for n := 0; off+8 <= end && n < 256; n++ {
		h, err := src.read("riff", off, 8)
		if err != nil {
			return err
		}
		id := string(h[:4])
		size := min(int64(binary.LittleEndian.Uint32(h[4:])), end-off-8)
		if riffInfoTags[id] && size <= maxRIFFText {
			p, err := src.read("riff", off+8, size)
			if err != nil {
				return err
			}
			c.field("riff-info", "RIFF:"+id, string(latin1ToUTF8(p)))
		}
		off += 8 + size + size&1
	}
	return nil
}

// riffBext records the Broadcast Wave extension's description and
// originator.
func (c *collector) riffBext(src *source, off, size int64) error {
	if size < 320 {
		return nil
	}
	p, err := src.read("riff", off, 320)
	if err != nil {
		return err
	}
	c.field("riff-info", "RIFF:BextDescription", string(latin1ToUTF8(p[:256])))
	c.field("riff-info", "RIFF:BextOriginator", string(latin1ToUTF8(p[256:288])))
	return nil
}
