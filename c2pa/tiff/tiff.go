package tiff

import (
	"cmp"
	"encoding/binary"
	"io"
	"math"
	"slices"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "tiff"

// Tag is the IFD tag that carries the manifest store; its type is
// UNDEFINED (7).
const Tag = 0xCD41

const (
	typeUndefined = 7
	typeByte      = 1

	tagXMP     = 0x02BC
	tagSubIFDs = 0x014A
	tagExif    = 0x8769
	tagGPS     = 0x8825
)

// Bounds of a walk. maxPages and maxSubfiles are c2pa-rs's limits (it
// fails a file beyond them); maxIFDs caps the IFDs one walk reads in all,
// and maxEntries the entries of one BigTIFF IFD.
const (
	maxPages    = 2000
	maxSubfiles = 1000
	maxIFDs     = 1 << 16
	maxEntries  = 1 << 20
)

// Handler implements asset.Handler for TIFF, BigTIFF and DNG.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "tiff".
func (Handler) Format() string { return Format }

// MediaTypes returns the TIFF and DNG media types c2pa-rs writes.
func (Handler) MediaTypes() []string {
	return []string{"image/tiff", "image/x-adobe-dng", "image/dng", "image/x-tiff"}
}

// Sniff reports whether head starts with a TIFF or BigTIFF header.
func (Handler) Sniff(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	switch string(head[:4]) {
	case "II*\x00", "MM\x00*", "II+\x00", "MM\x00+":
		return true
	}
	return false
}

// file is the IFD structure of a TIFF as c2pa-rs maps it: the chain of
// page IFDs from the header, each checked with its SubIFDs, Exif and GPS
// IFDs.
type file struct {
	r     io.ReaderAt
	size  int64
	order byteOrder
	big   bool
	pages []*ifd
	read  int // IFDs read so far
	// structure lists the header, every IFD read and SubIFDs offset
	// arrays: what an in-place store must not overwrite.
	structure []asset.Range
}

// overlaps reports whether r meets any structure range other than the
// one starting at skip.
func (f *file) overlaps(r asset.Range, skip int64) bool {
	for _, s := range f.structure {
		if s.Start != skip && s.Start < r.End() && r.Start < s.End() {
			return true
		}
	}
	return false
}

// byteOrder reads and appends in the file's byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// ifd is one image file directory.
type ifd struct {
	off     int64
	entries []entry
	nextAt  int64 // offset of the next-IFD pointer
	next    uint64
}

// entry is one IFD entry with its raw value field (4 or 8 bytes).
type entry struct {
	tag, typ uint16
	count    uint64
	value    []byte
	at       int64 // offset of the entry
}

// width picks the size of a field in classic TIFF or in BigTIFF.
func (f *file) width(classic, big int64) int64 {
	if f.big {
		return big
	}
	return classic
}

// ptrSize is the size of offsets and entry counts (and of an entry's value field).
func (f *file) ptrSize() int64 { return f.width(4, 8) }

// entrySize is the size of one IFD entry.
func (f *file) entrySize() int64 { return f.width(12, 20) }

// countSize is the size of an IFD's entry count.
func (f *file) countSize() int64 { return f.width(2, 8) }

// headerPtr is the offset of the first-IFD pointer in the header.
func (f *file) headerPtr() int64 { return f.width(4, 8) }

// offsetOf decodes an entry's value field as an offset.
func (f *file) offsetOf(e entry) uint64 {
	if f.big {
		return f.order.Uint64(e.value)
	}
	return uint64(f.order.Uint32(e.value))
}

// putPtr encodes an offset as the file's pointers are.
func (f *file) putPtr(v uint64) []byte {
	if f.big {
		return f.order.AppendUint64(nil, v)
	}
	return f.order.AppendUint32(nil, uint32(v))
}

// end returns the offset just past d's next-IFD pointer.
func (d *ifd) end(f *file) int64 { return d.nextAt + f.ptrSize() }

// find returns the last entry with the tag (c2pa-rs keeps the last of
// duplicates).
func (d *ifd) find(tag uint16) (entry, bool) {
	for i := len(d.entries) - 1; i >= 0; i-- {
		if d.entries[i].tag == tag {
			return d.entries[i], true
		}
	}
	return entry{}, false
}

// parse reads the header and maps every IFD.
func parse(r io.ReaderAt, size int64) (*file, error) {
	hdr, err := asset.ReadAt(r, size, Format, 0, 8)
	if err != nil {
		return nil, asset.Malformed(Format, 0, "missing TIFF header")
	}
	f := &file{r: r, size: size, structure: []asset.Range{{Start: 0, Length: 8}}}
	switch string(hdr[:2]) {
	case "II":
		f.order = binary.LittleEndian
	case "MM":
		f.order = binary.BigEndian
	default:
		return nil, asset.Malformed(Format, 0, "byte order %q is neither II nor MM", hdr[:2])
	}
	var first uint64
	switch f.order.Uint16(hdr[2:]) {
	case 42:
		first = uint64(f.order.Uint32(hdr[4:]))
	case 43:
		f.big = true
		if f.order.Uint16(hdr[4:]) != 8 || f.order.Uint16(hdr[6:]) != 0 {
			return nil, asset.Malformed(Format, 4, "BigTIFF offset size is not 8")
		}
		b, err := asset.ReadAt(r, size, Format, 8, 8)
		if err != nil {
			return nil, err
		}
		first = f.order.Uint64(b)
		f.structure[0].Length = 16
	default:
		return nil, asset.Malformed(Format, 2, "magic %d is neither TIFF (42) nor BigTIFF (43)", f.order.Uint16(hdr[2:]))
	}
	return f, f.mapPages(first)
}

// mapPages follows the page chain from first, as c2pa-rs's map_tiff does.
func (f *file) mapPages(first uint64) error {
	visited := map[uint64]bool{first: true}
	d, err := f.readIFD(first)
	if err != nil {
		return err
	}
	for {
		f.pages = append(f.pages, d)
		if len(f.pages) > maxPages {
			return asset.Malformed(Format, d.off, "TIFF file has too many pages")
		}
		if err := f.mapSubIFDs(d); err != nil {
			return err
		}
		for _, tag := range []uint16{tagExif, tagGPS} {
			if e, ok := d.find(tag); ok {
				if _, err := f.readIFD(f.offsetOf(e)); err != nil {
					return err
				}
			}
		}
		if d.next == 0 {
			return nil
		}
		if visited[d.next] {
			return asset.Malformed(Format, d.nextAt, "Cyclic IFD chain detected")
		}
		visited[d.next] = true
		if d, err = f.readIFD(d.next); err != nil {
			return err
		}
	}
}

// mapSubIFDs reads the IFDs a SubIFDs entry lists (32-bit offsets, as
// c2pa-rs reads them in BigTIFF too).
func (f *file) mapSubIFDs(d *ifd) error {
	e, ok := d.find(tagSubIFDs)
	if !ok {
		return nil
	}
	if e.count > uint64(f.size)/4 {
		return asset.Malformed(Format, e.at, "IFD entry data size exceeds file size")
	}
	n := int64(e.count) * 4
	raw := e.value
	if n > f.ptrSize() {
		var err error
		if raw, err = asset.ReadAt(f.r, f.size, Format, int64(f.offsetOf(e)), n); err != nil {
			return err
		}
		f.structure = append(f.structure, asset.Range{Start: int64(f.offsetOf(e)), Length: n})
	}
	raw = raw[:n/4*4]
	if e.count > maxSubfiles {
		return asset.Malformed(Format, e.at, "TIFF file has too many subfiles")
	}
	for i := 0; i+4 <= len(raw); i += 4 {
		if _, err := f.readIFD(uint64(f.order.Uint32(raw[i:]))); err != nil {
			return err
		}
	}
	return nil
}

// readIFD reads the IFD at off, which must lie whole inside the file.
func (f *file) readIFD(off uint64) (*ifd, error) {
	f.read++
	if f.read > maxIFDs {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "more than %d IFDs", maxIFDs)
	}
	if off > uint64(f.size) {
		return nil, asset.Malformed(Format, 0, "IFD offset %d past the end of the %d-byte file", off, f.size)
	}
	at := int64(off)
	cb, err := asset.ReadAt(f.r, f.size, Format, at, f.countSize())
	if err != nil {
		return nil, err
	}
	var n uint64
	if f.big {
		n = f.order.Uint64(cb)
	} else {
		n = uint64(f.order.Uint16(cb))
	}
	es, ps := f.entrySize(), f.ptrSize()
	if n > maxEntries || int64(n) > (f.size-at)/es {
		return nil, asset.Malformed(Format, at, "IFD of %d entries runs past the end", n)
	}
	body, err := asset.ReadAt(f.r, f.size, Format, at+f.countSize(), int64(n)*es+ps)
	if err != nil {
		return nil, err
	}
	d := &ifd{off: at, entries: make([]entry, n), nextAt: at + f.countSize() + int64(n)*es}
	f.structure = append(f.structure, asset.Range{Start: at, Length: d.end(f) - at})
	for i := range d.entries {
		b := body[int64(i)*es:]
		e := entry{tag: f.order.Uint16(b), typ: f.order.Uint16(b[2:]), at: at + f.countSize() + int64(i)*es}
		if f.big {
			e.count, e.value = f.order.Uint64(b[4:]), b[12:20]
		} else {
			e.count, e.value = uint64(f.order.Uint32(b[4:])), b[8:12]
		}
		d.entries[i] = e
	}
	if f.big {
		d.next = f.order.Uint64(body[int64(n)*es:])
	} else {
		d.next = uint64(f.order.Uint32(body[int64(n)*es:]))
	}
	return d, nil
}

