package jumbf

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Description toggle bits of a jumd box.
const (
	ToggleRequestable byte = 0x01 // the superbox may be requested by label
	ToggleLabel       byte = 0x02 // a NUL-terminated label follows the toggles
	ToggleID          byte = 0x04 // a u32be ID follows the label
	ToggleHash        byte = 0x08 // a 32-byte SHA-256 of the payload follows
	TogglePrivate     byte = 0x10 // a private box (C2PA: the c2sh salt) closes the description
)

// Box types used by C2PA.
const (
	TypeSuperBox    = "jumb"
	TypeDescription = "jumd"
	TypeJSON        = "json"
	TypeCBOR        = "cbor"
	TypeUUID        = "uuid"
	TypeCodestream  = "jp2c"
	TypeFileDesc    = "bfdb"
	TypeFileData    = "bidb"
	TypeBrotli      = "brob"
	TypeSalt        = "c2sh"
	TypeFree        = "free"
)

// HeaderSize is the size of the LBox and TBox fields every box starts with.
const HeaderSize = 8

// Box is one JUMBF box. A superbox (Type "jumb") has Desc and Children; a
// content box has Payload.
type Box struct {
	Type     string       // four-character type: "jumb", "json", "cbor", "uuid", "bfdb", "bidb", "brob", "c2sh", "free", "jp2c", ...
	Desc     *Description // superbox only
	Children []*Box       // superbox only, in file order (unknown child types kept as opaque content boxes)
	Payload  []byte       // content box only: bytes after the 8-byte header
	Raw      []byte       // as parsed: the whole box including its header (nil for boxes built in memory)
	Offset   int64        // as parsed: offset of the box in the data given to Parse
}

// Description is the content of a jumd box: what a superbox is and its label.
type Description struct {
	Type    UUID    // the superbox's type (see the UUID variables)
	Toggles byte    // the toggles byte as read; Bytes recomputes bits 0x02-0x10 from the fields below
	Label   string  // without the terminating NUL
	ID      *uint32 // present when toggle 0x04 is set
	Hash    []byte  // 32 bytes when toggle 0x08 is set
	Private *Box    // private box when toggle 0x10 is set, e.g. the c2sh salt
}

// Limits bounds what Parse accepts.
type Limits struct {
	MaxDepth        int   // deepest superbox nesting (the outermost superbox is depth 1)
	MaxSize         int64 // largest input Parse looks at
	MaxBoxes        int   // most boxes in one tree
	MaxDecompressed int64 // largest manifest Decompress produces
}

// DefaultLimits matches c2pa-rs (depth 32, 32 MiB decompressed manifests)
// with generous size bounds.
var DefaultLimits = Limits{MaxDepth: 32, MaxSize: 1 << 30, MaxBoxes: 1 << 20, MaxDecompressed: DefaultMaxDecompressed}

// IsSuperBox reports whether b is a jumb superbox.
func (b *Box) IsSuperBox() bool { return b != nil && b.Type == TypeSuperBox }

// Label returns the superbox label, or "" for content boxes.
func (b *Box) Label() string {
	if b == nil || b.Desc == nil {
		return ""
	}
	return b.Desc.Label
}

// UUID returns the superbox description type, or the zero UUID for content boxes.
func (b *Box) UUID() UUID {
	if b == nil || b.Desc == nil {
		return UUID{}
	}
	return b.Desc.Type
}

// Salt returns the payload of the c2sh private box, or nil.
func (b *Box) Salt() []byte {
	if b == nil || b.Desc == nil || b.Desc.Private == nil || b.Desc.Private.Type != TypeSalt {
		return nil
	}
	return b.Desc.Private.Payload
}

// Child returns the first child superbox labelled label, or nil.
func (b *Box) Child(label string) *Box {
	if b == nil {
		return nil
	}
	for _, c := range b.Children {
		if c.Desc != nil && c.Desc.Label == label {
			return c
		}
	}
	return nil
}

