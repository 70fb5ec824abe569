package c2pa

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/bmff"
	"provgraph/c2pa/status"
)

// BMFFHash is the c2pa.hash.bmff (v1), .v2 and .v3 assertion (C2PA-NOTES
// §4.3), fields in c2pa-rs's write order.
type BMFFHash struct {
	Exclusions []BMFFExclusion `cbor:"exclusions"`
	Alg        string          `cbor:"alg,omitempty"`
	Hash       []byte          `cbor:"hash,omitempty"`
	Merkle     []MerkleMap     `cbor:"merkle,omitempty"`
	Name       string          `cbor:"name,omitempty"`
	// URL is the deprecated remote hash reference; read only.
	URL cbor.RawMessage `cbor:"url,omitempty"`
}

// BMFFExclusion selects boxes by xpath and filters; each optional field is
// a pointer because c2pa-rs tells absent from empty.
type BMFFExclusion struct {
	XPath   string        `cbor:"xpath"`
	Length  *uint64       `cbor:"length,omitempty"`
	Data    []BMFFData    `cbor:"data,omitempty"`
	Subset  *[]BMFFSubset `cbor:"subset,omitempty"`
	Version *uint8        `cbor:"version,omitempty"`
	Flags   *[]byte       `cbor:"flags,omitempty"`
	Exact   *bool         `cbor:"exact,omitempty"`
}

// BMFFData requires the box to hold Value at Offset (from the box start).
type BMFFData struct {
	Offset uint64 `cbor:"offset"`
	Value  []byte `cbor:"value"`
}

// BMFFSubset narrows an exclusion to part of the box (Length 0: to its end).
type BMFFSubset struct {
	Offset uint64 `cbor:"offset"`
	Length uint64 `cbor:"length"`
}

// MerkleMap is one Merkle tree row of a BMFF hash.
type MerkleMap struct {
	UniqueID           uint64   `cbor:"uniqueId"`
	LocalID            uint64   `cbor:"localId"`
	Count              uint64   `cbor:"count"`
	Alg                string   `cbor:"alg,omitempty"`
	InitHash           []byte   `cbor:"initHash,omitempty"`
	Hashes             [][]byte `cbor:"hashes"`
	FixedBlockSize     *uint64  `cbor:"fixedBlockSize,omitempty"`
	VariableBlockSizes []uint64 `cbor:"variableBlockSizes,omitempty"`
}

// bmffMerkleBox is the CBOR of a C2PA uuid box with purpose merkle.
type bmffMerkleBox struct {
	UniqueID uint64   `cbor:"uniqueId"`
	LocalID  uint64   `cbor:"localId"`
	Location uint64   `cbor:"location"`
	Hashes   [][]byte `cbor:"hashes"`
}

// bmffVersion returns the version of a BMFF hash label: 1 for
// c2pa.hash.bmff, n for c2pa.hash.bmff.vn.
func bmffVersion(label string) int {
	base, _ := splitInstance(label)
	if v, ok := strings.CutPrefix(base, "c2pa.hash.bmff.v"); ok && len(v) == 1 && v[0] >= '2' && v[0] <= '9' {
		return int(v[0] - '0')
	}
	return 1
}

// errBMFFMalformed marks hash failures c2pa-rs reports as
// assertion.bmffHash.malformed rather than mismatch.
var errBMFFMalformed = errors.New("c2pa: BMFF hash assertion malformed")

// checkSelf applies c2pa-rs's structural checks: no remote hash, at least
// one exclusion, subsets ordered and not overlapping.
func (b *BMFFHash) checkSelf() error {
	if len(b.URL) > 0 {
		return errors.New("BMFF hash remote has been deprecated")
	}
	if len(b.Exclusions) == 0 {
		return errBMFFMalformed
	}
	for _, e := range b.Exclusions {
		if e.Subset == nil || len(*e.Subset) < 2 {
			continue
		}
		s := *e.Subset
		for i := 0; i+1 < len(s); i++ {
			end := s[i].Offset + s[i].Length
			if s[i].Offset > s[i+1].Offset || end < s[i].Offset || end > s[i+1].Offset {
				return errBMFFMalformed
			}
		}
	}
	return nil
}

