package riff

import (
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "riff"

// ChunkID is the chunk that carries the manifest store.
const ChunkID = "C2PA"

// maxChunks bounds the chunks a walk visits.
const maxChunks = 1 << 20

// Handler implements asset.Handler for RIFF (WebP, WAV, AVI).
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "riff".
func (Handler) Format() string { return Format }

// MediaTypes returns the media types c2pa-rs serves with its RIFF handler.
func (Handler) MediaTypes() []string {
	return []string{
		"image/webp",
		"audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave",
		"video/avi", "video/msvideo", "video/x-msvideo", "application/x-troff-msvideo",
	}
}

// Sniff reports whether head is a RIFF file of form WEBP, WAVE or AVI.
func (Handler) Sniff(head []byte) bool {
	if len(head) < 12 || string(head[:4]) != "RIFF" {
		return false
	}
	switch string(head[8:12]) {
	case "WEBP", "WAVE", "AVI ":
		return true
	}
	return false
}

// SniffMediaType names the media type of a RIFF file by its form type:
// image/webp, audio/wav or video/x-msvideo ("" for other forms).
func (Handler) SniffMediaType(head []byte) string {
	if len(head) < 12 || string(head[:4]) != "RIFF" {
		return ""
	}
	switch string(head[8:12]) {
	case "WEBP":
		return "image/webp"
	case "WAVE":
		return "audio/wav"
	case "AVI ":
		return "video/x-msvideo"
	}
	return ""
}

// chunk is a child of the top-level RIFF chunk.
type chunk struct {
	id     string
	start  int64 // offset of the chunk id
	length int64 // data length, without the pad byte
	end    int64 // offset after the data and the pad byte (if the file has it)
	list   string
}

// layout is the first RIFF chunk of a file.
type layout struct {
	start    int64 // offset of the RIFF chunk
	form     string
	declared int64 // size field of the RIFF chunk
	children []chunk
	end      int64 // offset after the last child
}

// parse reads the top-level RIFF chunk and the headers of its children, up
// to the declared size, which must fit the file.
func parse(r io.ReaderAt, size int64) (*layout, error) { return parseAt(r, size, 0) }

// parseAt reads the RIFF chunk at off (AVI files continue with more).
func parseAt(r io.ReaderAt, size, off int64) (*layout, error) {
	hdr, err := asset.ReadAt(r, size, Format, off, 12)
	if err != nil || string(hdr[:4]) != "RIFF" {
		return nil, asset.Malformed(Format, off, "missing RIFF header")
	}
	l := &layout{start: off, form: string(hdr[8:12]), declared: int64(binary.LittleEndian.Uint32(hdr[4:]))}
	if off+8+l.declared > size {
		// c2pa-rs fails such files too ("Invalid RIFF format").
		return nil, asset.Malformed(Format, off+4, "RIFF size %d runs past the end of the %d-byte file", l.declared, size)
	}
	limit := off + 8 + l.declared
	pos := off + 12
	for pos+8 <= limit {
		if len(l.children) >= maxChunks {
			return nil, asset.NewError(asset.ErrTooLarge, Format, pos, "more than %d chunks", maxChunks)
		}
		h, err := asset.ReadAt(r, size, Format, pos, 8)
		if err != nil {
			return nil, err
		}
		c := chunk{id: string(h[:4]), start: pos, length: int64(binary.LittleEndian.Uint32(h[4:]))}
		dataEnd := pos + 8 + c.length
		if dataEnd > size {
			return nil, asset.Malformed(Format, pos, "%q chunk of %d bytes runs past the end", c.id, c.length)
		}
		c.end = min(dataEnd+c.length&1, size)
		if c.id == "LIST" && c.length >= 4 {
			t, err := asset.ReadAt(r, size, Format, pos+8, 4)
			if err != nil {
				return nil, err
			}
			c.list = string(t)
		}
		l.children = append(l.children, c)
		pos = c.end
	}
	l.end = pos
	return l, nil
}

// ReadStore returns the data of the first C2PA chunk of the RIFF chunk.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	l, err := parse(r, size)
	if err != nil {
		return nil, err
	}
	for _, c := range l.children {
		if c.id != ChunkID {
			continue
		}
		if c.length > asset.MaxStoreSize {
			return nil, asset.NewError(asset.ErrTooLarge, Format, c.start, "manifest store of %d bytes", c.length)
		}
		return asset.ReadAt(r, size, Format, c.start+8, c.length)
	}
	return nil, asset.ErrNoStore
}

