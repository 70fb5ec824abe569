package scan

import (
	"bytes"
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
	if bytes.Contains(p, []byte("<c2pa:manifest")) {
		c.foundC2PA("svg-c2pa-manifest")
	}
	if i := bytes.Index(p, []byte("<x:xmpmeta")); i >= 0 {
		if j := bytes.Index(p[i:], []byte("</x:xmpmeta>")); j >= 0 {
			c.xmp(p[i:i+j+len("</x:xmpmeta>")], "svg metadata")
		}
	}
	return nil
}
