package scan

import (
	"encoding/binary"
	"strings"
	"testing"
)

func jpegSegment(marker byte, payload []byte) []byte {
	return append([]byte{0xFF, marker, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
}

func jpegFile(segments ...[]byte) []byte {
	b := []byte{0xFF, 0xD8}
	for _, s := range segments {
		b = append(b, s...)
	}
	// SOS, a little entropy-coded data, EOI
	return append(append(b, jpegSegment(0xDA, make([]byte, 10))...), 0x12, 0x34, 0xFF, 0xD9)
}

func TestJPEG(t *testing.T) {
	const guid = "0123456789ABCDEF0123456789ABCDEF"
	main := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="` + guid + `"/></rdf:RDF></x:xmpmeta>`
	ext := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><I:AISystemUsed>Imagen 3</I:AISystemUsed></rdf:Description></rdf:RDF></x:xmpmeta>`
	extChunk := func(at int, part string) []byte {
		p := append([]byte{}, jpegExtXMPID...)
		p = append(p, guid...)
		p = binary.BigEndian.AppendUint32(p, uint32(len(ext)))
		p = binary.BigEndian.AppendUint32(p, uint32(at))
		return jpegSegment(0xE1, append(p, part...))
	}
	half := len(ext) / 2
	app11 := append([]byte("JP\x02\x11\x00\x00\x00\x01"), []byte("\x00\x00\x10\x00jumb\x00\x00\x00\x20jumdc2pa\x00\x11\x00\x10\x80\x00\xaa\x00\x38\x9b\x71\x03c2pa\x00")...)
	cases := []struct {
		name    string
		data    []byte
		hasC2PA bool
		fields  map[string]string
		err     string
	}{
		{"extended XMP out of order, comment, APP11 C2PA", jpegFile(
			jpegSegment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")),
			jpegSegment(0xEB, app11),
			jpegSegment(0xE1, append(append([]byte{}, jpegXMPID...), main...)),
			extChunk(half, ext[half:]), extChunk(0, ext[:half]),
			jpegSegment(0xFE, []byte("Created with AI"))),
			true, map[string]string{"XMP:AISystemUsed": "Imagen 3", "JPEG:Comment": "Created with AI", "XMP:HasExtendedXMP": guid}, ""},
		{"a missing extended chunk keeps the main packet", jpegFile(
			jpegSegment(0xE1, append(append([]byte{}, jpegXMPID...), main...)), extChunk(half, ext[half:])),
			false, map[string]string{"XMP:HasExtendedXMP": guid}, ""},
		{"APP11 that is not C2PA", jpegFile(jpegSegment(0xEB, []byte("JP\x02\x11\x00\x00\x00\x01\x00\x00\x00\x10jumb\x00\x00\x00\x20jumdxxxx"))), false, nil, ""},
		{"fill bytes and restart markers", append([]byte{0xFF, 0xD8, 0xFF, 0xFF, 0xFF, 0xD0}, jpegFile(jpegSegment(0xFE, []byte("ok")))[2:]...), false, map[string]string{"JPEG:Comment": "ok"}, ""},
		{"segment length 1", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, false, nil, "segment length"},
		{"segment past the end", []byte{0xFF, 0xD8, 0xFF, 0xFE, 0x10, 0x00, 'a'}, false, nil, "bytes needed"},
		{"garbage instead of a marker", []byte{0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00}, false, nil, "expected a marker"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 1000}, MediaJPEG)
			err := walkJPEG(c, bytesSource(tc.data))
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want %q", err, tc.err)
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