// RemoteURL returns dcterms:provenance from the first top-level "XMP "
// chunk when it points outside the asset.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	l, err := parse(r, size)
	if err != nil {
		return "", err
	}
	for _, c := range l.children {
		if c.id != "XMP " || c.length > asset.MaxStoreSize {
			continue
		}
		xmp, err := asset.ReadAt(r, size, Format, c.start+8, c.length)
		if err != nil {
			return "", err
		}
		return asset.RemoteURLFromXMP(xmp), nil
	}
	return "", nil
}

// CarrierSize returns the size of the C2PA chunk header and data for a store
// of storeLen bytes; an odd length is followed by one pad byte outside it.
func CarrierSize(storeLen int) int64 {
	if storeLen == 0 {
		return 0
	}
	return 8 + int64(storeLen)
}

func wrap(store []byte) ([]byte, error) {
	out := make([]byte, 0, CarrierSize(len(store)))
	out = append(out, ChunkID...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(store)))
	return append(out, store...), nil
}

// Plan removes every C2PA child and, when storeLen > 0, appends the new
// chunk (and its pad byte) as the last child of the RIFF chunk, patching the
// RIFF size. Bytes after the RIFF chunk (AVI's AVIX chunks) are kept.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	l, err := parse(r, size)
	if err != nil {
		return nil, err
	}
	var edits []asset.Edit
	newLen := l.end - l.start - 8
	for _, c := range l.children {
		if c.id == ChunkID {
			edits = append(edits, asset.Edit{At: asset.Range{Start: c.start, Length: c.end - c.start}})
			newLen -= c.end - c.start
		}
	}
	// The file may end without the last child's pad byte: restore it —
	// for the last child that stays (a C2PA chunk there is removed).
	kept := l.children
	for len(kept) > 0 && kept[len(kept)-1].id == ChunkID {
		kept = kept[:len(kept)-1]
	}
	if n := len(kept); n > 0 && kept[n-1].length&1 == 1 && kept[n-1].end == kept[n-1].start+8+kept[n-1].length {
		edits = append(edits, asset.Edit{At: asset.Range{Start: kept[n-1].end}, Literal: []byte{0}})
		newLen++
	}
	if storeLen > 0 {
		var pad []byte
		if storeLen&1 == 1 {
			pad = []byte{0}
		}
		edits = append(edits, asset.Edit{At: asset.Range{Start: l.end}, Store: true, Literal: pad})
		newLen += CarrierSize(storeLen) + int64(len(pad))
	}
	if newLen > 0xFFFFFFFF {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 4, "RIFF chunk of %d bytes", newLen)
	}
	edits = append(edits, asset.Edit{At: asset.Range{Start: 4, Length: 4}, Literal: binary.LittleEndian.AppendUint32(nil, uint32(newLen))})
	return asset.Build(Format, size, storeLen, CarrierSize(storeLen), wrap, edits)
}

// BoxMap follows C2PA §18.7.3.5: each top-level RIFF chunk is a 12-byte box
// named by its form type ("WEBP", "WAVE", "AVI ", "AVIX"), each of its
// children a box named by its chunk id (LIST chunks by their list type)
// running through the pad byte; the C2PA chunk is "C2PA". (c2pa-rs has no
// RIFF box hash to compare with.) Bytes after the last RIFF chunk that do
// not start another are left out.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	var spans []asset.BoxSpan
	for off := int64(0); off == 0 || off+12 <= size; {
		if off > 0 {
			if h, err := asset.ReadAt(r, size, Format, off, 4); err != nil || string(h) != "RIFF" {
				break
			}
		}
		l, err := parseAt(r, size, off)
		if err != nil {
			return nil, err
		}
		spans = append(spans, asset.BoxSpan{Name: l.form, Range: asset.Range{Start: off, Length: 12}})
		for _, c := range l.children {
			name := c.id
			switch {
			case c.id == ChunkID:
				name = asset.StoreBoxName
			case c.list != "":
				name = c.list
			}
			spans = append(spans, asset.BoxSpan{Name: name, Range: asset.Range{Start: c.start, Length: c.end - c.start}})
		}
		off += 8 + l.declared + l.declared&1
	}
	return spans, nil
}

// Locate returns the range of the first C2PA chunk's header and data (its
// pad byte is outside, as in c2pa-rs).
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	l, err := parse(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	for _, c := range l.children {
		if c.id == ChunkID {
			return asset.Range{Start: c.start, Length: 8 + c.length}, nil
		}
	}
	return asset.Range{}, asset.ErrNoStore
}
