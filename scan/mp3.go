package scan

import (
	"bytes"
	"encoding/binary"
)

// maxID3Tag bounds the ID3v2 tag the scanner reads.
const maxID3Tag = 16 << 20

// walkMP3 reads the ID3v2 tag at the start of an MP3: C2PA travels in a
// GEOB frame of type application/c2pa, and text frames name the encoder.
func walkMP3(c *collector, src *source) error {
	const f = "id3"
	h, err := src.read(f, 0, min(10, src.size))
	if err != nil {
		return err
	}
	if len(h) < 10 || string(h[:3]) != "ID3" {
		return nil
	}
	major := h[3]
	size := syncsafe(h[6:10])
	if size > maxID3Tag {
		return formatErr(f, 6, "ID3 tag of %d bytes exceeds %d", size, maxID3Tag)
	}
	tag, err := src.read(f, 10, min(size, src.size-10))
	if err != nil {
		return err
	}
	if major < 3 {
		return nil // ID3v2.2 has 3-byte frame ids and carries no C2PA
	}
	for off := 0; off+10 <= len(tag); {
		id := string(tag[off : off+4])
		if tag[off] == 0 {
			break // padding
		}
		var n int64
		if major >= 4 {
			n = syncsafe(tag[off+4 : off+8])
		} else {
			n = int64(binary.BigEndian.Uint32(tag[off+4:]))
		}
		if n < 0 || n > int64(len(tag)-off-10) {
			return formatErr(f, int64(10+off), "frame %q of %d bytes overruns the tag", id, n)
		}
		body := tag[off+10 : off+10+int(n)]
		switch {
		case id == "GEOB":
			if len(body) > 1 {
				mime, _, _ := bytes.Cut(body[1:], []byte{0})
				if string(mime) == MediaC2PA || string(mime) == "application/x-c2pa-manifest-store" {
					c.foundC2PA("id3-GEOB")
				}
			}
		case id == "TSSE" || id == "TENC" || id == "COMM" || id == "TIT2" || id == "TPE1":
			c.field("id3", "ID3:"+id, id3Text(id, body))
		}
		off += 10 + int(n)
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
