package bmff

import (
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
)

// Paths of the boxes holding absolute file offsets that c2pa-rs adjusts
// when the C2PA box changes size.
const (
	pathStco = "/moov/trak/mdia/minf/stbl/stco"
	pathCo64 = "/moov/trak/mdia/minf/stbl/co64"
	pathSaio = "/moov/trak/mdia/minf/stbl/saio"
	pathIloc = "/meta/iloc"
	pathTfhd = "/moof/traf/tfhd"
	pathTfra = "/mfra/tfra"
)

// maxTable bounds an offset table read into memory.
const maxTable = 64 << 20

// fieldReader reads big-endian fields of one box, never past its end.
type fieldReader struct {
	buf     []byte
	pos     int
	off     int64 // file offset of buf[0]
	err     error
	changed bool // a field was patched
}

func (f *fieldReader) take(n int) []byte {
	if f.err != nil {
		return nil
	}
	if n < 0 || n > len(f.buf)-f.pos {
		f.err = asset.Malformed(Format, f.off+int64(f.pos), "offset table runs past its box")
		return nil
	}
	b := f.buf[f.pos : f.pos+n]
	f.pos += n
	return b
}

// uint reads an n-byte (at most 8) big-endian unsigned field.
func (f *fieldReader) uint(n int) uint64 {
	var v uint64
	for _, c := range f.take(n) {
		v = v<<8 | uint64(c)
	}
	return v
}

// patch shifts the n-byte field just read, of value v, by adjust in place.
func (f *fieldReader) patch(n int, v uint64, adjust int64) {
	if f.err != nil {
		return
	}
	at := f.buf[f.pos-n : f.pos]
	switch n {
	case 4:
		binary.BigEndian.PutUint32(at, uint32(v)+uint32(adjust))
	case 8:
		binary.BigEndian.PutUint64(at, v+uint64(adjust))
	default:
		return
	}
	f.changed = true
}

// offsetFixups returns the edits that shift the absolute offsets of the
// file by adjust bytes: each patched box is rewritten whole (values wrap as
// c2pa-rs's do). Besides c2pa-rs's tables, tfra moof offsets are shifted.
func (t *Tree) offsetFixups(r io.ReaderAt, adjust int64) ([]asset.Edit, error) {
	var edits []asset.Edit
	for i := range t.Boxes {
		b := &t.Boxes[i]
		switch b.Type {
		case "stco", "co64", "saio", "iloc", "tfhd", "tfra":
		default:
			continue
		}
		path := t.Path(i)
		switch path {
		case pathStco, pathCo64, pathSaio, pathIloc, pathTfhd, pathTfra:
		default:
			continue
		}
		if b.Size > maxTable {
			return nil, asset.NewError(asset.ErrTooLarge, Format, b.Offset, "%s box of %d bytes", b.Type, b.Size)
		}
		data, err := asset.ReadAt(r, t.Size, Format, b.Offset, b.Size)
		if err != nil {
			return nil, err
		}
		f := &fieldReader{buf: data, off: b.Offset, pos: int(b.HeaderLen)}
		version := f.uint(1)
		flags := f.uint(3)
		switch path {
		case pathStco, pathCo64:
			w := 4
			if b.Type == "co64" {
				w = 8
			}
			n := f.uint(4)
			for k := uint64(0); k < n && f.err == nil; k++ {
				f.patch(w, f.uint(w), adjust)
			}
		case pathSaio:
			if flags&1 == 1 {
				f.take(8)
			}
			w := 4
			if version != 0 {
				w = 8
			}
			n := f.uint(4)
			for k := uint64(0); k < n && f.err == nil; k++ {
				f.patch(w, f.uint(w), adjust)
			}
		case pathTfhd:
			f.take(4) // track_ID
			if flags&1 == 1 {
				f.patch(8, f.uint(8), adjust)
			}
		case pathIloc:
			ilocFixups(f, int(version), adjust)
		case pathTfra:
			// Deviation: c2pa-rs writes the offset of the last moof of the
			// track into every entry; moof_offset is shifted here instead
			// (mfra is excluded from the BMFF hash either way).
			f.take(4) // track_ID
			sizes := f.uint(4)
			w := 4
			if version == 1 {
				w = 8
			}
			skip := int(sizes>>4&3) + int(sizes>>2&3) + int(sizes&3) + 3
			n := f.uint(4)
			for k := uint64(0); k < n && f.err == nil; k++ {
				f.take(w) // time
				f.patch(w, f.uint(w), adjust)
				f.take(skip)
			}
		}
		if f.err != nil {
			return nil, f.err
		}
		if f.changed {
			edits = append(edits, asset.Edit{At: asset.Range{Start: b.Offset, Length: b.Size}, Literal: f.buf})
		}
	}
	return edits, nil
}

// ilocFixups shifts the file offsets of an iloc box: base offsets of items
// with construction method 0, and extent offsets of such items without a
// base offset.
func ilocFixups(f *fieldReader, version int, adjust int64) {
	if version > 2 {
		f.err = asset.Malformed(Format, f.off, "Bad BMFF unknown iloc format")
		return
	}
	sizes := f.take(2)
	if sizes == nil {
		return
	}
	offSize, baseSize, indexSize := int(sizes[0]>>4), int(sizes[1]>>4), int(sizes[1]&0x0f)
	lenSize := int(sizes[0] & 0x0f)
	if version == 0 {
		indexSize = 0 // reserved in version 0
	}
	for _, s := range []int{offSize, baseSize, lenSize, indexSize} {
		if s != 0 && s != 4 && s != 8 {
			f.err = asset.Malformed(Format, f.off, "Bad BMFF: unknown iloc field size %d", s)
			return
		}
	}
	idWidth := 2
	if version == 2 {
		idWidth = 4
	}
	count := f.uint(idWidth)
	for k := uint64(0); k < count && f.err == nil; k++ {
		f.uint(idWidth)
		method := 0
		if version >= 1 {
			method = int(f.uint(2) & 0x0f)
		}
		f.uint(2) // data_reference_index
		base := f.uint(baseSize)
		if method == 0 {
			f.patch(baseSize, base, adjust)
		}
		extents := f.uint(2)
		for e := uint64(0); e < extents && f.err == nil; e++ {
			if version >= 1 && indexSize > 0 {
				// Deviation: c2pa-rs also reads an extent_index for version 1
				// without one, sized base_offset_size, and so misreads such
				// tables; ISO/IEC 14496-12 is followed here.
				f.take(indexSize)
			}
			off := f.uint(offSize)
			if method == 0 && base == 0 && off != 0 {
				f.patch(offSize, off, adjust)
			}
			f.uint(lenSize)
		}
	}
}
