package scan

import (
	"encoding/binary"
	"strings"
	"testing"
)

func bmffBox(typ string, body ...[]byte) []byte {
	var b []byte
	for _, p := range body {
		b = append(b, p...)
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(8+len(b))), append([]byte(typ), b...)...)
}

func TestBMFF(t *testing.T) {
	ftyp := bmffBox("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))
	c2paUUID := func(purpose string) []byte {
		return bmffBox("uuid", uuidC2PA, []byte{0, 0, 0, 0}, []byte(purpose+"\x00"), []byte("jumb"))
	}
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Sora"/></rdf:RDF></x:xmpmeta>`
	ilstItem := func(typ, text string) []byte {
		return bmffBox(typ, bmffBox("data", []byte{0, 0, 0, 1, 0, 0, 0, 0}, []byte(text)))
	}
	hdlr := bmffBox("hdlr", make([]byte, 8), []byte("mdir"), make([]byte, 13))
	deep := bmffBox("free")
	for range 20 {
		deep = bmffBox("moov", deep)
	}
	cases := []struct {
		name    string
		data    []byte
		hasC2PA bool
		fields  map[string]string
		warn    string
	}{
		{"manifest uuid, XMP_ and ilst", append(append(ftyp, c2paUUID("manifest")...),
			bmffBox("moov", bmffBox("udta", bmffBox("XMP_", []byte(xmp)), bmffBox("meta", []byte{0, 0, 0, 0}, hdlr, bmffBox("ilst", ilstItem("\xA9too", "Lavf61.1.100")))))...),
			true, map[string]string{"XMP:CreatorTool": "Sora", "BMFF:encoder": "Lavf61.1.100"}, ""},
		{"merkle uuid is no store", append(ftyp, c2paUUID("merkle")...), false, nil, ""},
		{"XMP uuid", append(ftyp, bmffBox("uuid", uuidXMP, []byte(xmp))...), false, map[string]string{"XMP:CreatorTool": "Sora"}, ""},
		{"box smaller than its header", append(ftyp, 0, 0, 0, 4, 'f', 'r', 'e', 'e'), false, nil, "size 4"},
		{"largesize past the parent", append(ftyp, append([]byte{0, 0, 0, 1, 'm', 'd', 'a', 't'}, binary.BigEndian.AppendUint64(nil, 1<<40)...)...), false, nil, "largesize"},
		{"nested too deep", append(ftyp, deep...), false, nil, "deeper"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 1000}, MediaMP4)
			err := walkBMFF(c, bytesSource(tc.data))
			if tc.warn == "" && err != nil || tc.warn != "" && (err == nil || !strings.Contains(err.Error(), tc.warn)) {
				t.Fatalf("err = %v, want one about %q", err, tc.warn)
			}
			if c.rep.HasC2PA != tc.hasC2PA {
				t.Errorf("hasC2PA = %v", c.rep.HasC2PA)
			}
			for k, v := range tc.fields {
				if got := c.rep.RawFields[k]; got != v {
					t.Errorf("%s = %q, want %q (all %v)", k, got, v, c.rep.RawFields)
				}
			}
		})
	}
}
