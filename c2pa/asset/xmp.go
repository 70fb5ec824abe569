package asset

import (
	"bytes"
	"html"
	"strings"
)

// ProvenanceFromXMP returns the dcterms:provenance value of an XMP packet,
// the URL of a remote manifest store (C2PA-NOTES §5.2), or "". Both the
// attribute form (dcterms:provenance="...") and the element form
// (<dcterms:provenance>...</dcterms:provenance>) are read.
func ProvenanceFromXMP(xmp []byte) string {
	name := []byte("dcterms:provenance")
	for pos := 0; ; {
		i := bytes.Index(xmp[pos:], name)
		if i < 0 {
			return ""
		}
		start := pos + i
		pos = start + len(name)
		after := xmp[pos:]
		var prev byte
		if start > 0 {
			prev = xmp[start-1]
		}
		switch prev {
		case '/': // closing tag
			continue
		case '<': // element: text up to the next tag
			gt := bytes.IndexByte(after, '>')
			if gt < 0 || (gt > 0 && after[gt-1] == '/') {
				continue
			}
			text := after[gt+1:]
			if lt := bytes.IndexByte(text, '<'); lt >= 0 {
				if v := bytes.TrimSpace(text[:lt]); len(v) > 0 {
					return html.UnescapeString(string(v))
				}
			}
		default: // attribute: ="value" or ='value'
			v := bytes.TrimLeft(after, " \t\r\n")
			if len(v) == 0 || v[0] != '=' {
				continue
			}
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
				continue
			}
			if end := bytes.IndexByte(v[1:], v[0]); end >= 0 {
				return html.UnescapeString(string(v[1 : 1+end]))
			}
		}
	}
}

// RemoteURLFromXMP returns the provenance of an XMP packet when it points
// outside the asset; a self#jumbf= reference (left behind when a store was
// stripped) is not a remote manifest and gives "".
func RemoteURLFromXMP(xmp []byte) string {
	p := ProvenanceFromXMP(xmp)
	if strings.HasPrefix(p, "self#jumbf=") {
		return ""
	}
	return p
}
