package png

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "png"

// Signature is the 8-byte PNG file signature.
const Signature = "\x89PNG\r\n\x1a\n"

// ChunkType is the chunk that carries the manifest store.
const ChunkType = "caBX"

// xmpKeyword is the iTXt keyword of an XMP packet.
const xmpKeyword = "XML:com.adobe.xmp"

// maxChunks bounds the chunks a walk visits.
const maxChunks = 1 << 20

// Handler implements asset.Handler for PNG.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "png".
func (Handler) Format() string { return Format }

// MediaTypes returns the PNG media type.
func (Handler) MediaTypes() []string { return []string{"image/png", "image/apng"} }

// Sniff reports whether head starts with the PNG signature.
func (Handler) Sniff(head []byte) bool { return bytes.HasPrefix(head, []byte(Signature)) }

// chunk is one PNG chunk.
type chunk struct {
	typ    string
	start  int64 // offset of the length field
	length int64 // data length
}

// size returns the chunk's length on disk: length, type, data and CRC.
func (c chunk) size() int64 { return 12 + c.length }

func (c chunk) end() int64 { return c.start + c.size() }

// chunks lists the chunks up to and including IEND. A chunk that runs past
// the end of the file, or a file without IEND, is an error, as in c2pa-rs.
func chunks(r io.ReaderAt, size int64) ([]chunk, error) {
	sig, err := asset.ReadAt(r, size, Format, 0, 8)
	if err != nil || string(sig) != Signature {
		return nil, asset.Malformed(Format, 0, "missing PNG signature")
	}
	var out []chunk
	for pos := int64(8); pos < size; {
		if len(out) >= maxChunks {
			return nil, asset.NewError(asset.ErrTooLarge, Format, pos, "more than %d chunks", maxChunks)
		}
		hdr, err := asset.ReadAt(r, size, Format, pos, 8)
		if err != nil {
			return nil, err
		}
		c := chunk{typ: string(hdr[4:8]), start: pos, length: int64(binary.BigEndian.Uint32(hdr))}
		if c.end() > size {
			return nil, asset.Malformed(Format, pos, "%q chunk of %d bytes runs past the end", c.typ, c.length)
		}
		out = append(out, c)
		if c.typ == "IEND" {
			return out, nil
		}
		pos = c.end()
	}
	return nil, asset.Malformed(Format, size, "no IEND chunk")
}

// ReadStore returns the data of the caBX chunk; more than one is ErrTooManyStores.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	cs, err := chunks(r, size)
	if err != nil {
		return nil, err
	}
	var found *chunk
	for i, c := range cs {
		if c.typ != ChunkType {
			continue
		}
		if found != nil {
			return nil, asset.NewError(asset.ErrTooManyStores, Format, c.start, "second %s chunk", ChunkType)
		}
		found = &cs[i]
	}
	if found == nil {
		return nil, asset.ErrNoStore
	}
	if found.length > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, found.start, "manifest store of %d bytes", found.length)
	}
	return asset.ReadAt(r, size, Format, found.start+8, found.length)
}

// RemoteURL returns dcterms:provenance from the first uncompressed XMP iTXt
// chunk when it points outside the asset.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	cs, err := chunks(r, size)
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.typ != "iTXt" || c.length < int64(len(xmpKeyword))+3 || c.length > asset.MaxStoreSize {
			continue
		}
		data, err := asset.ReadAt(r, size, Format, c.start+8, c.length)
		if err != nil {
			return "", err
		}
		if xmp, ok := itxtXMP(data); ok {
			return asset.RemoteURLFromXMP(xmp), nil
		}
	}
	return "", nil
}

// itxtXMP returns the text of an uncompressed iTXt chunk keyed XML:com.adobe.xmp.
func itxtXMP(data []byte) ([]byte, bool) {
	key, rest, ok := bytes.Cut(data, []byte{0})
	if !ok || string(key) != xmpKeyword || len(rest) < 2 || rest[0] != 0 {
		return nil, false
	}
	// Skip the compression flag and method, then the language tag and the
	// translated keyword, both NUL-terminated.
	rest = rest[2:]
	for range 2 {
		if _, rest, ok = bytes.Cut(rest, []byte{0}); !ok {
			return nil, false
		}
	}
	return rest, true
}

// CarrierSize returns the size of the caBX chunk carrying a store of storeLen bytes.
func CarrierSize(storeLen int) int64 {
	if storeLen == 0 {
		return 0
	}
	return 12 + int64(storeLen)
}

func wrap(store []byte) ([]byte, error) {
	out := make([]byte, 0, CarrierSize(len(store)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(store)))
	out = append(out, ChunkType...)
	out = append(out, store...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:])), nil
}

// Plan removes every caBX chunk and, when storeLen > 0, puts the new one
// immediately after IHDR, as c2pa-rs does.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	cs, err := chunks(r, size)
	if err != nil {
		return nil, err
	}
	insert := int64(-1)
	var removed []asset.Range
	for _, c := range cs {
		switch c.typ {
		case "IHDR":
			if insert < 0 {
				insert = c.end()
			}
		case ChunkType:
			removed = append(removed, asset.Range{Start: c.start, Length: c.size()})
		}
	}
	if insert < 0 {
		return nil, asset.Malformed(Format, 8, "no IHDR chunk")
	}
	edits := []asset.Edit{{At: asset.Range{Start: insert}, Store: storeLen > 0}}
	for _, c := range removed {
		edits = append(edits, asset.Edit{At: c})
	}
	return asset.Build(Format, size, storeLen, CarrierSize(storeLen), wrap, edits)
}

// BoxMap lists "PNGh" (the signature) and every chunk by type, the caBX
// chunk as "C2PA"; without one, an excluded zero-length "C2PA" box follows
// IHDR, where c2pa-rs will embed.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	cs, err := chunks(r, size)
	if err != nil {
		return nil, err
	}
	has := false
	for _, c := range cs {
		has = has || c.typ == ChunkType
	}
	spans := []asset.BoxSpan{{Name: "PNGh", Range: asset.Range{Length: 8}}}
	for _, c := range cs {
		name := c.typ
		if name == ChunkType {
			name = asset.StoreBoxName
		}
		spans = append(spans, asset.BoxSpan{Name: name, Range: asset.Range{Start: c.start, Length: c.size()}})
		if !has && c.typ == "IHDR" {
			spans = append(spans, asset.BoxSpan{Name: asset.StoreBoxName, Range: asset.Range{Start: c.end()}, Excluded: true})
		}
	}
	return spans, nil
}

// Locate returns the range of the first caBX chunk: length, type, data and CRC.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	cs, err := chunks(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	for _, c := range cs {
		if c.typ == ChunkType {
			return asset.Range{Start: c.start, Length: c.size()}, nil
		}
	}
	return asset.Range{}, asset.ErrNoStore
}
