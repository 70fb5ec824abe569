package sidecar

import (
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "sidecar"

// MediaType is the media type of a manifest store (C2PA-NOTES §5.2).
const MediaType = "application/c2pa"

// Handler implements asset.Handler for .c2pa manifest store files.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "sidecar".
func (Handler) Format() string { return Format }

// MediaTypes returns application/c2pa and its deprecated predecessor.
func (Handler) MediaTypes() []string {
	return []string{MediaType, "application/x-c2pa-manifest-store"}
}

// Sniff reports whether head starts with a jumb superbox whose description
// box has the c2pa manifest store type.
func (Handler) Sniff(head []byte) bool {
	return len(head) >= 20 && string(head[4:8]) == "jumb" && string(head[12:16]) == "jumd" && string(head[16:20]) == "c2pa"
}

// ReadStore returns the file's bytes after checking that they start with
// the manifest store superbox and that its size fits the file.
func (h Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	if size > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "manifest store of %d bytes", size)
	}
	data, err := asset.ReadAt(r, size, Format, 0, size)
	if err != nil {
		return nil, err
	}
	if !h.Sniff(data) {
		return nil, asset.NewError(asset.ErrNoStore, Format, 0, "not a JUMBF c2pa manifest store")
	}
	if lbox := int64(binary.BigEndian.Uint32(data)); lbox < 8 || lbox > size {
		return nil, asset.Malformed(Format, 0, "store box size %d does not fit the %d-byte file", lbox, size)
	}
	return data, nil
}

// RemoteURL returns "": a manifest store does not point elsewhere.
func (Handler) RemoteURL(io.ReaderAt, int64) (string, error) { return "", nil }

// Plan replaces the whole file by the store.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	wrap := func(store []byte) ([]byte, error) { return store, nil }
	edits := []asset.Edit{{At: asset.Range{Length: size}, Store: true}}
	return asset.Build(Format, size, storeLen, int64(storeLen), wrap, edits)
}

// BoxMap returns the whole file as the "C2PA" box.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	return []asset.BoxSpan{{Name: asset.StoreBoxName, Range: asset.Range{Length: size}}}, nil
}

// Locate returns the whole file, which is the store.
func (h Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	if _, err := h.ReadStore(r, size); err != nil {
		return asset.Range{}, err
	}
	return asset.Range{Length: size}, nil
}