// storeEntry returns the C2PA entry c2pa-rs reads: the last page's, else
// the first page's, with the index of the page holding it.
func (f *file) storeEntry() (entry, int, bool) {
	last := len(f.pages) - 1
	if e, ok := f.pages[last].find(Tag); ok {
		return e, last, true
	}
	if e, ok := f.pages[0].find(Tag); ok {
		return e, 0, true
	}
	return entry{}, -1, false
}

// storeRange checks the C2PA entry and returns where its value is.
func (f *file) storeRange(e entry) (asset.Range, error) {
	if e.typ != typeUndefined {
		return asset.Range{}, asset.Malformed(Format, e.at, "Ifd entry for C2PA must be type UNDEFINED(7)")
	}
	if e.count > asset.MaxStoreSize {
		return asset.Range{}, asset.NewError(asset.ErrTooLarge, Format, e.at, "manifest store of %d bytes", e.count)
	}
	off := f.offsetOf(e)
	if off > uint64(f.size) || e.count > uint64(f.size)-off {
		return asset.Range{}, asset.Malformed(Format, e.at, "TIFF/DNG out of range")
	}
	return asset.Range{Start: int64(off), Length: int64(e.count)}, nil
}

// ReadStore returns the value of the C2PA tag of the last page, or of the
// first page when the last has none (c2pa-rs's order).
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	loc, err := Handler{}.Locate(r, size)
	if err != nil {
		return nil, err
	}
	return asset.ReadAt(r, size, Format, loc.Start, loc.Length)
}