// additionalExclusions reports exclusions beyond the mandatory ones (the
// C2PA uuid box by its usertype, ftyp and mfra), which c2pa-rs 0.91 notes
// as assertion.bmffHash.additionalExclusionsPresent.
func (b *BMFFHash) additionalExclusions() bool {
	for _, e := range b.Exclusions {
		plain := e.Length == nil && e.Subset == nil && e.Version == nil && e.Flags == nil && e.Exact == nil
		switch {
		case plain && len(e.Data) == 0 && (e.XPath == "/ftyp" || e.XPath == "/mfra"):
		case plain && e.XPath == "/uuid" && len(e.Data) == 1 && e.Data[0].Offset == 8 && bytes.Equal(e.Data[0].Value, bmff.C2PAUUID[:]):
		default:
			return true
		}
	}
	return false
}

// bmffRanges converts the exclusions to byte ranges of the file the tree
// describes, and for v2 and later lists the offsets of the top-level boxes
// not excluded whole, whose u64be offset is hashed before them.
func bmffRanges(t *bmff.Tree, r io.ReaderAt, excl []BMFFExclusion, v2 bool) ([]asset.Range, []int64, error) {
	tops := map[int64]bool{}
	for _, i := range t.Top {
		// c2pa-rs finds top-level boxes by the one slash of their path,
		// which a type containing "/" does not have.
		if !strings.Contains(t.Boxes[i].Type, "/") {
			tops[t.Boxes[i].Offset] = true
		}
	}
	var out []asset.Range
	for _, e := range excl {
		for _, i := range t.Select(e.XPath) {
			b := &t.Boxes[i]
			if e.Length != nil && *e.Length != uint64(b.Size) {
				continue
			}
			if e.Version != nil && b.Full && *e.Version != b.Version {
				continue
			}
			if e.Flags != nil && b.Full {
				// RS-QUIRK: c2pa-rs reads the three flag bytes into the high
				// bytes of a u32 and compares with the box's 24-bit flags.
				var tmp [4]byte
				if len(*e.Flags) >= 3 {
					copy(tmp[:3], *e.Flags)
				}
				want := binary.BigEndian.Uint32(tmp[:])
				if e.Exact == nil || *e.Exact {
					if want != b.Flags {
						continue
					}
				} else if want|b.Flags != want {
					continue
				}
			}
			matches := true
			for _, d := range e.Data {
				if d.Offset > 1<<62 || uint64(len(d.Value)) > uint64(asset.MaxStoreSize) {
					return nil, nil, fmt.Errorf("BMFF data map offset overflow")
				}
				got, err := asset.ReadAt(r, t.Size, bmff.Format, b.Offset+int64(d.Offset), int64(len(d.Value)))
				if err != nil {
					return nil, nil, err
				}
				if !bytes.Equal(got, d.Value) {
					matches = false
					break
				}
			}
			if !matches {
				continue
			}
			if e.Subset != nil {
				for _, s := range *e.Subset {
					if s.Offset > uint64(b.Size) {
						continue
					}
					n := b.Size - int64(s.Offset)
					if s.Length != 0 && s.Length < uint64(n) {
						n = int64(s.Length)
					}
					out = append(out, asset.Range{Start: b.Offset + int64(s.Offset), Length: n})
				}
				continue
			}
			out = append(out, asset.Range{Start: b.Offset, Length: b.Size})
			delete(tops, b.Offset)
		}
	}
	var offsets []int64
	if v2 {
		for o := range tops {
			offsets = append(offsets, o)
		}
		slices.Sort(offsets)
	}
	return out, offsets, nil
}

// span is an inclusive byte range of the hashed sequence.
type span struct{ first, last int64 }

