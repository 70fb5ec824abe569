package bmff

import (
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/jumbf"
)

// Handler implements asset.Handler for ISO BMFF files.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "bmff".
func (Handler) Format() string { return Format }

// MediaTypes returns the media types c2pa-rs serves with its BMFF handler.
func (Handler) MediaTypes() []string {
	return []string{
		"video/mp4", "video/quicktime", "audio/mp4", "application/mp4", "video/x-m4v",
		"image/heic", "image/heif", "image/avif",
	}
}

// Sniff reports whether head starts with an ftyp box.
func (Handler) Sniff(head []byte) bool {
	return len(head) >= 12 && string(head[4:8]) == "ftyp"
}

// SniffMediaType names the media type by the major brand of ftyp.
func (Handler) SniffMediaType(head []byte) string {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return ""
	}
	switch string(head[8:12]) {
	case "heic", "heix", "heim", "heis", "hevc", "hevx":
		return "image/heic"
	case "mif1", "msf1", "heif":
		return "image/heif"
	case "avif", "avis":
		return "image/avif"
	case "qt  ":
		return "video/quicktime"
	case "M4A ", "M4B ", "M4P ":
		return "audio/mp4"
	case "M4V ", "M4VH", "M4VP":
		return "video/x-m4v"
	}
	return "video/mp4"
}

// open checks the ftyp signature at offset 4 (as c2pa-rs's reader does) and
// walks the boxes.
func open(r io.ReaderAt, size int64) (*Tree, error) {
	sig, err := asset.ReadAt(r, size, Format, 4, 4)
	if err != nil || string(sig) != "ftyp" {
		return nil, asset.Malformed(Format, 4, `invalid BMFF structure: expected box type "ftyp" at offset 4`)
	}
	return Parse(r, size)
}

// layout walks the file and finds its manifest (or original) and update
// C2PA boxes (nil when absent).
func layout(r io.ReaderAt, size int64) (t *Tree, manifest, update *C2PABox, err error) {
	if t, err = open(r, size); err != nil {
		return nil, nil, nil, err
	}
	cs, err := t.C2PABoxes(r)
	if err != nil {
		return nil, nil, nil, err
	}
	manifest, update, err = stores(cs)
	return t, manifest, update, err
}

// ReadStore returns the store of the top-level C2PA uuid box with purpose
// manifest, or the original store with the update store's manifests
// appended.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	t, m, u, err := layout(r, size)
	if err != nil {
		return nil, err
	}
	switch {
	case m == nil && u == nil:
		return nil, asset.ErrNoStore
	case (m != nil && m.Purpose == PurposeOriginal) != (u != nil):
		c := m
		if c == nil {
			c = u
		}
		return nil, asset.Malformed(Format, t.Boxes[c.Index].Offset, "%s manifest store without its pair", c.Purpose)
	}
	store, err := readData(r, size, m)
	if err != nil || u == nil {
		return store, err
	}
	update, err := readData(r, size, u)
	if err != nil {
		return nil, err
	}
	return mergeStores(store, update, t.Boxes[u.Index].Offset)
}

func readData(r io.ReaderAt, size int64, c *C2PABox) ([]byte, error) {
	if c.Data.Length > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, c.Data.Start, "manifest store of %d bytes", c.Data.Length)
	}
	return asset.ReadAt(r, size, Format, c.Data.Start, c.Data.Length)
}

// mergeStores combines the original store and the update store into one
// store with the update manifests last, as c2pa-rs reads such files.
func mergeStores(original, update []byte, off int64) ([]byte, error) {
	ob, err := jumbf.ParseSuperBox(original, jumbf.DefaultLimits)
	if err != nil {
		return nil, asset.Malformed(Format, off, "original manifest store: %v", err)
	}
	ub, err := jumbf.ParseSuperBox(update, jumbf.DefaultLimits)
	if err != nil {
		return nil, asset.Malformed(Format, off, "update manifest store: %v", err)
	}
	if len(original)+len(update) > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, off, "manifest stores of %d bytes", len(original)+len(update))
	}
	ob.Children = append(ob.Children, ub.Manifests()...)
	return ob.Bytes(), nil
}

