package scan

import (
	"bytes"
)

// Bounds on GIF walking.
const (
	maxGIFBlocks = 1 << 16
	// gifFullWalk is the largest file whose frames are stepped over to
	// reach blocks after them: skipping frame data means reading its
	// sub-block lengths, so large files stop at the first frame.
	gifFullWalk = 2 << 20
)

// walkGIF walks the blocks before the first image, where the C2PA block is
// (c2pa-rs looks nowhere else) and where exiftool writes XMP and comments.
// In small files it also steps over the frames to read the comments and
// XMP written after them; in large ones frame data is never read.
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
	seenImage := false
	for n := 0; n < maxGIFBlocks; n++ {
		b, err := src.read(f, off, min(2, src.size-off))
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return formatErr(f, off, "file ends without a trailer")
		}
		switch b[0] {
		case 0x3B: // trailer
			return nil
		case 0x2C: // image descriptor
			if src.size > gifFullWalk {
				return nil
			}
			end, err := skipGIFImage(src, off)
			if err != nil {
				return err
			}
			off, seenImage = end, true
			continue
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
				if !seenImage { // as c2pa-rs, which stops at the first image
					c.foundC2PA("gif-app-extension")
				}
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
	return formatErr(f, off, "more than %d blocks", maxGIFBlocks)
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

// skipGIFImage steps over an image descriptor, its local color table and
// its LZW data, and returns the offset after them.
func skipGIFImage(src *source, off int64) (int64, error) {
	d, err := src.read("gif", off, 11)
	if err != nil {
		return 0, err
	}
	next := off + 10
	if d[9]&0x80 != 0 {
		next += 3 << (int(d[9]&7) + 1)
	}
	_, end, err := gifSubBlocks(src, next+1, 0, false) // +1: LZW minimum code size
	return end, err
}
