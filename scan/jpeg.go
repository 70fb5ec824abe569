package scan

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// JPEG APP identifiers.
var (
	jpegExifID   = []byte("Exif\x00\x00")
	jpegXMPID    = []byte("http://ns.adobe.com/xap/1.0/\x00")
	jpegExtXMPID = []byte("http://ns.adobe.com/xmp/extension/\x00")
)

// maxJPEGSegments bounds the segments walked before the image data.
const maxJPEGSegments = 4096

// extendedXMP collects the chunks of one extended XMP packet (JPEG can
// only carry 64 KiB per segment; larger XMP is split and keyed by GUID).
type extendedXMP struct {
	total  uint32
	chunks map[uint32][]byte
	got    int
}

// walkJPEG walks the marker segments from SOI to the first SOS: all the
// metadata of a JPEG lives there, so the entropy-coded data is never read.
func walkJPEG(c *collector, src *source) error {
	const f = "jpeg"
	ext := map[string]*extendedXMP{}
	defer func() { c.finishExtendedXMP(ext) }()
	off := int64(2)
	for n := 0; n < maxJPEGSegments; n++ {
		h, err := src.read(f, off, 4)
		if err != nil {
			return err
		}
		if h[0] != 0xFF {
			return formatErr(f, off, "expected a marker, found 0x%02X", h[0])
		}
		marker := h[1]
		switch {
		case marker == 0xFF: // fill byte
			off++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7:
			off += 2
			continue
		case marker == 0xD9 || marker == 0xDA: // EOI, SOS: metadata is over
			return nil
		}
		length := int64(binary.BigEndian.Uint16(h[2:]))
		if length < 2 {
			return formatErr(f, off+2, "segment length %d", length)
		}
		payloadOff, payloadLen := off+4, length-2
		switch marker {
		case 0xE1: // APP1: EXIF or XMP
			p, err := src.read(f, payloadOff, payloadLen)
			if err != nil {
				return err
			}
			switch {
			case bytes.HasPrefix(p, jpegExifID):
				c.exif(p[len(jpegExifID):])
			case bytes.HasPrefix(p, jpegXMPID):
				c.xmp(p[len(jpegXMPID):], "jpeg APP1 XMP")
			case bytes.HasPrefix(p, jpegExtXMPID):
				addExtendedXMP(ext, p[len(jpegExtXMPID):])
			}
		case 0xEB: // APP11: JUMBF; C2PA when the description box says so
			p, err := src.readUpTo(f, payloadOff, min(payloadLen, 32))
			if err != nil {
				return err
			}
			if len(p) >= 28 && string(p[:2]) == "JP" && string(p[12:16]) == "jumb" && string(p[24:28]) == "c2pa" {
				c.foundC2PA("jpeg-app11")
			}
		case 0xED: // APP13: Photoshop resources with the IPTC-IIM record
			p, err := src.read(f, payloadOff, payloadLen)
			if err != nil {
				return err
			}
			if bytes.HasPrefix(p, photoshopIRB) {
				c.photoshopResources(p[len(photoshopIRB):])
			}
		case 0xFE: // COM
			p, err := src.read(f, payloadOff, payloadLen)
			if err != nil {
				return err
			}
			c.field("jpeg-comment", "JPEG:Comment", string(p))
		}
		off += 2 + length
	}
	return formatErr(f, off, "more than %d segments before the image data", maxJPEGSegments)
}

// addExtendedXMP files one extended XMP chunk: GUID(32) total(4) offset(4)
// data.
func addExtendedXMP(ext map[string]*extendedXMP, p []byte) {
	if len(p) < 40 || len(ext) > 4 {
		return
	}
	guid := string(p[:32])
	total := binary.BigEndian.Uint32(p[32:])
	at := binary.BigEndian.Uint32(p[36:])
	if total > maxXMPBytes {
		return
	}
	e := ext[guid]
	if e == nil {
		e = &extendedXMP{total: total, chunks: map[uint32][]byte{}}
		ext[guid] = e
	}
	if e.total != total || e.got+len(p)-40 > int(total) {
		return
	}
	e.chunks[at] = p[40:]
	e.got += len(p) - 40
}

// finishExtendedXMP joins and parses complete extended XMP packets.
func (c *collector) finishExtendedXMP(ext map[string]*extendedXMP) {
	for _, guid := range sortedKeys(ext) {
		e := ext[guid]
		offs := make([]uint32, 0, len(e.chunks))
		for o := range e.chunks {
			offs = append(offs, o)
		}
		sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
		buf := make([]byte, 0, e.total)
		for _, o := range offs {
			if int(o) != len(buf) {
				break // a missing chunk: parse what is contiguous
			}
			buf = append(buf, e.chunks[o]...)
		}
		if len(buf) > 0 {
			c.xmp(buf, "jpeg extended XMP")
		}
	}
}
