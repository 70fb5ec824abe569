package scan

import (
	"bytes"
	"encoding/binary"
)

// Bounds on ID3 walking.
const (
	maxID3Frames    = 4096
	maxID3TextFrame = 64 << 10
)

// id3TextFrames are the frames recorded as fields: encoder settings and
// software, encoded-by, comment, title, artist.
var id3TextFrames = map[string]bool{"TSSE": true, "TENC": true, "COMM": true, "TIT2": true, "TPE1": true}

// walkMP3 walks the frames of the ID3v2 tag at the start of an MP3 by
// their headers: C2PA travels in a GEOB frame of type application/c2pa,
// and text frames name the encoder. Pictures and audio are not read.
func walkMP3(c *collector, src *source) error {
	const f = "id3"
	h, err := src.read(f, 0, min(10, src.size))
	if err != nil {
		return err
	}
	if len(h) < 10 || string(h[:3]) != "ID3" {
		return nil
	}
	major, flags := h[3], h[5]
	if major < 3 || major > 4 {
		return nil // ID3v2.2 has 3-byte frame ids and carries no C2PA
	}
	end := min(10+syncsafe(h[6:10]), src.size)
	off := int64(10)
	if flags&0x40 != 0 { // extended header
		x, err := src.read(f, off, 4)
		if err != nil {
			return err
		}
		n := int64(binary.BigEndian.Uint32(x))
		if major == 4 {
			n = syncsafe(x)
		} else {
			n += 4 // v2.3 does not count the size field itself
		}
		off += n
	}
	for i := 0; off+10 <= end; i++ {
		if i >= maxID3Frames {
			return formatErr(f, off, "more than %d frames", maxID3Frames)
		}
		fh, err := src.read(f, off, 10)
		if err != nil {
			return err
		}
		if fh[0] == 0 {
			return nil // padding
		}
		id := string(fh[:4])
		var n int64
		if major == 4 {
			n = syncsafe(fh[4:8])
		} else {
			n = int64(binary.BigEndian.Uint32(fh[4:]))
		}
		body := off + 10
		if n > end-body {
			return formatErr(f, off, "frame %q of %d bytes overruns the tag", id, n)
		}
		switch {
		case id == "GEOB":
			// encoding(1) MIME type, NUL, ...: the MIME type is enough.
			p, err := src.read(f, body, min(n, 64))
			if err != nil {
				return err
			}
			if len(p) > 1 {
				mime, _, _ := bytes.Cut(p[1:], []byte{0})
				if string(mime) == MediaC2PA || string(mime) == "application/x-c2pa-manifest-store" {
					c.foundC2PA("id3-GEOB")
				}
			}
		case id3TextFrames[id] && n <= maxID3TextFrame:
			p, err := src.read(f, body, n)
			if err != nil {
				return err
			}
			c.field("id3", "ID3:"+id, id3Text(id, p))
		case id == "TXXX" && n <= maxID3TextFrame:
			// User text: encoding, description NUL, value.
			p, err := src.read(f, body, n)
			if err != nil {
				return err
			}
			desc, value := id3UserText(p)
			if desc != "" && len(desc) <= 64 {
				c.field("id3", "ID3:TXXX:"+desc, value)
			}
		}
		off = body + n
	}
	return nil
}

func syncsafe(b []byte) int64 {
	return int64(b[0]&0x7F)<<21 | int64(b[1]&0x7F)<<14 | int64(b[2]&0x7F)<<7 | int64(b[3]&0x7F)
}

// id3Text decodes a text frame (encoding byte, then text; COMM adds a
// language and a description before the text).
func id3Text(id string, body []byte) string {
	if len(body) < 1 {
		return ""
	}
	enc, text := body[0], body[1:]
	if id == "COMM" {
		if len(text) < 3 {
			return ""
		}
		text = text[3:]
		sep := []byte{0}
		if enc == 1 || enc == 2 {
			sep = []byte{0, 0}
		}
		if i := bytes.Index(text, sep); i >= 0 {
			text = text[i+len(sep):]
		}
	}
	switch enc {
	case 1: // UTF-16 with BOM
		if len(text) >= 2 && text[0] == 0xFE {
			return decodeUTF16(text[2:], binary.BigEndian)
		}
		if len(text) >= 2 && text[0] == 0xFF {
			return decodeUTF16(text[2:], binary.LittleEndian)
		}
		return decodeUTF16(text, binary.LittleEndian)
	case 2:
		return decodeUTF16(text, binary.BigEndian)
	case 0:
		return string(latin1ToUTF8(text))
	}
	return string(text)
}

// id3UserText splits a TXXX frame into its description and value.
func id3UserText(body []byte) (string, string) {
	if len(body) < 2 {
		return "", ""
	}
	sep := []byte{0}
	if body[0] == 1 || body[0] == 2 {
		sep = []byte{0, 0}
	}
	text := body[1:]
	i := bytes.Index(text, sep)
	for i >= 0 && len(sep) == 2 && i%2 == 1 { // UTF-16 NULs are aligned
		j := bytes.Index(text[i+1:], sep)
		if j < 0 {
			i = -1
			break
		}
		i += 1 + j
	}
	if i < 0 {
		return "", ""
	}
	enc := []byte{body[0]}
	desc := id3Text("TXXX", append(enc, text[:i]...))
	value := id3Text("TXXX", append(enc, text[i+len(sep):]...))
	return cleanText(desc), value
}