// ChildrenByLabel returns every child superbox labelled label, so callers can
// detect duplicates (which make a URI ambiguous).
func (b *Box) ChildrenByLabel(label string) []*Box {
	if b == nil {
		return nil
	}
	var out []*Box
	for _, c := range b.Children {
		if c.Desc != nil && c.Desc.Label == label {
			out = append(out, c)
		}
	}
	return out
}

// ContentBox returns the first child content box of type typ, or nil.
func (b *Box) ContentBox(typ string) *Box {
	if b == nil {
		return nil
	}
	for _, c := range b.Children {
		if c.Desc == nil && c.Type == typ {
			return c
		}
	}
	return nil
}

// ContentBoxes returns the child boxes that are not superboxes.
func (b *Box) ContentBoxes() []*Box {
	if b == nil {
		return nil
	}
	var out []*Box
	for _, c := range b.Children {
		if c.Desc == nil {
			out = append(out, c)
		}
	}
	return out
}

// NewContentBox returns a content box of type typ (four characters) holding payload.
func NewContentBox(typ string, payload []byte) *Box {
	return &Box{Type: typ, Payload: payload}
}

// NewSuperBox returns a superbox of type typ labelled label with the given
// children, written as c2pa-rs does: toggles 0x03, or 0x13 with a c2sh salt
// box when salt is not nil.
func NewSuperBox(typ UUID, label string, salt []byte, children ...*Box) *Box {
	d := &Description{Type: typ, Toggles: ToggleRequestable | ToggleLabel, Label: label}
	if salt != nil {
		d.Toggles |= TogglePrivate
		d.Private = NewContentBox(TypeSalt, salt)
	}
	return &Box{Type: TypeSuperBox, Desc: d, Children: children}
}

// Parse parses the single box at the start of data (normally the manifest
// store superbox). Bytes after the box are ignored, as c2pa-rs does; the
// returned box's Raw tells how many were used. The tree aliases data.
func Parse(data []byte, lim Limits) (*Box, error) {
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultLimits.MaxDepth
	}
	if lim.MaxSize <= 0 {
		lim.MaxSize = DefaultLimits.MaxSize
	}
	if lim.MaxBoxes <= 0 {
		lim.MaxBoxes = DefaultLimits.MaxBoxes
	}
	if int64(len(data)) > lim.MaxSize {
		return nil, formatErr(0, "", ErrTooLarge, "%d bytes exceed the limit of %d", len(data), lim.MaxSize)
	}
	p := &parser{data: data, lim: lim}
	typ, hdr, size, err := p.header(0, len(data))
	if err != nil {
		return nil, err
	}
	return p.box(0, typ, hdr, size, 1)
}

// ParseSuperBox is Parse that also requires the outermost box to be a superbox.
func ParseSuperBox(data []byte, lim Limits) (*Box, error) {
	b, err := Parse(data, lim)
	if err != nil {
		return nil, err
	}
	if !b.IsSuperBox() {
		return nil, formatErr(0, b.Type, ErrNotSuperBox, "expected a jumb superbox")
	}
	return b, nil
}

type parser struct {
	data  []byte
	lim   Limits
	boxes int
}

// header reads the box header at off within data[:end]. It returns the type,
// the header length (8, or 16 with XLBox) and the total box size.
func (p *parser) header(off, end int) (typ string, hdr, size int, err error) {
	if end-off < HeaderSize {
		return "", 0, 0, formatErr(off, "", ErrTruncated, "box header needs 8 bytes, %d left", end-off)
	}
	lbox := binary.BigEndian.Uint32(p.data[off:])
	typ = string(p.data[off+4 : off+8])
	hdr = HeaderSize
	s := uint64(lbox)
	switch {
	case lbox == 1:
		if end-off < 16 {
			return typ, 0, 0, formatErr(off, typ, ErrTruncated, "XLBox needs 16 header bytes, %d left", end-off)
		}
		s = binary.BigEndian.Uint64(p.data[off+8:])
		hdr = 16
	case lbox == 0:
		return typ, 0, 0, formatErr(off, typ, ErrBadSize, "box size 0 (to end of data) is not supported")
	}
	if s < uint64(hdr) {
		return typ, 0, 0, formatErr(off, typ, ErrBadSize, "box size %d is smaller than its %d-byte header", s, hdr)
	}
	if s > uint64(end-off) {
		return typ, 0, 0, formatErr(off, typ, ErrBadSize, "box size %d runs past the end (%d bytes left)", s, end-off)
	}
	return typ, hdr, int(s), nil
}

