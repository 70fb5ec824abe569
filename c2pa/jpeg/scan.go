package jpeg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"

	"provgraph/c2pa/asset"
)

// Marker bytes used here (ITU T.81 Table B.1).
const (
	markerSOI   = 0xD8
	markerEOI   = 0xD9
	markerSOS   = 0xDA
	markerRST0  = 0xD0
	markerRST7  = 0xD7
	markerTEM   = 0x01
	markerAPP0  = 0xE0
	markerAPP1  = 0xE1
	markerAPP11 = 0xEB
)

// segment is one marker segment of a JPEG stream.
type segment struct {
	marker  byte
	start   int64 // offset of the first 0xFF: fill bytes belong to the segment they precede
	fill    int64 // number of 0xFF fill bytes before the marker's own 0xFF
	length  int64 // marker + length field + contents; 2 for standalone markers
	entropy int64 // entropy-coded bytes after the segment (SOS, RSTn)
}

// at returns the offset of the marker itself (its 0xFF), after fill bytes.
func (s segment) at() int64 { return s.start + s.fill }

// end returns the offset just past the segment and its entropy data.
func (s segment) end() int64 { return s.at() + s.length + s.entropy }

// contents returns the range of the bytes after the length field.
func (s segment) contents() asset.Range {
	if s.length < 4 {
		return asset.Range{Start: s.at() + s.length}
	}
	return asset.Range{Start: s.at() + 4, Length: s.length - 4}
}

// standalone reports markers without a length field.
func standalone(m byte) bool {
	return m == markerSOI || m == markerEOI || m == markerTEM || (m >= markerRST0 && m <= markerRST7)
}

// maxSegments bounds the number of segments a walk visits.
const maxSegments = 1 << 20

// reader is a buffered view of an io.ReaderAt.
type reader struct {
	r     io.ReaderAt
	size  int64
	buf   []byte
	start int64 // offset of buf[0]
}

func newReader(r io.ReaderAt, size int64) *reader {
	return &reader{r: r, size: size, buf: make([]byte, 0, min(256<<10, max(size, 16)))}
}

// window returns the buffered bytes from off on (at least n of them unless
// the input ends first), refilling the buffer as needed.
func (b *reader) window(off int64, n int) ([]byte, error) {
	if off >= b.start && off+int64(n) <= b.start+int64(len(b.buf)) {
		return b.buf[off-b.start:], nil
	}
	if off >= b.size {
		return nil, nil
	}
	m := min(int64(cap(b.buf)), b.size-off)
	b.buf = b.buf[:m]
	got, err := b.r.ReadAt(b.buf, off)
	if int64(got) < m && err != nil {
		b.buf = b.buf[:0]
		return nil, asset.Malformed(Format, off, "read: %v", err)
	}
	b.start = off
	return b.buf, nil
}

// walkMode says where a walk ends.
type walkMode int

const (
	// toEOI stops at the first EOI, as img-parts (c2pa-rs's JPEG parser) does.
	toEOI walkMode = iota
	// pastEOI goes on after EOI, as jfifdump (c2pa-rs's box-hash walker) does.
	pastEOI
	// toScan stops at the first SOS, before its entropy-coded data, which
	// it hands to fn with entropy -1 (unknown); walk then returns
	// errScanReached.
	toScan
)

// errScanReached is walk's result when a toScan walk reached a scan.
var errScanReached = errors.New("jpeg: walk reached the first scan")

// walk calls fn for each marker segment from SOI on, up to where mode says.
// Bytes between segments that are not markers are skipped.
func walk(r io.ReaderAt, size int64, mode walkMode, fn func(segment) error) error {
	b := newReader(r, size)
	head, err := b.window(0, 2)
	if err != nil {
		return err
	}
	if len(head) < 2 || head[0] != 0xFF || head[1] != markerSOI {
		return asset.Malformed(Format, 0, "missing SOI marker")
	}
	pos, count := int64(0), 0
	for pos < size {
		if count > maxSegments {
			return asset.NewError(asset.ErrTooLarge, Format, pos, "more than %d segments", maxSegments)
		}
		// Find the marker: skip to the next 0xFF, then over fill bytes.
		w, err := b.window(pos, 2)
		if err != nil {
			return err
		}
		i := bytes.IndexByte(w, 0xFF)
		if i < 0 {
			pos += int64(len(w))
			continue
		}
		pos += int64(i)
		first := pos
		for {
			w, err = b.window(pos, 2)
			if err != nil {
				return err
			}
			if len(w) < 2 {
				return nil // a lone 0xFF at the end
			}
			if w[1] != 0xFF {
				break
			}
			pos++
		}
		seg := segment{marker: w[1], start: first, fill: pos - first, length: 2}
		switch {
		case seg.marker == 0x00:
			pos += 2 // stuffed byte outside a scan: not a marker
			continue
		case !standalone(seg.marker):
			if len(w) < 4 {
				return asset.Malformed(Format, pos, "marker 0x%02X: truncated length", seg.marker)
			}
			lp := int64(binary.BigEndian.Uint16(w[2:]))
			if lp < 2 {
				return asset.Malformed(Format, pos, "marker 0x%02X: length %d", seg.marker, lp)
			}
			if pos+2+lp > size {
				return asset.Malformed(Format, pos, "marker 0x%02X: length %d runs past the end", seg.marker, lp)
			}
			seg.length = 2 + lp
		}
		if seg.marker == markerSOS && mode == toScan {
			seg.entropy = -1
			if err := fn(seg); err != nil {
				return err
			}
			return errScanReached
		}
		if seg.marker == markerSOS || (seg.marker >= markerRST0 && seg.marker <= markerRST7) {
			if seg.entropy, err = entropyLen(b, seg.at()+seg.length); err != nil {
				return err
			}
		}
		if seg.marker < markerRST0 || seg.marker > markerRST7 {
			count++ // restart markers are bounded by the file size alone
		}
		if err := fn(seg); err != nil {
			return err
		}
		pos = seg.end()
		if seg.marker == markerEOI && mode != pastEOI {
			return nil
		}
	}
	return nil
}

// entropyLen returns the length of entropy-coded data from off: it ends at
// the first 0xFF (run) followed by anything but a stuffed 0x00, or at EOF.
// It scans each buffered window in place: this is the hot loop of a walk.
func entropyLen(b *reader, off int64) (int64, error) {
	pos := off
	run := int64(-1) // start of a 0xFF run that reached the end of a window
	for pos < b.size {
		w, err := b.window(pos, 1)
		if err != nil {
			return 0, err
		}
		i := 0
		if run >= 0 {
			for i < len(w) && w[i] == 0xFF {
				i++
			}
			if i < len(w) {
				if w[i] != 0x00 {
					return run - off, nil
				}
				run, i = -1, i+1
			}
		}
		for run < 0 {
			j := bytes.IndexByte(w[i:], 0xFF)
			if j < 0 {
				break
			}
			ff := i + j
			k := ff + 1
			for k < len(w) && w[k] == 0xFF {
				k++
			}
			if k == len(w) {
				run = pos + int64(ff)
				break
			}
			if w[k] != 0x00 {
				return pos + int64(ff) - off, nil
			}
			i = k + 1
		}
		pos += int64(len(w))
	}
	return b.size - off, nil
}
