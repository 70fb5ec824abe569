package bmff

import (
	"encoding/binary"
	"io"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "bmff"

// Limits of the walker: deeper nesting is refused as c2pa-rs refuses it
// ("Boxes are too deply nested"), more boxes as too large.
const (
	MaxDepth = 32
	MaxBoxes = 1 << 20
)

// C2PAUUID is the usertype of the C2PA ContentProvenanceBox.
var C2PAUUID = [16]byte{0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81}

// XMPUUID is the usertype of the uuid box carrying XMP.
var XMPUUID = [16]byte{0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac}

// ErrTooDeep reports boxes nested deeper than MaxDepth; c2pa-rs reports
// such assets as InvalidAsset("Boxes are too deply nested, unsupported asset").
var ErrTooDeep = &asset.FormatError{Format: Format, Msg: "Boxes are too deply nested, unsupported asset", Err: asset.ErrMalformed}

// Box is one box of the tree.
type Box struct {
	Type      string // four-character code (invalid UTF-8 replaced, as c2pa-rs does)
	Offset    int64  // offset of the size field
	Size      int64  // whole box, header included
	HeaderLen int64  // 8, or 16 with a 64-bit size
	UserType  []byte // the 16-byte usertype of uuid boxes
	// Full reports a FullBox whose version and flags were read.
	Full    bool
	Version uint8
	Flags   uint32
	// ToEnd marks a box whose size field is 0: it runs to the end of the file.
	ToEnd  bool
	Parent int   // index in Tree.Boxes, -1 at top level
	Kids   []int // indexes of the children
}

// End returns the offset just past b.
func (b *Box) End() int64 { return b.Offset + b.Size }

// Tree is the box structure of a file, as c2pa-rs's walker sees it.
type Tree struct {
	Boxes []Box
	Top   []int // indexes of the top-level boxes, in file order
	Size  int64 // file size
}

// containers are the box types whose children c2pa-rs walks.
var containers = map[string]bool{
	"moov": true, "trak": true, "mdia": true, "minf": true, "stbl": true, "moof": true,
	"traf": true, "edts": true, "udta": true, "dinf": true, "tref": true, "treg": true,
	"mvex": true, "mfra": true, "meta": true, "schi": true,
}

// fullBoxes are the ISO/IEC 14496-12 FullBox types whose version and flags
// the walker reads.
var fullBoxes = map[string]bool{}

func init() {
	for _, t := range strings.Split("pdin mvhd tkhd mdhd hdlr nmhd elng stsd stdp stts ctts cslg stss stsh elst dref stsz stz2 stsc stco co64 padb subs saiz saio mehd trex mfhd tfhd trun tfra mfro tfdt leva trep assp sbgp sgpd csgp cprt tsel kind meta bxml iloc pitm ipro infe iinf iref ipma schm fiin fpar fecr gitn fire stri stsg stvi csch sidx ssix prft srpp vmhd smhd srat chnl dmix txtC mime uriI hmhd sthd vvhd medc", " ") {
		fullBoxes[t] = true
	}
	fullBoxes["xml "], fullBoxes["uri "] = true, true
}

// Parse walks the boxes of a file of size bytes. The first box must be a
// well-formed ftyp when it is one; trailing bytes too short for a header
// end the walk, a box running past its parent is an error (except mdat,
// which is cut at the end, as c2pa-rs does).
func Parse(r io.ReaderAt, size int64) (*Tree, error) {
	t := &Tree{Size: size}
	if err := checkFtyp(r, size); err != nil {
		return nil, err
	}
	if err := t.walk(r, 0, size, -1, 1); err != nil {
		return nil, err
	}
	return t, nil
}

func checkFtyp(r io.ReaderAt, size int64) error {
	h, err := readHeader(r, size, 0)
	if err != nil {
		return asset.Malformed(Format, 0, "Bad BMFF: %v", err)
	}
	if h.typ != "ftyp" {
		return nil
	}
	if h.size < 16 || h.size%4 != 0 {
		return asset.Malformed(Format, 0, "ftyp size too small or not aligned")
	}
	if h.size > size {
		return asset.Malformed(Format, 0, "ftyp of %d bytes runs past the end", h.size)
	}
	return nil
}

type header struct {
	typ   string
	size  int64 // 0: 64-bit size of zero
	hlen  int64
	toEnd bool
	// overflow marks a 64-bit size that wraps past 2^64 from the box start.
	overflow bool
}

// readHeader reads the box header at off; size 0 means "to the end of the
// file" and is resolved.
func readHeader(r io.ReaderAt, size, off int64) (header, error) {
	b, err := asset.ReadAt(r, size, Format, off, 8)
	if err != nil {
		return header{}, err
	}
	h := header{typ: fourCC(b[4:8]), size: int64(binary.BigEndian.Uint32(b)), hlen: 8}
	switch h.size {
	case 1:
		l, err := asset.ReadAt(r, size, Format, off+8, 8)
		if err != nil {
			return header{}, err
		}
		u := binary.BigEndian.Uint64(l)
		if u > math.MaxUint64-uint64(off) {
			h.overflow = true
		}
		h.size, h.hlen = int64(min(u, math.MaxInt64)), 16
	case 0:
		h.size, h.toEnd = size-off, true
	}
	return h, nil
}

func fourCC(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func (t *Tree) walk(r io.ReaderAt, pos, end int64, parent, depth int) error {
	if depth > MaxDepth {
		e := *ErrTooDeep
		e.Offset = pos
		return &e
	}
	for pos < end {
		h, err := readHeader(r, t.Size, pos)
		if err != nil || h.size == 0 {
			// c2pa-rs stops at trailing bytes that hold no header.
			return nil
		}
		if h.overflow {
			return asset.Malformed(Format, pos, "BMFF box size overflow")
		}
		s := h.size
		if s > end-pos {
			if h.typ != "mdat" {
				return asset.Malformed(Format, pos, "Box size extends beyond asset bounds")
			}
			s = end - pos
		}
		if len(t.Boxes) >= MaxBoxes {
			return asset.NewError(asset.ErrTooLarge, Format, pos, "more than %d boxes", MaxBoxes)
		}
		b := Box{Type: h.typ, Offset: pos, Size: s, HeaderLen: h.hlen, ToEnd: h.toEnd, Parent: parent}
		body := pos + h.hlen
		switch {
		case h.typ == "uuid":
			u, err := asset.ReadAt(r, t.Size, Format, body, 16)
			if err != nil {
				return err
			}
			b.UserType = u
			if [16]byte(u) == C2PAUUID {
				if err := b.readFull(r, t.Size, body+16); err != nil {
					return err
				}
			}
		case fullBoxes[h.typ]:
			if h.typ == "meta" && lacksFullHeader(r, t.Size, body) {
				break
			}
			if err := b.readFull(r, t.Size, body); err != nil {
				return err
			}
		}
		idx := len(t.Boxes)
		t.Boxes = append(t.Boxes, b)
		if parent < 0 {
			t.Top = append(t.Top, idx)
		} else {
			t.Boxes[parent].Kids = append(t.Boxes[parent].Kids, idx)
		}
		if containers[h.typ] {
			kids := body
			if t.Boxes[idx].Full {
				kids += 4
			}
			if err := t.walk(r, kids, pos+s, idx, depth+1); err != nil {
				return err
			}
		}
		pos += s
	}
	return nil
}

func (b *Box) readFull(r io.ReaderAt, size, off int64) error {
	v, err := asset.ReadAt(r, size, Format, off, 4)
	if err != nil {
		return err
	}
	b.Full, b.Version, b.Flags = true, v[0], uint32(v[1])<<16|uint32(v[2])<<8|uint32(v[3])
	return nil
}

// lacksFullHeader reports a QuickTime meta box written without version and
// flags: its first child (hdlr) starts right after the header.
func lacksFullHeader(r io.ReaderAt, size, off int64) bool {
	b, err := asset.ReadAt(r, size, Format, off, 8)
	return err == nil && string(b[4:8]) == "hdlr"
}

// Path returns the absolute path of box i, e.g. "/moov/trak/mdia".
func (t *Tree) Path(i int) string {
	var parts []string
	for ; i >= 0; i = t.Boxes[i].Parent {
		parts = append(parts, t.Boxes[i].Type)
	}
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// Select returns the boxes an exclusion xpath names, as c2pa-rs's fetch
// does: each step keeps the children of the current boxes with that type,
// or only the n-th of them (1-based) with "type[n]". A malformed xpath
// selects nothing.
func (t *Tree) Select(xpath string) []int {
	cur := t.Top
	var sel []int
	for _, part := range strings.Split(strings.TrimLeft(xpath, "/"), "/") {
		if len(part) < 4 {
			return nil
		}
		if len(cur) == 0 {
			return nil
		}
		name, idx := part, 0
		if i := strings.IndexByte(part, '['); i >= 0 {
			name = part[:i]
			n, ok := parseIndex(part[i+1:])
			if len(name) < 4 || !ok || n == 0 {
				return nil
			}
			idx = n
		}
		var match []int
		for _, c := range cur {
			if t.Boxes[c].Type == name {
				match = append(match, c)
			}
		}
		if idx > 0 {
			if idx > len(match) {
				return nil
			}
			match = match[idx-1 : idx]
		}
		sel = match
		cur = nil
		for _, m := range match {
			cur = append(cur, t.Boxes[m].Kids...)
		}
	}
	return sel
}

// parseIndex parses "n]" (the closing bracket optional, as in c2pa-rs).
func parseIndex(s string) (int, bool) {
	s = strings.TrimRight(s, "]")
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