// Locate returns the range of the store (the value of the C2PA tag).
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	f, err := parse(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	e, _, ok := f.storeEntry()
	if !ok {
		return asset.Range{}, asset.ErrNoStore
	}
	return f.storeRange(e)
}

// RemoteURL returns dcterms:provenance from the XMP tag (type BYTE, as
// c2pa-rs requires) of the first page.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	f, err := parse(r, size)
	if err != nil {
		return "", err
	}
	e, ok := f.pages[0].find(tagXMP)
	if !ok || e.typ != typeByte || e.count > asset.MaxStoreSize {
		return "", nil
	}
	off := f.offsetOf(e)
	if off > uint64(size) || e.count > uint64(size)-off {
		return "", nil
	}
	xmp, err := asset.ReadAt(r, size, Format, int64(off), int64(e.count))
	if err != nil {
		return "", err
	}
	return asset.RemoteURLFromXMP(xmp), nil
}

// BoxMap is not supported: c2pa-rs has no box hash for TIFF.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "TIFF has no box map")
}

func wrap(store []byte) ([]byte, error) { return store, nil }

// Plan places the store as c2pa-rs does. A store of the length already
// embedded replaces it in place. Otherwise an old store is dropped (a last
// IFD holding only the tag is unlinked, any other IFD holding it is
// replaced by a clone without it; when that IFD and its store end the file
// they are cut off), then a single-page file gets a clone of IFD0 with the
// tag appended and a multi-page file a last IFD with only the tag; padding
// aligns the new IFD to 4 bytes and the store follows it. The exclusions
// are the store and the count field of its entry.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	f, err := parse(r, size)
	if err != nil {
		return nil, err
	}
	ps := f.ptrSize()
	if storeLen > 0 && int64(storeLen) <= ps {
		return nil, asset.NewError(asset.ErrStoreSize, Format, 0, "a store of %d bytes would fit the entry itself", storeLen)
	}
	if !f.big && storeLen > math.MaxUint32 {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "store of %d bytes", storeLen)
	}
	e, hi, found := f.storeEntry()
	var old asset.Range
	if found {
		if old, err = f.storeRange(e); err != nil {
			return nil, err
		}
		if storeLen > 0 && int64(storeLen) == old.Length && !f.overlaps(old, -1) {
			p, err := asset.Build(Format, size, storeLen, int64(storeLen), wrap, []asset.Edit{{At: old, Store: true}})
			if err != nil {
				return nil, err
			}
			p.Exclusions = append(p.Exclusions, asset.Range{Start: e.at + 4, Length: ps})
			return p, nil
		}
	}

	// The old store is dropped by unlinking or replacing its IFD; the new
	// IFD is linked by one pointer patch (patchAt, 0 when none).
	pages := f.pages
	dropped := false
	// replace is the page to replace by a clone without the old tag, linked
	// by the pointer at replaceAt in the structure starting at replaceOwner.
	var replace *ifd
	replaceAt, replaceOwner := f.headerPtr(), int64(0)
	tail := size
	if found {
		holder := pages[hi]
		if old.Start == holder.end(f) && old.End() == size && !f.overlaps(asset.Range{Start: holder.off, Length: size - holder.off}, holder.off) {
			tail = holder.off
		}
		if hi == len(pages)-1 && hi > 0 && len(holder.entries) == 1 {
			pages, dropped = pages[:hi], true
		} else {
			replace = holder
			if hi > 0 {
				replaceAt, replaceOwner = pages[hi-1].nextAt, pages[hi-1].off
			}
		}
	}
	if replace == nil && len(pages) == 1 && storeLen > 0 {
		replace = pages[0]
	}
	last := pages[len(pages)-1]
	var patchAt, patchOwner int64
	switch {
	case replace != nil:
		patchAt, patchOwner = replaceAt, replaceOwner
	case storeLen > 0 || dropped:
		patchAt, patchOwner = last.nextAt, last.off
	}
	if patchAt > 0 && patchAt+ps > tail {
		tail = size // the pointer lies in what would be cut: cut nothing
	}
	if patchAt > 0 && f.overlaps(asset.Range{Start: patchAt, Length: ps}, patchOwner) {
		// Overlapping IFDs: patching the pointer would rewrite another
		// IFD's fields, and the output would not map as planned.
		return nil, asset.Malformed(Format, patchAt, "IFD pointer at %d overlaps another IFD", patchAt)
	}

	pad := (4 - tail%4) % 4
	ifdOff := tail + pad
	var block []byte // the new IFD
	var countAt int64
	patchVal := uint64(ifdOff)
	switch {
	case replace != nil:
		var entries []entry
		for _, x := range replace.entries {
			if x.tag != Tag {
				entries = append(entries, x)
			}
		}
		slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.tag, b.tag) })
		entries = dedupeLast(entries)
		if storeLen > 0 {
			i, _ := slices.BinarySearchFunc(entries, uint16(Tag), func(a entry, t uint16) int { return cmp.Compare(a.tag, t) })
			entries = slices.Insert(entries, i, entry{tag: Tag, typ: typeUndefined, count: uint64(storeLen)})
			countAt = ifdOff + f.countSize() + int64(i)*f.entrySize() + 4
		}
		if !f.big && len(entries) > math.MaxUint16 {
			return nil, asset.NewError(asset.ErrTooLarge, Format, replace.off, "IFD of %d entries", len(entries))
		}
		next := replace.next
		if dropped && replace == last {
			next = 0
		}
		block = f.encodeIFD(entries, ifdOff, next)
	case storeLen > 0:
		block = f.encodeIFD([]entry{{tag: Tag, typ: typeUndefined, count: uint64(storeLen)}}, ifdOff, 0)
		countAt = ifdOff + f.countSize() + 4
	default:
		patchVal = 0 // removal of a last IFD holding only the tag: unlink it
	}
	end := ifdOff + int64(len(block)) + int64(storeLen)
	if !f.big && end > math.MaxUint32 {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "output of %d bytes is too large for classic TIFF", end)
	}
	var edits []asset.Edit
	if patchAt > 0 {
		edits = append(edits, asset.Edit{At: asset.Range{Start: patchAt, Length: ps}, Literal: f.putPtr(patchVal)})
	}
	var lit []byte
	if len(block) > 0 {
		lit = append(make([]byte, pad), block...)
	}
	edits = append(edits, asset.Edit{At: asset.Range{Start: tail, Length: size - tail}, Literal: lit})
	if storeLen > 0 {
		edits = append(edits, asset.Edit{At: asset.Range{Start: size}, Store: true})
	}
	p, err := asset.Build(Format, size, storeLen, int64(storeLen), wrap, edits)
	if err != nil {
		return nil, err
	}
	if storeLen > 0 {
		p.Exclusions = append(p.Exclusions, asset.Range{Start: countAt, Length: ps})
	}
	return p, nil
}

