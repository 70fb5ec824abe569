package jpeg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "jpeg"

// ChunkSize is the most store bytes one APP11 segment carries (c2pa-rs MAX_JPEG_MARKER_SIZE).
const ChunkSize = 64000

// Instance is the JPEG XT box instance number (En) written in every
// segment, as c2pa-rs does. Plan picks the next free number only when an
// APP11 segment that stays in the file already uses it: readers take any
// later APP11 segment with the store's En for a continuation.
const Instance = 0x0211

// xmpSignature starts the payload of an APP1 segment that holds XMP.
const xmpSignature = "http://ns.adobe.com/xap/1.0/"

// Handler implements asset.Handler for JPEG.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "jpeg".
func (Handler) Format() string { return Format }

// MediaTypes returns the JPEG media types.
func (Handler) MediaTypes() []string { return []string{"image/jpeg", "image/jpg", "image/pjpeg"} }

// Sniff reports whether head starts with SOI followed by a marker.
func (Handler) Sniff(head []byte) bool {
	return len(head) >= 3 && head[0] == 0xFF && head[1] == markerSOI && head[2] == 0xFF
}

// app11 is what the first 28 payload bytes of an APP11 segment tell.
type app11 struct {
	seg   segment
	en    uint16
	z     uint32
	isC2P bool // payload[24:28] is "c2pa": the first segment of a store
}

// readApp11 reads the header fields of an APP11 segment; ok is false for
// segments whose payload is 16 bytes or shorter, which c2pa-rs ignores.
func readApp11(r io.ReaderAt, size int64, seg segment) (a app11, ok bool, err error) {
	c := seg.contents()
	if c.Length <= 16 {
		return a, false, nil
	}
	head, err := asset.ReadAt(r, size, Format, c.Start, min(c.Length, 28))
	if err != nil {
		return a, false, err
	}
	a = app11{seg: seg, en: binary.BigEndian.Uint16(head[2:]), z: binary.BigEndian.Uint32(head[4:])}
	a.isC2P = c.Length > 28 && string(head[24:28]) == "c2pa" // c2pa-rs wants more than 28 bytes
	return a, true, nil
}

// segmentsKey keys the segment list in an operation's asset.Memo.
type segmentsKey struct{ size int64 }

// headerSegments returns the marker segments up to EOI, without SOI and
// without the RSTn markers inside scans: the list c2pa-rs's JPEG parser
// (img-parts) works on. The walk reads every byte of the entropy-coded
// data, so it is done once per operation when r is an asset.Memo, and a
// speculating operation (signing, reading) gets the segments up to the
// first SOS at once, checked by a tailWalk on the bytes its hash pass reads
// (asset.Speculate). The list may then end with that SOS, its entropy -1:
// callers may use the positions of the segments before it and of every
// APP0 and APP11 segment, nothing else. Callers must not modify the list.
func headerSegments(r io.ReaderAt, size int64) ([]segment, error) {
	return asset.Speculate(r, segmentsKey{size},
		func() ([]segment, asset.Follower, error) {
			segs, err := walkSegments(r, size, toScan)
			if err != errScanReached {
				return segs, nil, err // the whole list, or walk's error
			}
			return segs, newTailWalk(segs, size), nil
		},
		func() ([]segment, error) { return walkSegments(r, size, toEOI) })
}

func walkSegments(r io.ReaderAt, size int64, mode walkMode) ([]segment, error) {
	var all []segment
	err := walk(r, size, mode, func(seg segment) error {
		isRST := seg.marker >= markerRST0 && seg.marker <= markerRST7
		if !isRST && (seg.start > 0 || seg.marker != markerSOI) {
			all = append(all, seg)
		}
		return nil
	})
	return all, err
}

// storeSegments picks from all the APP11 segments that carry a manifest
// store, with c2pa-rs's rules: a segment whose payload bytes 24..28 are
// "c2pa" starts a store, later APP11 segments with the same En continue it.
// When strict is set (reading), a continuation whose Z does not increase
// ends the store and a second store is ErrTooManyStores; otherwise
// (removing) every store's segments are returned.
func storeSegments(r io.ReaderAt, size int64, all []segment, strict bool) (segs []app11, err error) {
	var (
		en     uint16
		count  uint32
		active bool
		stores int
	)
	for _, seg := range all {
		if seg.marker != markerAPP11 {
			continue
		}
		a, ok, err := readApp11(r, size, seg)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if active && count > 0 && a.en == en {
			if strict && a.z <= count {
				active = false // out of sequence: c2pa-rs stops continuing this store
				continue
			}
			count++
			segs = append(segs, a)
			continue
		}
		if !a.isC2P {
			continue
		}
		stores++
		if strict && stores > 1 {
			return nil, asset.NewError(asset.ErrTooManyStores, Format, seg.start, "a second manifest store starts here")
		}
		en, count, active = a.en, 1, true
		segs = append(segs, a)
	}
	return segs, nil
}

