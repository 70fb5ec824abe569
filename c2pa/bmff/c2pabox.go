package bmff

import (
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
)

// Purposes of a C2PA uuid box (C2PA-NOTES §4.3).
const (
	PurposeManifest = "manifest"
	PurposeOriginal = "original"
	PurposeUpdate   = "update"
	PurposeMerkle   = "merkle"
)

// C2PABox is a top-level C2PA uuid box.
type C2PABox struct {
	Index   int    // in Tree.Boxes
	Purpose string // manifest, original, update, merkle, ...
	// MerkleOffset is the offset field of manifest/original/update boxes:
	// where the first merkle box is (0: none).
	MerkleOffset uint64
	// Data is the payload after the purpose (and offset field): the store,
	// or the merkle map's CBOR.
	Data asset.Range
}

// C2PABoxes returns the top-level C2PA uuid boxes in file order.
func (t *Tree) C2PABoxes(r io.ReaderAt) ([]C2PABox, error) {
	var out []C2PABox
	for _, i := range t.Top {
		b := &t.Boxes[i]
		if b.Type != "uuid" || len(b.UserType) != 16 || [16]byte(b.UserType) != C2PAUUID {
			continue
		}
		c, err := t.c2paBox(r, i)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// maxPurpose bounds the purpose string.
const maxPurpose = 256

func (t *Tree) c2paBox(r io.ReaderAt, i int) (C2PABox, error) {
	b := &t.Boxes[i]
	pos := b.Offset + 8 + 16 + 4
	left := b.Size - 8 - 16 - 4
	if left < 0 {
		return C2PABox{}, asset.Malformed(Format, b.Offset, "UUID box too small for FullBox header")
	}
	head, err := asset.ReadAt(r, t.Size, Format, pos, min(left, maxPurpose))
	if err != nil {
		return C2PABox{}, err
	}
	n := -1
	for k, c := range head {
		if c == 0 {
			n = k
			break
		}
	}
	if n < 0 {
		return C2PABox{}, asset.Malformed(Format, pos, "UUID box purpose field missing null terminator")
	}
	c := C2PABox{Index: i, Purpose: string(head[:n])}
	pos += int64(n) + 1
	left -= int64(n) + 1
	switch c.Purpose {
	case PurposeManifest, PurposeOriginal, PurposeUpdate:
		if left < 8 {
			return C2PABox{}, asset.Malformed(Format, pos, "UUID box too small for merkle offset field")
		}
		o, err := asset.ReadAt(r, t.Size, Format, pos, 8)
		if err != nil {
			return C2PABox{}, err
		}
		c.MerkleOffset = binary.BigEndian.Uint64(o)
		pos += 8
		left -= 8
	}
	c.Data = asset.Range{Start: pos, Length: left}
	return c, nil
}

// stores finds the manifest (or original) and update boxes; more than one of
// either is ErrTooManyStores.
func stores(cs []C2PABox) (manifest, update *C2PABox, err error) {
	for k := range cs {
		c := &cs[k]
		switch c.Purpose {
		case PurposeManifest, PurposeOriginal:
			if manifest != nil {
				return nil, nil, asset.ErrTooManyStores
			}
			manifest = c
		case PurposeUpdate:
			if update != nil {
				return nil, nil, asset.ErrTooManyStores
			}
			update = c
		}
	}
	return manifest, update, nil
}
