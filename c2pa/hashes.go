package c2pa

import (
	"bytes"
	"fmt"
	"io"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/status"
)

// DataHash is the c2pa.hash.data assertion (C2PA-NOTES §4.1), fields in
// c2pa-rs's write order.
type DataHash struct {
	Exclusions []Exclusion `cbor:"exclusions,omitempty"`
	Name       string      `cbor:"name,omitempty"`
	Alg        string      `cbor:"alg,omitempty"`
	Hash       []byte      `cbor:"hash"`
	Pad        []byte      `cbor:"pad"`
	Pad2       []byte      `cbor:"pad2,omitempty"`
	URL        string      `cbor:"url,omitempty"`
}

// Exclusion is one excluded byte range of a data hash.
type Exclusion struct {
	Start  uint64 `cbor:"start"`
	Length uint64 `cbor:"length"`
}

func decodeDataHash(b []byte) (*DataHash, error) {
	var dh DataHash
	if err := claimDecMode.Unmarshal(b, &dh); err != nil {
		return nil, err
	}
	return &dh, nil
}

func (d *DataHash) ranges() []asset.Range {
	out := make([]asset.Range, 0, len(d.Exclusions))
	for _, e := range d.Exclusions {
		out = append(out, asset.Range{Start: int64(min(e.Start, 1<<62)), Length: int64(min(e.Length, 1<<62))})
	}
	return out
}

// encode writes the assertion CBOR.
func (d *DataHash) encode() ([]byte, error) { return encMode.Marshal(d) }

// padToSize grows the pad until the encoding is exactly size bytes, as
// c2pa-rs's pad_to_size does: one byte at a time, and on overshoot (a CBOR
// length header growing) restart with pad cleared and pad2 set.
func (d *DataHash) padToSize(size int) ([]byte, error) {
	b, err := d.encode()
	if err != nil {
		return nil, err
	}
	if len(b) > size {
		return nil, fmt.Errorf("c2pa: data hash of %d bytes exceeds reserved %d", len(b), size)
	}
	start := len(d.Pad)
	for len(b) < size {
		d.Pad = append(d.Pad, 0)
		if b, err = d.encode(); err != nil {
			return nil, err
		}
		if len(b) > size {
			added := len(d.Pad) - start
			d.Pad = d.Pad[:0]
			d.Pad2 = make([]byte, max(added/2, 1))
			if b, err = d.encode(); err != nil {
				return nil, err
			}
			for len(b) < size {
				d.Pad = append(d.Pad, 0)
				if b, err = d.encode(); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(b) != size {
		return nil, fmt.Errorf("c2pa: cannot pad data hash to %d bytes", size)
	}
	return b, nil
}

// BoxHash is the c2pa.hash.boxes assertion (C2PA-NOTES §4.2).
type BoxHash struct {
	Boxes []BoxHashEntry `cbor:"boxes"`
}

// BoxHashEntry covers a run of consecutive named boxes.
type BoxHashEntry struct {
	Names    []string `cbor:"names"`
	Alg      string   `cbor:"alg,omitempty"`
	Hash     []byte   `cbor:"hash"`
	Excluded bool     `cbor:"excluded,omitempty"`
	Pad      []byte   `cbor:"pad"`
}

func (v *validator) verifyBoxHash(m *Manifest, a *Assertion, uri string) {
	var bh BoxHash
	if err := claimDecMode.Unmarshal(a.Data, &bh); err != nil {
		v.log.Failure(status.AssertionBoxesHashMalformed, uri, err.Error())
		return
	}
	if v.handler == nil {
		v.log.Failure(status.AssertionBoxesHashMismatch, uri, "asset not available for box hash")
		return
	}
	spans, err := v.handler.boxes()
	if err != nil {
		v.log.Failure(status.AssertionBoxesHashMismatch, uri, err.Error())
		return
	}
	pos := 0
	for _, e := range bh.Boxes {
		if len(e.Names) == 0 || pos+len(e.Names) > len(spans) {
			v.log.Failure(status.AssertionBoxesHashMismatch, uri, "box hash names do not match the asset")
			return
		}
		for i, n := range e.Names {
			if spans[pos+i].Name != n {
				v.log.Failure(status.AssertionBoxesHashMismatch, uri, fmt.Sprintf("box %q found where %q expected", spans[pos+i].Name, n))
				return
			}
		}
		first, last := spans[pos], spans[pos+len(e.Names)-1]
		pos += len(e.Names)
		if e.Excluded || (len(e.Names) == 1 && e.Names[0] == asset.StoreBoxName) {
			continue
		}
		alg := e.Alg
		if alg == "" {
			alg = m.Claim.Alg
		}
		h, err := newHash(alg)
		if err != nil {
			v.log.Failure(status.AssertionBoxesHashMismatch, uri, err.Error())
			return
		}
		start, end := first.Range.Start, last.Range.End()
		if err := asset.HashRanges(io.NewSectionReader(v.asset, start, end-start), end-start, nil, h); err != nil {
			v.log.Failure(status.AssertionBoxesHashMismatch, uri, err.Error())
			return
		}
		if !bytes.Equal(h.Sum(nil), e.Hash) {
			v.log.Failure(status.AssertionBoxesHashMismatch, uri, "box hash mismatch for "+e.Names[0])
			return
		}
	}
	v.log.Success(status.AssertionBoxesHashMatch, uri, "boxes hash valid")
}

// assetSource binds an asset to its container handler for hard-binding checks.
type assetSource struct {
	h    asset.Handler
	r    io.ReaderAt
	size int64
}

func (s *assetSource) hashData(excl []asset.Range, alg string) ([]byte, error) {
	h, err := newHash(alg)
	if err != nil {
		return nil, err
	}
	if err := asset.HashRanges(s.r, s.size, excl, h); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// storeRange returns where the embedded store of storeLen bytes sits in the
// asset: a same-size replacement is planned in place.
func (s *assetSource) storeRange(storeLen int) (asset.Range, error) {
	p, err := s.h.Plan(s.r, s.size, storeLen)
	if err != nil {
		return asset.Range{}, err
	}
	return p.Carrier, nil
}

func (s *assetSource) boxes() ([]asset.BoxSpan, error) { return s.h.BoxMap(s.r, s.size) }
