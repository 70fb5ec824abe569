package scan

import (
	"bytes"
	"encoding/base64"
)

// maxSVGScan bounds how much of an SVG document is searched for metadata.
const maxSVGScan = 4 << 20

// walkSVG looks for the C2PA manifest element and an XMP packet in the
// first maxSVGScan bytes of an SVG document.
func walkSVG(c *collector, src *source) error {
	p, err := src.readUpTo("svg", 0, maxSVGScan)
	if err != nil {
		return err
	}
	if i := bytes.Index(p, []byte("<c2pa:manifest")); i >= 0 {
		if j := bytes.IndexByte(p[i:], '>'); j >= 0 && svgHoldsJUMBF(p[i+j+1:]) {
			c.foundC2PA("svg-c2pa-manifest")
		}
	}
	if i := bytes.Index(p, []byte("<x:xmpmeta")); i >= 0 {
		if j := bytes.Index(p[i:], []byte("</x:xmpmeta>")); j >= 0 {
			c.xmp(p[i:i+j+len("</x:xmpmeta>")], "svg metadata")
		}
	}
	return nil
}

// svgHoldsJUMBF reports whether the base64 text that starts p decodes to a
// JUMBF superbox, the start of a real manifest store.
func svgHoldsJUMBF(p []byte) bool {
	var b64 []byte
	for _, ch := range p {
		if len(b64) == 24 || ch == '<' {
			break
		}
		if ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t' {
			b64 = append(b64, ch)
		}
	}
	head := make([]byte, 18)
	n, _ := base64.StdEncoding.Decode(head, b64)
	return n >= 8 && string(head[4:8]) == "jumb"
}
