package scan

import (
	"encoding/binary"
	"testing"
)

func id3Frame(id string, body []byte) []byte {
	return append(append([]byte(id), binary.BigEndian.AppendUint32(nil, uint32(len(body)))...), append([]byte{0, 0}, body...)...)
}

func id3Tag(frames ...[]byte) []byte {
	var body []byte
	for _, f := range frames {
		body = append(body, f...)
	}
	body = append(body, make([]byte, 16)...) // padding
	n := len(body)
	h := []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
	return append(append(h, body...), 0xFF, 0xFB, 0x90, 0x64)
}

func TestID3(t *testing.T) {
	utf16 := []byte{1, 0xFF, 0xFE, 'A', 0, 'I', 0, 0, 0, 0xFF, 0xFE, 'y', 0, 'e', 0, 's', 0}
	cases := []struct {
		name    string
		data    []byte
		hasC2PA bool
		fields  map[string]string
		err     bool
	}{
		{"GEOB c2pa, TSSE, TXXX", id3Tag(
			id3Frame("GEOB", []byte("\x00application/c2pa\x00c2pa\x00c2pa manifest store\x00jumb")),
			id3Frame("TSSE", []byte("\x00Suno v4")),
			id3Frame("TXXX", []byte("\x00generator\x00Udio")),
			id3Frame("TXXX", utf16)),
			true, map[string]string{"ID3:TSSE": "Suno v4", "ID3:TXXX:generator": "Udio", "ID3:TXXX:AI": "yes"}, false},
		{"GEOB of another type", id3Tag(id3Frame("GEOB", []byte("\x00image/png\x00x\x00y\x00"))), false, nil, false},
		{"frame overruns the tag", append([]byte("ID3\x03\x00\x00\x00\x00\x00\x14TSSE\x00\x00\x10\x00\x00\x00"), make([]byte, 10)...), false, nil, true},
		{"not ID3", []byte{0xFF, 0xFB, 0x90, 0x64}, false, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 1000}, MediaMP3)
			err := walkMP3(c, bytesSource(tc.data))
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
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
