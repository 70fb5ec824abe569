package scan

import (
	"bytes"
)

// pdfWindow is how much of the start and of the end of a PDF is searched:
// PDF has no cheap metadata index short of parsing its object graph, so the
// scanner looks where writers put the XMP stream and the C2PA embedded file.
const pdfWindow = 4 << 20

// walkPDF looks for an embedded C2PA manifest store (an embedded file with
// subtype application/c2pa or AFRelationship C2PA_Manifest) and an
// uncompressed XMP metadata stream in the first and last pdfWindow bytes.
func walkPDF(c *collector, src *source) error {
	windows := [][2]int64{{0, min(pdfWindow, src.size)}}
	if src.size > pdfWindow {
		tail := max(src.size-pdfWindow, pdfWindow)
		windows = append(windows, [2]int64{tail, src.size - tail})
	}
	for _, w := range windows {
		p, err := src.read("pdf", w[0], w[1])
		if err != nil {
			return err
		}
		if bytes.Contains(p, []byte("/C2PA_Manifest")) || bytes.Contains(p, []byte("/application#2Fc2pa")) ||
			bytes.Contains(p, []byte("/application#2Fx-c2pa-manifest-store")) {
			c.foundC2PA("pdf-embedded-file")
		}
		for rest := p; ; {
			i := bytes.Index(rest, []byte("<x:xmpmeta"))
			if i < 0 {
				break
			}
			j := bytes.Index(rest[i:], []byte("</x:xmpmeta>"))
			if j < 0 {
				break
			}
			c.xmp(rest[i:i+j+len("</x:xmpmeta>")], "pdf metadata stream")
			rest = rest[i+j:]
		}
	}
	return nil
}
