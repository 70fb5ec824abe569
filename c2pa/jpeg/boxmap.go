package jpeg

import (
	"fmt"
	"io"

	"provgraph/c2pa/asset"
)

// markerName returns the ISO 10918-1 Table B.1 symbol c2pa.hash.boxes uses
// for a marker (C2PA-NOTES §4.2).
func markerName(m byte) string {
	switch {
	case m >= 0xE0 && m <= 0xEF:
		return fmt.Sprintf("APP%d", m-0xE0)
	case m >= markerRST0 && m <= markerRST7:
		return fmt.Sprintf("RST%d", m-markerRST0)
	case m >= 0xF0 && m <= 0xFD:
		return fmt.Sprintf("JPG%d", m-0xF0)
	case m == 0xC4:
		return "DHT"
	case m == 0xC8:
		return "JPG"
	case m == 0xCC:
		return "DAC"
	case m >= 0xC0 && m <= 0xCF:
		return fmt.Sprintf("SOF%d", m-0xC0)
	}
	switch m {
	case markerSOI:
		return "SOI"
	case markerEOI:
		return "EOI"
	case markerSOS:
		return "SOS"
	case 0xDB:
		return "DQT"
	case 0xDC:
		return "DNL"
	case 0xDD:
		return "DRI"
	case 0xDE:
		return "DHP"
	case 0xDF:
		return "EXP"
	case 0xFE:
		return "COM"
	case markerTEM:
		return "TEM"
	}
	return fmt.Sprintf("0x%02X", m)
}

// BoxMap lists every marker segment of the file (also those after EOI, as
// c2pa-rs's walker does) with c2pa-rs's ranges: a segment's marker, length
// and contents; SOS also the entropy data up to the next marker that is not
// RSTn (so RSTn boxes, 2 bytes each, lie inside it); the APP11 segments of
// the store merged into one "C2PA" box; APP11 segments of 16 payload bytes
// or fewer left out. Without a store, an excluded zero-length "C2PA" box is
// put after the first APP0 (else after SOI), where c2pa-rs expects to sign.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	var (
		spans  []asset.BoxSpan
		c2pa   = -1
		en     uint16
		count  int
		inScan = -1 // index of the SOS span still absorbing RSTn and entropy
	)
	err := walk(r, size, pastEOI, func(seg segment) error {
		isRST := seg.marker >= markerRST0 && seg.marker <= markerRST7
		if inScan >= 0 && isRST {
			sp := &spans[inScan]
			sp.Range.Length = seg.end() - sp.Range.Start
		} else {
			inScan = -1
		}
		span := asset.BoxSpan{Name: markerName(seg.marker), Range: asset.Range{Start: seg.at(), Length: seg.length}}
		switch {
		case seg.marker == markerSOS:
			span.Range.Length += seg.entropy
			inScan = len(spans)
		case seg.marker == markerAPP11:
			a, ok, err := readApp11(r, size, seg)
			if err != nil || !ok {
				return err
			}
			if count > 0 && a.en == en && c2pa >= 0 {
				spans[c2pa].Range.Length = seg.end() - spans[c2pa].Range.Start
				count++
				return nil
			}
			if a.isC2P {
				span.Name = asset.StoreBoxName
				en, count, c2pa = a.en, 1, len(spans)
			}
		}
		spans = append(spans, span)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if c2pa < 0 {
		at := 1
		for i, s := range spans {
			if s.Name == "APP0" {
				at = i + 1
				break
			}
		}
		if len(spans) < 2 {
			return nil, asset.Malformed(Format, 0, "no segments after SOI")
		}
		start := spans[at-1].Range.End()
		spans = append(spans[:at], append([]asset.BoxSpan{{Name: asset.StoreBoxName, Range: asset.Range{Start: start}, Excluded: true}}, spans[at:]...)...)
	}
	return spans, nil
}
