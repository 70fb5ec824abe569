package scan

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
)

// BMFF uuid box types.
var (
	uuidC2PA = []byte{0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81}
	uuidXMP  = []byte{0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC}
)

// Bounds on BMFF walking.
const (
	maxBoxes     = 100_000
	maxBoxDepth  = 8
	maxBMFFItems = 4096
	maxBMFFText  = 1 << 20
)

// bmffTextItems names the iTunes-style (ilst) and QuickTime user-data
// items recorded as fields.
var bmffTextItems = map[string]string{
	"\xA9too": "encoder", "\xA9swr": "software", "\xA9cmt": "comment", "\xA9des": "description",
	"\xA9nam": "title", "\xA9ART": "artist", "\xA9mak": "make", "\xA9mod": "model", "desc": "description",
	"\xA9inf": "information", "\xA9enc": "encodedBy",
}

// box is one BMFF box header.
type box struct {
	typ     string
	uuid    []byte // for "uuid" boxes
	off     int64  // start of the header
	dataOff int64  // start of the body (after size, type, largesize, uuid)
	end     int64
}

// bmffWalker holds the state of one BMFF walk.
type bmffWalker struct {
	c     *collector
	src   *source
	boxes int
	// HEIF items: id -> type/content type, and their locations.
	items  map[uint32]*heifItem
	idat   *box
	mdKeys map[uint32]string // QuickTime mdta keys, 1-based
}

type heifItem struct {
	typ, contentType string
	method           int
	extents          [][2]int64 // offset, length
}

// walkBMFF walks an ISO BMFF file (HEIF/HEIC/AVIF, MP4, MOV, M4A): boxes
// are visited by their headers and media data (mdat) is never read.
func walkBMFF(c *collector, src *source) error {
	w := &bmffWalker{c: c, src: src, items: map[uint32]*heifItem{}}
	err := w.children(0, src.size, 0, "")
	w.readItems()
	return err
}

// next reads the box header at off, inside a parent ending at end.
func (w *bmffWalker) next(off, end int64) (*box, error) {
	const f = "bmff"
	w.boxes++
	if w.boxes > maxBoxes {
		return nil, formatErr(f, off, "more than %d boxes", maxBoxes)
	}
	h, err := w.src.read(f, off, min(16, end-off))
	if err != nil {
		return nil, err
	}
	if len(h) < 8 {
		return nil, formatErr(f, off, "box header cut short")
	}
	b := &box{typ: string(h[4:8]), off: off, dataOff: off + 8}
	size := int64(binary.BigEndian.Uint32(h))
	switch size {
	case 0:
		b.end = end
	case 1:
		if len(h) < 16 {
			return nil, formatErr(f, off, "largesize header cut short")
		}
		ls := binary.BigEndian.Uint64(h[8:])
		if ls > uint64(end-off) || ls < 16 {
			return nil, formatErr(f, off, "box %q largesize %d outside its parent", b.typ, ls)
		}
		b.end, b.dataOff = off+int64(ls), off+16
	default:
		if size < 8 || size > end-off {
			return nil, formatErr(f, off, "box %q size %d outside its parent", b.typ, size)
		}
		b.end = off + size
	}
	if b.typ == "uuid" {
		if b.end-b.dataOff < 16 {
			return nil, formatErr(f, off, "uuid box without its type")
		}
		u, err := w.src.read(f, b.dataOff, 16)
		if err != nil {
			return nil, err
		}
		b.uuid, b.dataOff = u, b.dataOff+16
	}
	return b, nil
}

// children walks the boxes in [off, end); parent is the enclosing box type.
func (w *bmffWalker) children(off, end int64, depth int, parent string) error {
	if depth > maxBoxDepth {
		return formatErr("bmff", off, "boxes nested deeper than %d", maxBoxDepth)
	}
	for off+8 <= end {
		b, err := w.next(off, end)
		if err != nil {
			return err
		}
		if err := w.visit(b, depth, parent); err != nil {
			return err
		}
		off = b.end
	}
	return nil
}