// hashBMFF hashes r minus the exclusions, with the u64be value of each
// offset hashed where a range of included bytes reaches it, following
// c2pa-rs's hash_stream_by_alg (its placement rules included).
func hashBMFF(r io.ReaderAt, size int64, excl []asset.Range, offsets []int64, h hash.Hash) error {
	spans, err := bmffSpans(size, excl, offsets)
	if err != nil {
		return err
	}
	buf := make([]byte, min(asset.BufferSize, size))
	for _, s := range spans {
		if isMarker(s, offsets) {
			h.Write(binary.BigEndian.AppendUint64(nil, uint64(s.first)))
			continue
		}
		if err := hashSection(h, r, s.first, s.last-s.first+1, buf); err != nil {
			return err
		}
	}
	return nil
}

// isMarker reports a span that stands for an offset value rather than
// bytes: one byte long at a listed offset (c2pa-rs's test, which a one-byte
// range of data at a box start would also pass).
func isMarker(s span, offsets []int64) bool {
	if s.first != s.last {
		return false
	}
	_, ok := slices.BinarySearch(offsets, s.first)
	return ok
}

// bmffSpans lists in hashing order the included spans of a file of size
// bytes, split at each sorted offset with a marker span before the byte at
// that offset; offsets inside excluded bytes get a marker of their own when
// they lie strictly between the first and last included bytes.
func bmffSpans(size int64, excl []asset.Range, offsets []int64) ([]span, error) {
	if size < 1 {
		return nil, errors.New("no data to hash")
	}
	for _, e := range excl {
		if e.Start < 0 || e.Length < 0 || e.Start > size || e.Length > size-e.Start {
			return nil, fmt.Errorf("%w: [%d, +%d) in %d bytes", asset.ErrExclusion, e.Start, e.Length, size)
		}
	}
	var included []span
	for _, k := range keptRanges(excl, size) {
		included = append(included, span{k.Start, k.End() - 1})
	}
	if len(offsets) == 0 {
		return included, nil
	}
	var spans []span
	for _, cur := range included {
		k, _ := slices.BinarySearch(offsets, cur.first)
		for ; k < len(offsets) && offsets[k] <= cur.last; k++ {
			os := offsets[k]
			if cur.first == os {
				spans = append(spans, span{os, os})
			} else {
				spans = append(spans, span{cur.first, os - 1}, span{os, os})
				cur = span{os, cur.last}
			}
		}
		spans = append(spans, cur)
	}
	before, after := int64(0), size-1
	if len(spans) > 0 {
		before, after = spans[0].first, spans[len(spans)-1].last
	}
	added := false
	for _, os := range offsets {
		k := sort.Search(len(included), func(i int) bool { return included[i].last >= os })
		inside := k < len(included) && included[k].first <= os
		if !inside && os > before && os < after {
			spans = append(spans, span{os, os})
			added = true
		}
	}
	if added {
		slices.SortStableFunc(spans, func(a, b span) int { return int(min(max(a.first-b.first, -1), 1)) })
	}
	return spans, nil
}

// keptRanges returns [0, size) minus the non-empty exclusions, in order.
func keptRanges(excl []asset.Range, size int64) []asset.Range {
	ex := slices.Clone(excl)
	slices.SortFunc(ex, func(a, b asset.Range) int { return int(min(max(a.Start-b.Start, -1), 1)) })
	var out []asset.Range
	pos := int64(0)
	for _, e := range ex {
		if e.Length == 0 {
			continue
		}
		if e.Start > pos {
			out = append(out, asset.Range{Start: pos, Length: e.Start - pos})
		}
		pos = max(pos, e.End())
	}
	if pos < size {
		out = append(out, asset.Range{Start: pos, Length: size - pos})
	}
	return out
}

func hashSection(h hash.Hash, r io.ReaderAt, off, n int64, buf []byte) error {
	for n > 0 {
		chunk := buf[:min(int64(len(buf)), n)]
		if m, err := r.ReadAt(chunk, off); m != len(chunk) {
			return fmt.Errorf("c2pa: reading %d bytes at %d: %w", len(chunk), off, err)
		}
		h.Write(chunk)
		off += int64(len(chunk))
		n -= int64(len(chunk))
	}
	return nil
}