func (p *parser) box(off int, typ string, hdr, size, depth int) (*Box, error) {
	p.boxes++
	if p.boxes > p.lim.MaxBoxes {
		return nil, formatErr(off, typ, ErrTooLarge, "more than %d boxes", p.lim.MaxBoxes)
	}
	b := &Box{Type: typ, Raw: p.data[off : off+size : off+size], Offset: int64(off)}
	if typ != TypeSuperBox {
		b.Payload = p.data[off+hdr : off+size : off+size]
		return b, nil
	}
	if depth > p.lim.MaxDepth {
		return nil, formatErr(off, typ, ErrTooDeep, "superbox at depth %d exceeds %d", depth, p.lim.MaxDepth)
	}
	end := off + size
	pos := off + hdr
	dtyp, dhdr, dsize, err := p.header(pos, end)
	if err != nil {
		return nil, err
	}
	if dtyp != TypeDescription {
		return nil, formatErr(pos, dtyp, ErrNoDescription, "superbox starts with %q, not jumd", dtyp)
	}
	if b.Desc, err = p.description(pos, dhdr, dsize); err != nil {
		return nil, err
	}
	if b.Desc.Label == "" {
		return nil, formatErr(pos, dtyp, ErrEmptyLabel, "superbox label is empty")
	}
	pos += dsize
	for pos < end {
		ctyp, chdr, csize, err := p.header(pos, end)
		if err != nil {
			return nil, err
		}
		c, err := p.box(pos, ctyp, chdr, csize, depth+1)
		if err != nil {
			return nil, err
		}
		b.Children = append(b.Children, c)
		pos += csize
	}
	return b, nil
}