// body reads a box's body, refusing bodies over limit.
func (w *bmffWalker) body(b *box, limit int64) ([]byte, error) {
	n := b.end - b.dataOff
	if n > limit {
		return nil, formatErr("bmff", b.off, "box %q body of %d bytes exceeds %d", b.typ, n, limit)
	}
	return w.src.read("bmff", b.dataOff, n)
}

func (w *bmffWalker) visit(b *box, depth int, parent string) error {
	c := w.c
	switch b.typ {
	case "uuid":
		switch {
		case bytes.Equal(b.uuid, uuidC2PA):
			// The body is version/flags, then a purpose string: "manifest"
			// for a store; fragments carry "merkle" boxes that are not one.
			p, err := w.src.read("bmff", b.dataOff, min(16, b.end-b.dataOff))
			if err != nil {
				return err
			}
			if len(p) > 4 && bytes.HasPrefix(p[4:], []byte("manifest\x00")) {
				c.foundC2PA("bmff-uuid")
			}
		case bytes.Equal(b.uuid, uuidXMP):
			p, err := w.body(b, maxXMPBytes)
			if err != nil {
				c.warn(err)
				return nil
			}
			c.xmp(p, "bmff XMP uuid box")
		}
	case "moov", "udta":
		// Tracks (trak) are not entered: they hold sample tables, not
		// provenance.
		return w.children(b.dataOff, b.end, depth+1, b.typ)
	case "meta":
		// ISO meta is a full box (4 bytes of version and flags); the
		// QuickTime one is not. Tell them apart by where a box header fits.
		start := b.dataOff
		if h, err := w.src.read("bmff", b.dataOff, min(12, b.end-b.dataOff)); err == nil && len(h) >= 12 &&
			binary.BigEndian.Uint32(h) == 0 && isBoxType(h[8:12]) {
			start += 4
		}
		return w.children(start, b.end, depth+1, "meta")
	case "XMP_":
		p, err := w.body(b, maxXMPBytes)
		if err != nil {
			c.warn(err)
			return nil
		}
		c.xmp(p, "bmff XMP_ box")
	case "xml ":
		if parent == "meta" {
			p, err := w.body(b, maxXMPBytes)
			if err != nil {
				c.warn(err)
				return nil
			}
			if len(p) > 4 && bytes.Contains(p, []byte("xmpmeta")) {
				c.xmp(p[4:], "bmff meta xml box")
			}
		}
	case "iinf":
		return w.iinf(b)
	case "iloc":
		return w.iloc(b)
	case "idat":
		w.idat = b
	case "keys":
		return w.keys(b)
	case "ilst":
		return w.ilst(b)
	default:
		if name, ok := bmffTextItems[b.typ]; ok && parent == "udta" {
			// QuickTime user-data text: size(2) language(2) text.
			p, err := w.body(b, maxBMFFText)
			if err != nil {
				c.warn(err)
				return nil
			}
			if len(p) >= 4 {
				n := int(binary.BigEndian.Uint16(p))
				if n <= len(p)-4 {
					c.field("bmff-metadata", "BMFF:"+name, string(p[4:4+n]))
				}
			}
		}
	}
	return nil
}

// isBoxType reports whether b looks like a four-character box type.
func isBoxType(b []byte) bool {
	for _, x := range b {
		if x < 0x20 || x > 0x7E {
			if x != 0xA9 {
				return false
			}
		}
	}
	return true
}

// keys reads a QuickTime mdta keys box: the names ilst items refer to by
// 1-based index.
func (w *bmffWalker) keys(b *box) error {
	p, err := w.body(b, maxBMFFText)
	if err != nil {
		w.c.warn(err)
		return nil
	}
	if len(p) < 8 {
		return nil
	}
	n := binary.BigEndian.Uint32(p[4:])
	w.mdKeys = map[uint32]string{}
	off := 8
	for i := uint32(1); i <= n && i <= maxBMFFItems && off+8 <= len(p); i++ {
		sz := int(binary.BigEndian.Uint32(p[off:]))
		if sz < 8 || sz > len(p)-off {
			break
		}
		w.mdKeys[i] = string(p[off+8 : off+sz])
		off += sz
	}
	return nil
}