// RemoteURL returns dcterms:provenance from the last top-level XMP uuid box
// when it points outside the asset.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	t, err := open(r, size)
	if err != nil {
		return "", err
	}
	url := ""
	for _, i := range t.Top {
		b := &t.Boxes[i]
		if b.Type != "uuid" || len(b.UserType) != 16 || [16]byte(b.UserType) != XMPUUID {
			continue
		}
		n := b.Size - b.HeaderLen - 16
		if n < 0 || n > asset.MaxStoreSize {
			continue
		}
		xmp, err := asset.ReadAt(r, size, Format, b.Offset+b.HeaderLen+16, n)
		if err != nil {
			return "", err
		}
		url = asset.RemoteURLFromXMP(xmp)
	}
	return url, nil
}

// Locate returns the range of the manifest uuid box.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	t, m, _, err := layout(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	if m == nil {
		return asset.Range{}, asset.ErrNoStore
	}
	b := &t.Boxes[m.Index]
	return asset.Range{Start: b.Offset, Length: b.Size}, nil
}

// BoxMap lists the top-level boxes by type, the C2PA uuid boxes as "C2PA".
// (BMFF assets are bound by c2pa.hash.bmff, not by box hashes.)
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	t, err := open(r, size)
	if err != nil {
		return nil, err
	}
	var spans []asset.BoxSpan
	for _, i := range t.Top {
		b := &t.Boxes[i]
		name := b.Type
		if b.Type == "uuid" && len(b.UserType) == 16 && [16]byte(b.UserType) == C2PAUUID {
			name = asset.StoreBoxName
		}
		spans = append(spans, asset.BoxSpan{Name: name, Range: asset.Range{Start: b.Offset, Length: b.Size}})
	}
	return spans, nil
}

// CarrierSize returns the size of the C2PA uuid box (purpose manifest) for
// a store of storeLen bytes.
func CarrierSize(storeLen int) int64 {
	if storeLen == 0 {
		return 0
	}
	return 8 + 16 + 4 + int64(len(PurposeManifest)) + 1 + 8 + int64(storeLen)
}

// Wrap frames a store as a C2PA uuid box with purpose manifest and no
// merkle boxes.
func Wrap(store []byte) ([]byte, error) {
	n := CarrierSize(len(store))
	if n > 0xFFFFFFFF {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "C2PA box of %d bytes", n)
	}
	out := make([]byte, 0, n)
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	out = append(out, "uuid"...)
	out = append(out, C2PAUUID[:]...)
	out = append(out, 0, 0, 0, 0)
	out = append(out, PurposeManifest...)
	out = append(out, 0)
	out = binary.BigEndian.AppendUint64(out, 0)
	return append(out, store...), nil
}

// Plan replaces the manifest (or original) C2PA box in place, or inserts
// the new box right after ftyp; any update box and what follows it is cut,
// as c2pa-rs does. When the change shifts the bytes after it, the absolute
// offsets c2pa-rs adjusts are patched: stco, co64 and saio chunk offsets in
// moov, iloc offsets of the top-level meta, tfhd base data offsets and
// tfra moof offsets.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	t, m, u, err := layout(r, size)
	if err != nil {
		return nil, err
	}
	if (m != nil && m.Purpose == PurposeOriginal) != (u != nil) {
		return nil, asset.Malformed(Format, 0, "original manifest store without update manifest store")
	}
	var at asset.Range
	switch {
	case m != nil:
		b := &t.Boxes[m.Index]
		at = asset.Range{Start: b.Offset, Length: b.Size}
	default:
		ftyp := t.Select("/ftyp")
		if len(ftyp) == 0 {
			return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "no ftyp box")
		}
		if t.Boxes[ftyp[0]].ToEnd {
			// A box inserted after it would end up inside it.
			return nil, asset.Malformed(Format, 0, "ftyp runs to the end of the file")
		}
		at = asset.Range{Start: t.Boxes[ftyp[0]].End()}
	}
	carrier := CarrierSize(storeLen)
	edits := []asset.Edit{{At: at, Store: storeLen > 0}}
	if u != nil {
		b := &t.Boxes[u.Index]
		if b.Offset < at.End() {
			return nil, asset.Malformed(Format, b.Offset, "update box before the manifest box")
		}
		edits = append(edits, asset.Edit{At: asset.Range{Start: b.Offset, Length: size - b.Offset}})
	}
	if adjust := carrier - at.Length; adjust != 0 {
		fix, err := t.offsetFixups(r, adjust)
		if err != nil {
			return nil, err
		}
		for _, f := range fix {
			if f.At.Start < at.End() && f.At.End() > at.Start {
				return nil, asset.Malformed(Format, f.At.Start, "offset table inside the C2PA box")
			}
		}
		edits = append(edits, fix...)
	}
	return asset.Build(Format, size, storeLen, carrier, Wrap, edits)
}
