package scan

import (
	"bytes"
	"encoding/binary"
)

// photoshopIRB starts a JPEG APP13 segment holding Photoshop image
// resources, among them the legacy IPTC-IIM record.
var photoshopIRB = []byte("Photoshop 3.0\x00")

// iimDatasets names the IPTC-IIM application record (2:xx) datasets
// recorded as fields, with exiftool's tag names.
var iimDatasets = map[byte]string{
	5:   "ObjectName",
	80:  "By-line",
	65:  "OriginatingProgram",
	70:  "ProgramVersion",
	110: "Credit",
	115: "Source",
	116: "CopyrightNotice",
	120: "Caption-Abstract",
	122: "Writer-Editor",
}

// photoshopResources walks Photoshop image resources (8BIM blocks) and
// records the IPTC-IIM block (resource 0x0404).
func (c *collector) photoshopResources(p []byte) {
	for off, n := 0, 0; off+12 <= len(p) && n < 1024; n++ {
		if string(p[off:off+4]) != "8BIM" {
			return
		}
		id := binary.BigEndian.Uint16(p[off+4:])
		nameLen := int(p[off+6])
		nameEnd := off + 6 + 1 + nameLen
		if (1+nameLen)%2 == 1 {
			nameEnd++ // the Pascal name is padded to an even size
		}
		if nameEnd+4 > len(p) {
			return
		}
		size := int(binary.BigEndian.Uint32(p[nameEnd:]))
		data := nameEnd + 4
		if size < 0 || size > len(p)-data {
			c.warn(formatErr("photoshop-irb", int64(off), "resource 0x%04X of %d bytes overruns the segment", id, size))
			return
		}
		if id == 0x0404 {
			c.iim(p[data : data+size])
		}
		off = data + size + size%2
	}
}

// iim records the datasets of an IPTC-IIM block.
func (c *collector) iim(p []byte) {
	for off, n := 0, 0; off+5 <= len(p) && n < 4096; n++ {
		if p[off] != 0x1C {
			return
		}
		record, dataset := p[off+1], p[off+2]
		size := int(binary.BigEndian.Uint16(p[off+3:]))
		if size&0x8000 != 0 {
			return // extended lengths are for binary datasets, not text
		}
		start := off + 5
		if size > len(p)-start {
			c.warn(formatErr("iptc", int64(off), "dataset %d:%d of %d bytes overruns the block", record, dataset, size))
			return
		}
		if name, ok := iimDatasets[dataset]; ok && record == 2 {
			c.field("iptc", "IPTC:"+name, string(bytes.ToValidUTF8(latin1ToUTF8(p[start:start+size]), nil)))
		}
		off = start + size
	}
}