// ilst reads metadata items: each is a box named by a four-character code
// (or a keys index) holding a "data" box: type(4) locale(4) value.
func (w *bmffWalker) ilst(b *box) error {
	off := b.dataOff
	for off+8 <= b.end {
		item, err := w.next(off, b.end)
		if err != nil {
			return err
		}
		off = item.end
		name, ok := bmffTextItems[item.typ]
		if !ok && w.mdKeys != nil {
			idx := binary.BigEndian.Uint32([]byte(item.typ))
			if k, found := w.mdKeys[idx]; found {
				name, ok = mdtaName(k)
			}
		}
		if !ok {
			continue
		}
		p, err := w.body(item, maxBMFFText)
		if err != nil {
			w.c.warn(err)
			continue
		}
		// The first child should be the data box.
		if len(p) >= 16 && string(p[4:8]) == "data" {
			sz := int(binary.BigEndian.Uint32(p))
			dataType := binary.BigEndian.Uint32(p[8:]) & 0xFFFFFF
			if sz >= 16 && sz <= len(p) && (dataType == 1 || dataType == 0) {
				w.c.field("bmff-metadata", "BMFF:"+name, string(p[16:sz]))
			}
		}
	}
	return nil
}

// mdtaName maps a QuickTime metadata key to a field name.
func mdtaName(key string) (string, bool) {
	switch key {
	case "com.apple.quicktime.software":
		return "software", true
	case "com.apple.quicktime.make":
		return "make", true
	case "com.apple.quicktime.model":
		return "model", true
	case "com.apple.quicktime.comment":
		return "comment", true
	case "com.apple.quicktime.description":
		return "description", true
	case "com.apple.quicktime.author", "com.apple.quicktime.artist":
		return "artist", true
	}
	return "", false
}

// iinf reads the HEIF item information: which items are Exif or XMP.
func (w *bmffWalker) iinf(b *box) error {
	h, err := w.src.read("bmff", b.dataOff, min(8, b.end-b.dataOff))
	if err != nil || len(h) < 6 {
		return err
	}
	start := b.dataOff + 6 // version/flags, 16-bit count
	if h[0] != 0 {
		start = b.dataOff + 8
	}
	off := start
	for n := 0; off+8 <= b.end && n < maxBMFFItems; n++ {
		e, err := w.next(off, b.end)
		if err != nil {
			return err
		}
		off = e.end
		if e.typ != "infe" {
			continue
		}
		p, err := w.body(e, 4096)
		if err != nil {
			w.c.warn(err)
			continue
		}
		if len(p) < 4 || p[0] < 2 {
			continue // versions 0 and 1 carry no item type
		}
		var id uint32
		q := p[4:]
		if p[0] == 2 && len(q) >= 8 {
			id, q = uint32(binary.BigEndian.Uint16(q)), q[4:]
		} else if p[0] >= 3 && len(q) >= 10 {
			id, q = binary.BigEndian.Uint32(q), q[6:]
		} else {
			continue
		}
		it := &heifItem{typ: string(q[:4])}
		q = q[4:]
		if it.typ == "mime" {
			if _, rest, ok := bytes.Cut(q, []byte{0}); ok {
				ct, _, _ := bytes.Cut(rest, []byte{0})
				it.contentType = string(ct)
			}
		}
		if len(w.items) < maxBMFFItems {
			if old := w.items[id]; old != nil {
				it.extents, it.method = old.extents, old.method
			}
			w.items[id] = it
		}
	}
	return nil
}

