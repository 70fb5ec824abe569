package scan

import "testing"

func TestIIM(t *testing.T) {
	irb := func(iim []byte) []byte {
		p := []byte("8BIM\x04\x04\x00\x00")
		p = append(p, byte(len(iim)>>24), byte(len(iim)>>16), byte(len(iim)>>8), byte(len(iim)))
		return append(p, iim...)
	}
	cases := []struct {
		name   string
		irb    []byte
		credit string
		warn   bool
	}{
		{"credit", irb([]byte("\x1c\x02\x6e\x00\x05Adobe")), "Adobe", false},
		{"latin-1 text", irb([]byte("\x1c\x02\x6e\x00\x04Caf\xe9")), "Café", false},
		{"dataset overruns", irb([]byte("\x1c\x02\x6e\x00\xffAdobe")), "", true},
		{"resource overruns", []byte("8BIM\x04\x04\x00\x00\x00\x00\xff\xff\x1c"), "", true},
		{"not a resource", []byte("junkjunkjunkjunk"), "", false},
		{"extended length stops", irb([]byte("\x1c\x02\x6e\x80\x04\x00\x00\x00\x01A")), "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(Options{MaxFieldBytes: 100}, MediaJPEG)
			c.photoshopResources(tc.irb)
			if got := c.rep.RawFields["IPTC:Credit"]; got != tc.credit {
				t.Errorf("credit = %q, want %q", got, tc.credit)
			}
			if (len(c.rep.Warnings) > 0) != tc.warn {
				t.Errorf("warnings %q", c.rep.Warnings)
			}
		})
	}
}
