package scan

import (
	"encoding/binary"
	"errors"
	"testing"
)

// tiffBytes builds a little-endian TIFF with the given IFDs; each IFD is a
// list of (tag, type, count, value/offset) entries and a next pointer.
func tiffBytes(ifds ...[]uint32) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	for _, ifd := range ifds {
		n := (len(ifd) - 1) / 4
		b = binary.LittleEndian.AppendUint16(b, uint16(n))
		for i := 0; i < n; i++ {
			b = binary.LittleEndian.AppendUint16(b, uint16(ifd[4*i]))
			b = binary.LittleEndian.AppendUint16(b, uint16(ifd[4*i+1]))
			b = binary.LittleEndian.AppendUint32(b, ifd[4*i+2])
			b = binary.LittleEndian.AppendUint32(b, ifd[4*i+3])
		}
		b = binary.LittleEndian.AppendUint32(b, ifd[len(ifd)-1])
	}
	return b
}

func TestTIFFWalk(t *testing.T) {
	cases := []struct {
		name     string
		data     []byte
		hasC2PA  bool
		software string
		err      bool
	}{
		{"software inline", tiffBytes([]uint32{tagSoftware, 2, 4, 0x00494141, 0}), false, "AAI", false},
		// IFD0 points at itself: the walk must stop.
		{"self loop", tiffBytes([]uint32{tagSoftware, 2, 4, 0x00494141, 8}), false, "AAI", false},
		{"c2pa in second IFD", tiffBytes([]uint32{tagSoftware, 2, 2, 0x41, 26}, []uint32{tagC2PA, 7, 4, 0x61706332, 0}), true, "A", false},
		{"count overflows the file", tiffBytes([]uint32{tagSoftware, 2, 0xFFFFFFF0, 100, 0}), false, "", false},
		{"entry count past the end", append([]byte("II*\x00\x08\x00\x00\x00"), 0xFF, 0x0F), false, "", true},
		{"bad magic", []byte("II\x2b\x01\x08\x00\x00\x00"), false, "", true},
		{"exif IFD loop to IFD0", tiffBytes([]uint32{tagExifIFD, 4, 1, 8, 0}), false, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 100}, MediaTIFF)
			err := c.walkTIFFBlock(bytesSource(tc.data), "tiff")
			var fe *FormatError
			if tc.err != errors.As(err, &fe) {
				t.Fatalf("err = %v, want FormatError: %v", err, tc.err)
			}
			if c.rep.HasC2PA != tc.hasC2PA {
				t.Errorf("hasC2PA = %v", c.rep.HasC2PA)
			}
			if got := c.rep.RawFields["EXIF:Software"]; got != tc.software {
				t.Errorf("software = %q, want %q", got, tc.software)
			}
		})
	}
}

func TestDecodeUserComment(t *testing.T) {
	be := append([]byte("UNICODE\x00"), 0, 'H', 0, 'i')
	le := append([]byte("UNICODE\x00"), 'H', 0, 'i', 0)
	cases := []struct {
		in   []byte
		want string
	}{
		{append([]byte("ASCII\x00\x00\x00"), "Steps: 20"...), "Steps: 20"},
		{be, "Hi"},
		{le, "Hi"},
		{[]byte("short"), "short"},
	}
	for _, tc := range cases {
		if got := decodeUserComment(tc.in); got != tc.want {
			t.Errorf("decodeUserComment(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