// verifyBMFFHash checks a c2pa.hash.bmff[.vN] binding as c2pa-rs's
// verify_hash_binding does: BMFF hash valid, or a mismatch (malformed for
// the structural failures) naming the hash.
func (v *validator) verifyBMFFHash(m *Manifest, a *Assertion, uri string) {
	var bh BMFFHash
	if err := claimDecMode.Unmarshal(a.Data, &bh); err != nil {
		v.log.Failure(status.AssertionBMFFHashMalformed, uri, err.Error())
		return
	}
	name := bh.Name
	if name == "" {
		name = "unnamed"
	}
	if bh.additionalExclusions() {
		v.log.Informational(status.AssertionBMFFHashAdditionalExclusionsPresent, uri, "extra BMFF hash exclusion(s) found")
	}
	var err error
	if v.asset == nil {
		err = errors.New("asset not available for BMFF hash")
	} else {
		err = checkBMFFHash(&bh, bmffVersion(a.Label), m.Claim.Alg, v.asset, v.size, v.opts.BMFFFragments)
	}
	if err == nil {
		v.log.Success(status.AssertionBMFFHashMatch, uri, "BMFF hash valid")
		return
	}
	code, detail := status.AssertionBMFFHashMismatch, fmt.Sprintf("hash verification( %v )", err)
	if errors.Is(err, errBMFFMalformed) {
		code, detail = status.AssertionBMFFHashMalformed, string(status.AssertionBMFFHashMalformed)
	}
	v.log.Failure(code, uri, fmt.Sprintf("asset hash error, name: %s, error: %s", name, detail))
}

// checkBMFFHash verifies a BMFF hash against the file r of size bytes, or,
// when fragments is not nil, against each of those media segments with r
// as their initialization segment.
func checkBMFFHash(bh *BMFFHash, version int, claimAlg string, r io.ReaderAt, size int64, fragments []Fragment) error {
	if err := bh.checkSelf(); err != nil {
		return err
	}
	alg := bh.Alg
	if alg == "" {
		alg = claimAlg
	}
	if alg == "" {
		alg = "sha256"
	}
	if fragments != nil {
		if bh.Hash != nil {
			return errors.New("Hash value should not be present for a fragmented BMFF asset")
		}
		if bh.Merkle == nil {
			return errors.New("Merkle value must be present for a fragmented BMFF asset")
		}
		if len(fragments) == 0 {
			return errors.New("No fragment specified")
		}
		for i := range fragments {
			if err := checkBMFFFragment(bh, version, alg, r, size, &fragments[i]); err != nil {
				return err
			}
		}
		return nil
	}
	t, err := bmff.Parse(r, size)
	if err != nil {
		return err
	}
	excl, offsets, err := bmffRanges(t, r, bh.Exclusions, version > 1)
	if err != nil {
		return err
	}
	if bh.Hash != nil {
		h, err := newHash(alg)
		if err != nil {
			return err
		}
		if err := hashBMFF(r, size, excl, offsets, h); err != nil {
			return err
		}
		if !bytes.Equal(h.Sum(nil), bh.Hash) {
			return errors.New("BMFF file level hash mismatch")
		}
	}
	if bh.Merkle == nil {
		return nil
	}
	boxes, err := merkleBoxes(t, r)
	if err != nil {
		return err
	}
	var firstMoof *bmff.Box
	for _, i := range t.Top {
		if t.Boxes[i].Type == "moof" {
			firstMoof = &t.Boxes[i]
			break
		}
	}
	for _, mm := range bh.Merkle {
		if mm.InitHash == nil {
			continue
		}
		if firstMoof == nil {
			return errors.New("BMFF inithash must not be present for non-fragmented media")
		}
		ok, err := bmffHashEquals(mm.alg(alg), mm.InitHash, r, size, append(slices.Clone(excl), asset.Range{Start: firstMoof.Offset, Length: size - firstMoof.Offset}), offsets)
		if err != nil || !ok {
			return errors.New("BMFF file level hash mismatch")
		}
	}
	if firstMoof == nil {
		blocks := true
		for _, mm := range bh.Merkle {
			blocks = blocks && (mm.FixedBlockSize != nil || mm.VariableBlockSizes != nil)
		}
		hasMoov := slices.ContainsFunc(t.Top, func(i int) bool { return t.Boxes[i].Type == "moov" })
		if !blocks && hasMoov && len(boxes) > 0 {
			return checkTimedMerkle(bh, alg, t, r, boxes)
		}
		return checkMdatMerkle(bh, alg, t, r, boxes)
	}
	chunks := fragmentChunks(t)
	for _, mm := range bh.Merkle {
		if uint64(len(chunks)) != mm.Count || uint64(len(boxes)) != mm.Count {
			return errors.New("Incorrect number of fragments hashes")
		}
		malg := mm.alg(alg)
		for k, c := range chunks {
			ex := append(slices.Clone(excl), asset.Range{Start: 0, Length: c.Start}, asset.Range{Start: c.End(), Length: size - c.End()})
			leaf, err := bmffHashOf(malg, r, size, ex, offsets)
			if err != nil {
				return err
			}
			if !mm.check(malg, leaf, boxes[k].Location, boxes[k].Hashes) {
				return errors.New("Fragment not valid")
			}
		}
	}
	return nil
}