// ReadStore reassembles the manifest store from its APP11 segments.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	all, err := headerSegments(r, size)
	if err != nil {
		return nil, err
	}
	segs, err := storeSegments(r, size, all, true)
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, asset.ErrNoStore
	}
	var total int64
	for i, s := range segs {
		skip := int64(16)
		if i == 0 {
			skip = 8
		}
		total += s.seg.contents().Length - skip
	}
	if total > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, segs[0].seg.start, "manifest store of %d bytes", total)
	}
	store := make([]byte, 0, total)
	for i, s := range segs {
		c := s.seg.contents()
		skip := int64(16)
		if i == 0 {
			skip = 8
		}
		part, err := asset.ReadAt(r, size, Format, c.Start+skip, c.Length-skip)
		if err != nil {
			return nil, err
		}
		store = append(store, part...)
	}
	return store, nil
}

// RemoteURL returns dcterms:provenance from the first XMP APP1 segment when
// it points outside the asset.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	var xmp []byte
	errFound := errors.New("found")
	err := walk(r, size, toEOI, func(seg segment) error {
		c := seg.contents()
		if seg.marker != markerAPP1 || c.Length < int64(len(xmpSignature))+1 {
			return nil
		}
		head, err := asset.ReadAt(r, size, Format, c.Start, int64(len(xmpSignature)))
		if err != nil || string(head) != xmpSignature {
			return err
		}
		if xmp, err = asset.ReadAt(r, size, Format, c.Start+int64(len(xmpSignature))+1, c.Length-int64(len(xmpSignature))-1); err != nil {
			return err
		}
		return errFound
	})
	if err != nil && err != errFound {
		return "", err
	}
	return asset.RemoteURLFromXMP(xmp), nil
}

// CarrierSize returns the number of bytes the APP11 segments carrying a
// store of storeLen bytes take.
func CarrierSize(storeLen int) int64 {
	if storeLen == 0 {
		return 0
	}
	n := int64((storeLen + ChunkSize - 1) / ChunkSize)
	return n*12 + (n-1)*8 + int64(storeLen)
}

// wrapper returns the function that splits a store into APP11 segments
// with box instance number en (C2PA-NOTES §5.1).
func wrapper(en uint16) func([]byte) ([]byte, error) {
	return func(store []byte) ([]byte, error) { return wrap(store, en) }
}

func wrap(store []byte, en uint16) ([]byte, error) {
	if len(store) < 8 {
		return nil, fmt.Errorf("jpeg: a manifest store of %d bytes has no box header", len(store))
	}
	out := make([]byte, 0, CarrierSize(len(store)))
	for z, off := 1, 0; off < len(store); z, off = z+1, off+ChunkSize {
		chunk := store[off:min(off+ChunkSize, len(store))]
		lp := 2 + 8 + len(chunk)
		if z > 1 {
			lp += 8
		}
		out = append(out, 0xFF, markerAPP11)
		out = binary.BigEndian.AppendUint16(out, uint16(lp))
		out = append(out, 'J', 'P')
		out = binary.BigEndian.AppendUint16(out, en)
		out = binary.BigEndian.AppendUint32(out, uint32(z))
		if z > 1 {
			out = append(out, store[:8]...)
		}
		out = append(out, chunk...)
	}
	return out, nil
}

// Plan removes every C2PA APP11 segment and, when storeLen > 0, puts the new
// segments where c2pa-rs does: in place of the first old one (unless it
// directly follows SOI), else right after the last APP0, else right after SOI.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	if storeLen > 0 && storeLen < 8 {
		return nil, fmt.Errorf("%w: a store of %d bytes has no box header", asset.ErrStoreSize, storeLen)
	}
	var (
		removed = map[int64]bool{}
		used    = map[uint16]bool{} // En of APP11 segments
	)
	all, err := headerSegments(r, size)
	if err != nil {
		return nil, err
	}
	old, err := storeSegments(r, size, all, false)
	if err != nil {
		return nil, err
	}
	for _, s := range old {
		removed[s.seg.start] = true
	}
	for _, s := range all {
		if s.marker != markerAPP11 || removed[s.start] {
			continue
		}
		if a, ok, err := readApp11(r, size, s); err != nil {
			return nil, err
		} else if ok {
			used[a.en] = true
		}
	}
	en := uint16(Instance)
	for used[en] {
		en++
	}
	insert := int64(2) // right after SOI
	if len(old) > 0 && len(all) > 0 && old[0].seg.start != all[0].start {
		insert = old[0].seg.start
	} else {
		for _, s := range all {
			if s.marker == markerAPP0 && !removed[s.start] {
				insert = s.end()
			}
		}
	}
	edits := []asset.Edit{{At: asset.Range{Start: insert}, Store: storeLen > 0}}
	for _, s := range old {
		edits = append(edits, asset.Edit{At: asset.Range{Start: s.seg.start, Length: s.seg.end() - s.seg.start}})
	}
	return asset.Build(Format, size, storeLen, CarrierSize(storeLen), wrapper(en), edits)
}

// Locate returns the range of the store's APP11 segments as c2pa-rs reports
// it: from the first segment, as long as all of them together.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	all, err := headerSegments(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	segs, err := storeSegments(r, size, all, false)
	if err != nil {
		return asset.Range{}, err
	}
	if len(segs) == 0 {
		return asset.Range{}, asset.ErrNoStore
	}
	loc := asset.Range{Start: segs[0].seg.at()}
	for _, s := range segs {
		loc.Length += s.seg.length
	}
	return loc, nil
}