func (p *parser) description(off, hdr, size int) (*Description, error) {
	end := off + size
	pos := off + hdr
	if end-pos < 17 {
		return nil, formatErr(off, TypeDescription, ErrTruncated, "description needs 17 bytes, has %d", end-pos)
	}
	d := &Description{}
	copy(d.Type[:], p.data[pos:pos+16])
	d.Toggles = p.data[pos+16]
	pos += 17
	if d.Toggles&(ToggleRequestable|ToggleLabel) != ToggleRequestable|ToggleLabel {
		return nil, formatErr(off+hdr+16, TypeDescription, ErrToggles, "toggles 0x%02x", d.Toggles)
	}
	nul := bytes.IndexByte(p.data[pos:end], 0)
	if nul < 0 {
		return nil, formatErr(pos, TypeDescription, ErrTruncated, "label is not NUL-terminated")
	}
	d.Label = string(p.data[pos : pos+nul])
	pos += nul + 1
	if d.Toggles&ToggleID != 0 {
		if end-pos < 4 {
			return nil, formatErr(pos, TypeDescription, ErrTruncated, "ID needs 4 bytes, %d left", end-pos)
		}
		id := binary.BigEndian.Uint32(p.data[pos:])
		d.ID = &id
		pos += 4
	}
	if d.Toggles&ToggleHash != 0 {
		if end-pos < 32 {
			return nil, formatErr(pos, TypeDescription, ErrTruncated, "hash needs 32 bytes, %d left", end-pos)
		}
		d.Hash = p.data[pos : pos+32 : pos+32]
		pos += 32
	}
	if d.Toggles&TogglePrivate != 0 {
		typ, hdr, psize, err := p.header(pos, end)
		if err != nil {
			return nil, err
		}
		if typ == TypeSuperBox {
			return nil, formatErr(pos, typ, ErrBadSize, "private box is a superbox")
		}
		if d.Private, err = p.box(pos, typ, hdr, psize, 0); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Size returns the length of b.Bytes().
func (b *Box) Size() int {
	n := HeaderSize
	if b.Desc == nil {
		return n + len(b.Payload)
	}
	n += b.Desc.size()
	for _, c := range b.Children {
		n += c.Size()
	}
	return n
}

func (d *Description) size() int {
	n := HeaderSize + 16 + 1 + len(d.Label) + 1
	if d.ID != nil {
		n += 4
	}
	if d.Hash != nil {
		n += len(d.Hash)
	}
	if d.Private != nil {
		n += d.Private.Size()
	}
	return n
}

func (d *Description) toggles() byte {
	t := d.Toggles&^(ToggleID|ToggleHash|TogglePrivate) | ToggleLabel
	if d.ID != nil {
		t |= ToggleID
	}
	if d.Hash != nil {
		t |= ToggleHash
	}
	if d.Private != nil {
		t |= TogglePrivate
	}
	return t
}

// Bytes returns the serialisation of b: 32-bit sizes (never XLBox), header
// included. For a parsed box without XLBox headers or bytes the parser
// skipped, it equals Raw.
func (b *Box) Bytes() []byte {
	buf := make([]byte, 0, b.Size())
	return b.appendTo(buf)
}

// PayloadBytes returns Bytes without the 8-byte header: for a superbox the
// jumd box and every child box, which is what a hashed URI hashes
// (C2PA-NOTES §1.9).
func (b *Box) PayloadBytes() []byte {
	return b.Bytes()[HeaderSize:]
}

// AppendTo appends b.Bytes() to buf.
func (b *Box) AppendTo(buf []byte) []byte { return b.appendTo(buf) }

func (b *Box) appendTo(buf []byte) []byte {
	buf = appendHeader(buf, b.Size(), b.Type)
	if b.Desc == nil {
		return append(buf, b.Payload...)
	}
	d := b.Desc
	buf = appendHeader(buf, d.size(), TypeDescription)
	buf = append(buf, d.Type[:]...)
	buf = append(buf, d.toggles())
	buf = append(buf, d.Label...)
	buf = append(buf, 0)
	if d.ID != nil {
		buf = binary.BigEndian.AppendUint32(buf, *d.ID)
	}
	buf = append(buf, d.Hash...)
	if d.Private != nil {
		buf = d.Private.appendTo(buf)
	}
	for _, c := range b.Children {
		buf = c.appendTo(buf)
	}
	return buf
}

func appendHeader(buf []byte, size int, typ string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(size))
	var t [4]byte
	copy(t[:], typ)
	return append(buf, t[:]...)
}

// Canonical returns a copy of the tree as c2pa-rs re-serialises it before
// hashing: description toggles reduced to 0x03 (0x13 with a private box), no
// ID or hash fields, no free padding boxes. c2pa-rs computes hashed URIs over
// this form, not over the bytes in the file (C2PA-NOTES §1.9).
func (b *Box) Canonical() *Box {
	if b.Desc == nil {
		return &Box{Type: b.Type, Payload: b.Payload}
	}
	d := &Description{Type: b.Desc.Type, Toggles: ToggleRequestable | ToggleLabel, Label: b.Desc.Label}
	if b.Desc.Private != nil {
		d.Toggles |= TogglePrivate
		d.Private = &Box{Type: b.Desc.Private.Type, Payload: b.Desc.Private.Payload}
	}
	c := &Box{Type: b.Type, Desc: d}
	for _, ch := range b.Children {
		if ch.Desc == nil && ch.Type == TypeFree {
			continue
		}
		c.Children = append(c.Children, ch.Canonical())
	}
	return c
}

// String describes b briefly, for logs and test failures.
func (b *Box) String() string {
	if b.Desc != nil {
		return fmt.Sprintf("jumb(%s %q, %d children)", b.Desc.Type, b.Desc.Label, len(b.Children))
	}
	return fmt.Sprintf("%s(%d bytes)", b.Type, len(b.Payload))
}