func (mm *MerkleMap) alg(def string) string {
	if mm.Alg != "" {
		return mm.Alg
	}
	return def
}

// check replays the proof of the leaf at location up to the stored row,
// as c2pa-rs's check_merkle_tree does (an odd last node is promoted).
func (mm *MerkleMap) check(alg string, leaf []byte, location uint64, proof [][]byte) bool {
	if location >= mm.Count {
		return false
	}
	idx, h := location, leaf
	var layers []uint64
	for n := mm.Count; ; n = (n + 1) / 2 {
		layers = append(layers, n)
		if n <= 1 {
			break
		}
	}
	p := 0
	for _, layer := range layers {
		if layer == uint64(len(mm.Hashes)) {
			break
		}
		if proof != nil {
			var sib []byte
			switch {
			case idx%2 == 1:
				if p >= len(proof) {
					return false
				}
				sib, p = proof[p], p+1
				h = concatHash(alg, sib, h)
			case idx+1 < layer:
				if p >= len(proof) {
					return false
				}
				sib, p = proof[p], p+1
				h = concatHash(alg, h, sib)
			}
		}
		idx /= 2
	}
	return idx < uint64(len(mm.Hashes)) && bytes.Equal(mm.Hashes[idx], h)
}

func concatHash(alg string, l, r []byte) []byte {
	h, err := newHash(alg)
	if err != nil {
		return nil
	}
	h.Write(l)
	h.Write(r)
	return h.Sum(nil)
}

// fragmentChunks splits the top-level boxes from the first moof on into
// runs that each start with a moof; none when the file starts with moof.
func fragmentChunks(t *bmff.Tree) []asset.Range {
	var out []asset.Range
	for k, i := range t.Top {
		b := &t.Boxes[i]
		if b.Type == "moof" {
			if k == 0 && len(out) == 0 {
				return nil
			}
			out = append(out, asset.Range{Start: b.Offset, Length: b.Size})
			continue
		}
		if n := len(out); n > 0 {
			out[n-1].Length = b.End() - out[n-1].Start
		}
	}
	return out
}

// merkleBoxes decodes the C2PA uuid boxes with purpose merkle.
func merkleBoxes(t *bmff.Tree, r io.ReaderAt) ([]bmffMerkleBox, error) {
	cs, err := t.C2PABoxes(r)
	if err != nil {
		return nil, err
	}
	var out []bmffMerkleBox
	for _, c := range cs {
		if c.Purpose != bmff.PurposeMerkle {
			continue
		}
		if c.Data.Length > asset.MaxStoreSize {
			return nil, asset.NewError(asset.ErrTooLarge, bmff.Format, c.Data.Start, "merkle box of %d bytes", c.Data.Length)
		}
		raw, err := asset.ReadAt(r, t.Size, bmff.Format, c.Data.Start, c.Data.Length)
		if err != nil {
			return nil, err
		}
		var mb bmffMerkleBox
		// Trailing zero padding after the map is allowed.
		if _, err := claimDecMode.UnmarshalFirst(raw, &mb); err != nil {
			return nil, err
		}
		out = append(out, mb)
	}
	return out, nil
}

