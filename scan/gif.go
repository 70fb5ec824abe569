package scan

import (
	"bytes"
)

// maxGIFBlocks bounds the extension blocks walked.
const maxGIFBlocks = 4096

// walkGIF walks the blocks before the first image: the C2PA block is only
// looked for there (as c2pa-rs does), and exiftool writes XMP and comments
// there too. Frames and everything after them are not read.
func walkGIF(c *collector, src *source) error {
	const f = "gif"
	h, err := src.read(f, 0, 13)
	if err != nil {
		return err
	}
	off := int64(13)
	if h[10]&0x80 != 0 {
		off += 3 << (int(h[10]&7) + 1)
	}
	for n := 0; n < maxGIFBlocks; n++ {
		b, err := src.read(f, off, min(2, src.size-off))
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return formatErr(f, off, "file ends without a trailer")
		}
		switch b[0] {
		case 0x3B, 0x2C: // trailer, image descriptor
			return nil
		case 0x21:
		default:
			return formatErr(f, off, "unknown block 0x%02X", b[0])
		}
		if len(b) < 2 {
			return formatErr(f, off, "extension without a label")
		}
		label := b[1]
		off += 2
		switch label {
		case 0xFF: // application extension
			hdr, err := src.read(f, off, 12)
			if err != nil {
				return err
			}
			if hdr[0] != 11 {
				return formatErr(f, off, "application block size %d", hdr[0])
			}
			app := string(hdr[1:12])
			off += 12
			switch app {
			case "C2PA_GIF\x01\x00\x00":
				c.foundC2PA("gif-app-extension")
			case "XMP DataXMP":
				// XMP is stored raw: its bytes double as sub-block
				// lengths, ended by a 257-byte "magic trailer".
				_, end, err := gifSubBlocks(src, off, 0, false)
				if err != nil {
					return err
				}
				if end-off > maxXMPBytes {
					return formatErr(f, off, "XMP block of %d bytes exceeds %d", end-off, maxXMPBytes)
				}
				full, err := src.read(f, off, end-off)
				if err != nil {
					return err
				}
				c.xmp(trimXMPTrailer(full), "gif XMP application extension")
				off = end
				continue
			}
		case 0xFE: // comment extension
			text, end, err := gifSubBlocks(src, off, maxTIFFString, true)
			if err != nil {
				return err
			}
			c.field("gif-comment", "GIF:Comment", string(latin1ToUTF8(text)))
			off = end
			continue
		}
		_, end, err := gifSubBlocks(src, off, 0, false)
		if err != nil {
			return err
		}
		off = end
	}
	return formatErr(f, off, "more than %d blocks before the first image", maxGIFBlocks)
}

// gifSubBlocks walks data sub-blocks from off to the 0 terminator and
// returns the end offset; with keep it also returns their joined data (up
// to limit bytes). Lengths are read in windows, not a byte at a time.
func gifSubBlocks(src *source, off, limit int64, keep bool) ([]byte, int64, error) {
	var out []byte
	var win []byte
	var winOff int64
	for {
		if off < winOff || off >= winOff+int64(len(win)) {
			var err error
			win, err = src.readUpTo("gif", off, 4096)
			if err != nil {
				return nil, 0, err
			}
			if len(win) == 0 {
				return nil, 0, formatErr("gif", off, "sub-blocks run past the end of the file")
			}
			winOff = off
		}
		n := int64(win[off-winOff])
		if n == 0 {
			return out, off + 1, nil
		}
		if keep {
			if int64(len(out))+n > limit {
				return nil, 0, formatErr("gif", off, "block data exceeds %d bytes", limit)
			}
			if off+1+n <= winOff+int64(len(win)) {
				out = append(out, win[off+1-winOff:off+1+n-winOff]...)
			} else {
				p, err := src.read("gif", off+1, n)
				if err != nil {
					return nil, 0, err
				}
				out = append(out, p...)
			}
		}
		off += 1 + n
	}
}

// trimXMPTrailer cuts a GIF XMP block at the end of the packet.
func trimXMPTrailer(p []byte) []byte {
	if i := bytes.Index(p, []byte("<?xpacket end=")); i >= 0 {
		if j := bytes.Index(p[i:], []byte("?>")); j >= 0 {
			return p[:i+j+2]
		}
	}
	if i := bytes.LastIndex(p, []byte("</x:xmpmeta>")); i >= 0 {
		return p[:i+len("</x:xmpmeta>")]
	}
	return p
}
