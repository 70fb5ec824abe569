package scan

import (
	"encoding/binary"
	"testing"
)

func riffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

func riffFile(form string, chunks ...[]byte) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	return riffChunk("RIFF", append([]byte(form), body...))
}

func TestRIFF(t *testing.T) {
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" I:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>`
	info := riffChunk("LIST", append([]byte("INFO"), append(riffChunk("ISFT", []byte("Suno v4\x00")), riffChunk("ICMT", []byte("odd"))...)...))
	bext := make([]byte, 602)
	copy(bext, "Generated with AI")
	copy(bext[256:], "ElevenLabs")
	exif := append([]byte("Exif\x00\x00"), tiffBytes([]uint32{tagSoftware, 2, 4, 0x00494141, 0})...)
	cases := []struct {
		name    string
		data    []byte
		hasC2PA bool
		fields  map[string]string
		dst     bool
		err     bool
	}{
		{"wav", riffFile("WAVE", riffChunk("fmt ", make([]byte, 16)), info, riffChunk("bext", bext), riffChunk("_PMX", []byte(xmp)),
			riffChunk("data", make([]byte, 1001)), riffChunk("C2PA", []byte("jumb"))), true,
			map[string]string{"RIFF:ISFT": "Suno v4", "RIFF:ICMT": "odd", "RIFF:BextDescription": "Generated with AI", "RIFF:BextOriginator": "ElevenLabs"}, true, false},
		{"webp exif with header", riffFile("WEBP", riffChunk("VP8X", make([]byte, 10)), riffChunk("EXIF", exif), riffChunk("XMP ", []byte(xmp))), false,
			map[string]string{"EXIF:Software": "AAI"}, true, false},
		{"empty C2PA chunk is no store", riffFile("WEBP", riffChunk("C2PA", nil)), false, nil, false, false},
		{"last chunk cut short", append(riffFile("WAVE", riffChunk("fmt ", make([]byte, 16))), []byte("LIST\xff\xff\x00\x00INFOISFT\x04\x00\x00\x00ab")...), false, nil, false, false},
		{"header only", []byte("RIFF\x04\x00\x00\x00WAVE"), false, nil, false, false},
		{"too short", []byte("RIFF"), false, nil, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 1000}, MediaWAV)
			err := walkRIFF(c, bytesSource(tc.data))
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
			}
			c.finish()
			if c.rep.HasC2PA != tc.hasC2PA {
				t.Errorf("hasC2PA = %v", c.rep.HasC2PA)
			}
			for k, v := range tc.fields {
				if got := c.rep.RawFields[k]; got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if tc.dst != (len(c.rep.DigitalSourceTypes) == 1) {
				t.Errorf("source types %v", c.rep.DigitalSourceTypes)
			}
			if tc.name == "wav" && (c.rep.AIModel == nil || *c.rep.AIModel != "suno") {
				t.Errorf("aiModel %v, want suno (RIFF:ISFT)", c.rep.AIModel)
			}
		})
	}
}