// iloc reads the HEIF item locations.
func (w *bmffWalker) iloc(b *box) error {
	p, err := w.body(b, 1<<20)
	if err != nil {
		w.c.warn(err)
		return nil
	}
	r := &byteCursor{p: p}
	version := r.u(1)
	r.u(3)
	sizes := r.u(2)
	offSize, lenSize, baseSize := int(sizes>>12&15), int(sizes>>8&15), int(sizes>>4&15)
	idxSize := 0
	if version == 1 || version == 2 {
		idxSize = int(sizes & 15)
	}
	count := r.u(2)
	if version == 2 {
		count = r.u(4)
	}
	for i := uint64(0); i < count && i < maxBMFFItems && r.err == nil; i++ {
		var id uint32
		if version == 2 {
			id = uint32(r.u(4))
		} else {
			id = uint32(r.u(2))
		}
		method := 0
		if version == 1 || version == 2 {
			method = int(r.u(2) & 15)
		}
		r.u(2) // data_reference_index
		base := int64(r.u(baseSize))
		nExt := r.u(2)
		var extents [][2]int64
		for j := uint64(0); j < nExt && j < 1024 && r.err == nil; j++ {
			r.u(idxSize)
			eo, el := int64(r.u(offSize)), int64(r.u(lenSize))
			extents = append(extents, [2]int64{base + eo, el})
		}
		if r.err != nil {
			break
		}
		it := w.items[id]
		if it == nil {
			if len(w.items) >= maxBMFFItems {
				continue
			}
			it = &heifItem{}
			w.items[id] = it
		}
		it.method, it.extents = method, extents
	}
	if r.err != nil {
		return formatErr("bmff", b.off, "iloc: %v", r.err)
	}
	return nil
}

// readItems reads the Exif and XMP items that iinf and iloc described.
func (w *bmffWalker) readItems() {
	for _, id := range sortedItemIDs(w.items) {
		it := w.items[id]
		isExif := it.typ == "Exif"
		isXMP := it.typ == "mime" && (it.contentType == "application/rdf+xml" || it.contentType == "application/xmp+xml")
		if !isExif && !isXMP {
			continue
		}
		data, err := w.itemData(it, maxXMPBytes)
		if err != nil {
			w.c.warn(fmt.Errorf("heif item %d: %w", id, err))
			continue
		}
		if isXMP {
			w.c.xmp(data, "heif XMP item")
			continue
		}
		// Exif items start with the offset of the TIFF header.
		if len(data) < 4 {
			continue
		}
		skip := int64(binary.BigEndian.Uint32(data)) + 4
		if skip > int64(len(data)) {
			continue
		}
		w.c.exif(bytes.TrimPrefix(data[skip:], jpegExifID))
	}
}

// itemData concatenates an item's extents (in the file, or in idat).
func (w *bmffWalker) itemData(it *heifItem, limit int64) ([]byte, error) {
	var out []byte
	for _, e := range it.extents {
		off, n := e[0], e[1]
		src := w.src
		switch it.method {
		case 0:
		case 1:
			if w.idat == nil {
				return nil, formatErr("bmff", 0, "item in idat but no idat box")
			}
			src = w.src.sub(w.idat.dataOff, w.idat.end-w.idat.dataOff)
		default:
			return nil, formatErr("bmff", 0, "item construction method %d", it.method)
		}
		if n == 0 {
			n = src.size - off
		}
		if int64(len(out))+n > limit {
			return nil, formatErr("bmff", off, "item larger than %d bytes", limit)
		}
		p, err := src.read("bmff", off, n)
		if err != nil {
			return nil, err
		}
		out = append(out, p...)
	}
	return out, nil
}

func sortedItemIDs(m map[uint32]*heifItem) []uint32 {
	ids := make([]uint32, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// byteCursor reads big-endian integers of 0–8 bytes from a slice,
// remembering the first overrun.
type byteCursor struct {
	p   []byte
	i   int
	err error
}

func (r *byteCursor) u(n int) uint64 {
	if r.err != nil || n == 0 {
		return 0
	}
	if n > 8 || r.i+n > len(r.p) {
		r.err = fmt.Errorf("field of %d bytes at %d overruns %d-byte box", n, r.i, len(r.p))
		return 0
	}
	var v uint64
	for _, b := range r.p[r.i : r.i+n] {
		v = v<<8 | uint64(b)
	}
	r.i += n
	return v
}