// dedupeLast keeps the last of entries with the same tag (sorted input).
func dedupeLast(entries []entry) []entry {
	out := entries[:0]
	for _, e := range entries {
		if n := len(out); n > 0 && out[n-1].tag == e.tag {
			out[n-1] = e
			continue
		}
		out = append(out, e)
	}
	return out
}

// encodeIFD writes an IFD placed at off; a C2PA entry without a value
// points just past the IFD, where the store goes.
func (f *file) encodeIFD(entries []entry, off int64, next uint64) []byte {
	var b []byte
	if f.big {
		b = f.order.AppendUint64(b, uint64(len(entries)))
	} else {
		b = f.order.AppendUint16(b, uint16(len(entries)))
	}
	storeAt := off + f.countSize() + int64(len(entries))*f.entrySize() + f.ptrSize()
	for _, e := range entries {
		b = f.order.AppendUint16(b, e.tag)
		b = f.order.AppendUint16(b, e.typ)
		if f.big {
			b = f.order.AppendUint64(b, e.count)
		} else {
			b = f.order.AppendUint32(b, uint32(e.count))
		}
		if e.value == nil {
			b = append(b, f.putPtr(uint64(storeAt))...)
		} else {
			b = append(b, e.value...)
		}
	}
	return append(b, f.putPtr(next)...)
}

// tagDNGVersion marks a DNG's IFD0.
const tagDNGVersion = 0xC612

// ReadMediaType returns image/x-adobe-dng for a TIFF whose first IFD has
// a DNGVersion tag, else image/tiff ("" when the file does not parse).
func (Handler) ReadMediaType(r io.ReaderAt, size int64) string {
	f, err := parse(r, size)
	if err != nil {
		return ""
	}
	if _, ok := f.pages[0].find(tagDNGVersion); ok {
		return "image/x-adobe-dng"
	}
	return "image/tiff"
}