func bmffHashOf(alg string, r io.ReaderAt, size int64, excl []asset.Range, offsets []int64) ([]byte, error) {
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	if err := hashBMFF(r, size, excl, offsets, h); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

func bmffHashEquals(alg string, want []byte, r io.ReaderAt, size int64, excl []asset.Range, offsets []int64) (bool, error) {
	got, err := bmffHashOf(alg, r, size, excl, offsets)
	return err == nil && bytes.Equal(got, want), err
}

// Fragment is a media segment of a fragmented MP4 to validate with its
// initialization segment (the asset given to Read), like c2pa-rs's
// fragment reading.
type Fragment struct {
	R    io.ReaderAt
	Size int64
}

// checkBMFFFragment verifies one media segment against the Merkle rows of
// the hash, with the initialization segment r checked against initHash.
func checkBMFFFragment(bh *BMFFHash, version int, alg string, r io.ReaderAt, size int64, f *Fragment) error {
	ft, err := bmff.Parse(f.R, f.Size)
	if err != nil {
		return err
	}
	boxes, err := merkleBoxes(ft, f.R)
	if err != nil {
		return err
	}
	if len(boxes) == 0 {
		return errors.New("Fragment had no MerkleMap")
	}
	for _, b := range boxes {
		k := slices.IndexFunc(bh.Merkle, func(mm MerkleMap) bool { return mm.UniqueID == b.UniqueID && mm.LocalID == b.LocalID })
		if k < 0 {
			return errors.New("Fragment had no MerkleMap")
		}
		mm := &bh.Merkle[k]
		if mm.InitHash == nil {
			continue
		}
		malg := mm.alg(alg)
		it, err := bmff.Parse(r, size)
		if err != nil {
			return err
		}
		excl, offsets, err := bmffRanges(it, r, bh.Exclusions, version > 1)
		if err != nil {
			return err
		}
		if ok, _ := bmffHashEquals(malg, mm.InitHash, r, size, excl, offsets); !ok {
			return errors.New("BMFF inithash mismatch")
		}
		fexcl, foffsets, err := bmffRanges(ft, f.R, bh.Exclusions, version > 1)
		if err != nil {
			return err
		}
		leaf, err := bmffHashOf(malg, f.R, f.Size, fexcl, foffsets)
		if err != nil {
			return err
		}
		if !mm.check(malg, leaf, b.Location, b.Hashes) {
			return errors.New("Fragment not valid")
		}
	}
	return nil
}

// maxMerkleLeaves bounds the leaves of one Merkle tree over an mdat.
const maxMerkleLeaves = 1 << 24

// mdatHeaderLen is what c2pa-rs leaves out of each mdat for Merkle leaves
// (a 64-bit box header).
const mdatHeaderLen = 16

// checkMdatMerkle verifies Merkle trees over the top-level mdat boxes, one
// per Merkle row in order, as c2pa-rs's validate_merkle_maps_mdat_boxes
// does: leaves of a fixed block size, of listed sizes, or the whole mdat
// body, checked against proofs from merkle uuid boxes when there are any,
// else against the stored row (or root).
func checkMdatMerkle(bh *BMFFHash, alg string, t *bmff.Tree, r io.ReaderAt, boxes []bmffMerkleBox) error {
	var mdats []*bmff.Box
	for _, i := range t.Top {
		if t.Boxes[i].Type == "mdat" {
			mdats = append(mdats, &t.Boxes[i])
		}
	}
	if len(mdats) != len(bh.Merkle) {
		return errors.New("number of MerkleMaps does not match number of mdat boxes")
	}
	leafRanges := make([][]asset.Range, len(mdats))
	for k, mm := range bh.Merkle {
		if mm.FixedBlockSize != nil && mm.VariableBlockSizes != nil {
			return errors.New("MerkleMap block type must be either fixed or variable or both none")
		}
		start, left := mdats[k].Offset+mdatHeaderLen, max(mdats[k].Size-mdatHeaderLen, 0)
		switch {
		case mm.FixedBlockSize != nil:
			bs := *mm.FixedBlockSize
			if bs <= 1 {
				return errors.New("fixed block size must be positive integer")
			}
			if uint64(left)/bs >= maxMerkleLeaves {
				return fmt.Errorf("Merkle tree of more than %d leaves", maxMerkleLeaves)
			}
			for left > 0 {
				n := min(left, int64(min(bs, 1<<62)))
				leafRanges[k] = append(leafRanges[k], asset.Range{Start: start, Length: n})
				start, left = start+n, left-n
			}
		case mm.VariableBlockSizes != nil:
			if len(mm.VariableBlockSizes) > maxMerkleLeaves {
				return fmt.Errorf("Merkle tree of more than %d leaves", maxMerkleLeaves)
			}
			var sum uint64
			for _, n := range mm.VariableBlockSizes {
				sum += n
				if sum > uint64(left) {
					break
				}
				leafRanges[k] = append(leafRanges[k], asset.Range{Start: start, Length: int64(n)})
				start += int64(n)
			}
			if sum != uint64(left) {
				return errors.New("variable block sizes does not match mdat box size")
			}
		default:
			leafRanges[k] = []asset.Range{{Start: start, Length: left}}
		}
	}
	if len(boxes) == 0 {
		for k, mm := range bh.Merkle {
			malg := mm.alg(alg)
			if uint64(len(leafRanges[k])) != mm.Count {
				return errors.New("number of leaves does not match the MerkleMap count")
			}
			rootOnly := len(mm.Hashes) == 1 && mm.Count > 1
			var leaves [][]byte
			for i, lr := range leafRanges[k] {
				leaf, err := leafHash(malg, r, t.Size, lr)
				if err != nil {
					return err
				}
				if rootOnly {
					leaves = append(leaves, leaf)
				} else if !mm.check(malg, leaf, uint64(i), nil) {
					return errors.New("chunk hash did not match")
				}
			}
			if rootOnly && !bytes.Equal(merkleRoot(malg, leaves), mm.Hashes[0]) {
				return errors.New("Merkle root hash did not match")
			}
		}
		return nil
	}
	// The merkle boxes come in Merkle row order, Count of them per row.
	rest := boxes
	for k, mm := range bh.Merkle {
		if mm.Count > uint64(len(rest)) {
			return errors.New("MerkleMap count incorrect")
		}
		mine := rest[:mm.Count]
		rest = rest[mm.Count:]
		if len(leafRanges[k]) != len(mine) {
			return errors.New("number of hash ranges does not match BmffMerkleMap count")
		}
		malg := mm.alg(alg)
		for i, lr := range leafRanges[k] {
			leaf, err := leafHash(malg, r, t.Size, lr)
			if err != nil {
				return err
			}
			if !mm.check(malg, leaf, mine[i].Location, mine[i].Hashes) {
				return errors.New("chunk hash did not match")
			}
		}
	}
	return nil
}

// merkleRoot builds c2pa-rs's tree over the leaves (parent = H(left ‖
// right), an odd last node promoted) and returns its root.
func merkleRoot(alg string, row [][]byte) []byte {
	for len(row) > 1 {
		var up [][]byte
		for i := 0; i < len(row); i += 2 {
			if i+1 == len(row) {
				up = append(up, row[i])
				continue
			}
			up = append(up, concatHash(alg, row[i], row[i+1]))
		}
		row = up
	}
	if len(row) == 0 {
		return nil
	}
	return row[0]
}

// leafHash hashes the bytes of one Merkle leaf.
func leafHash(alg string, r io.ReaderAt, size int64, lr asset.Range) ([]byte, error) {
	if lr.Start < 0 || lr.Length < 0 || lr.Start > size || lr.Length > size-lr.Start {
		return nil, fmt.Errorf("%w: leaf [%d, +%d) in %d bytes", asset.ErrExclusion, lr.Start, lr.Length, size)
	}
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	if err := hashSection(h, r, lr.Start, lr.Length, make([]byte, min(asset.BufferSize, max(lr.Length, 1)))); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
