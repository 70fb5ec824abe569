package scan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on one XMP packet.
const (
	maxXMPBytes  = 4 << 20
	maxXMPDepth  = 64
	maxXMPTokens = 200_000
	maxXMPPerRun = 16 // packets per file; more are ignored
)

const (
	nsRDF   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS = "xmlns"
	nsMeta  = "adobe:ns:meta/"
)

// xmpFrame is one open element while walking an XMP packet.
type xmpFrame struct {
	path string // flattened property name ("" outside properties)
	text strings.Builder
	// container is true for rdf:Description, rdf:Seq/Bag/Alt and the
	// packet wrappers: their text is not a value.
	container bool
}

// parseXMP walks an XMP packet and calls emit for every simple property
// value, naming nested properties the way exiftool flattens them
// (xmpMM:History/stEvt:softwareAgent -> "HistorySoftwareAgent").
func parseXMP(data []byte, emit func(name, value string)) error {
	if len(data) > maxXMPBytes {
		return formatErr("xmp", maxXMPBytes, "packet of %d bytes exceeds %d", len(data), maxXMPBytes)
	}
	// Some writers pad the packet with NULs or append trailing bytes.
	if i := bytes.IndexByte(data, 0); i >= 0 {
		data = data[:i]
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var stack []*xmpFrame
	for tokens := 0; ; tokens++ {
		if tokens > maxXMPTokens {
			return formatErr("xmp", d.InputOffset(), "more than %d XML tokens", maxXMPTokens)
		}
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return formatErr("xmp", d.InputOffset(), "%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMPDepth {
				return formatErr("xmp", d.InputOffset(), "nesting deeper than %d", maxXMPDepth)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].path
			}
			f := &xmpFrame{path: parent}
			switch {
			case t.Name.Space == nsRDF || t.Name.Space == nsMeta || t.Name.Local == "xmpmeta" || t.Name.Local == "RDF":
				f.container = true
			default:
				f.path = joinXMPName(parent, t.Name.Local)
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == nsRDF && a.Name.Local == "resource":
					emit(f.path, a.Value)
				case a.Name.Space == nsRDF, a.Name.Space == nsXML, a.Name.Space == nsXMLNS, a.Name.Space == "" && a.Name.Local == "xmlns",
					a.Name.Space == nsMeta, a.Name.Space == "" && !f.container:
				default:
					emit(joinXMPName(f.path, a.Name.Local), a.Value)
				}
			}
			stack = append(stack, f)
		case xml.CharData:
			if len(stack) > 0 {
				f := stack[len(stack)-1]
				if f.text.Len() < maxXMPBytes {
					f.text.Write(t)
				}
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return formatErr("xmp", d.InputOffset(), "unbalanced end element %s", t.Name.Local)
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			isLi := t.Name.Space == nsRDF && t.Name.Local == "li"
			if (!f.container || isLi) && f.path != "" {
				if v := strings.TrimSpace(f.text.String()); v != "" {
					emit(f.path, v)
				}
			}
		}
	}
}

// joinXMPName appends a property's local name to its parent's flattened
// name, capitalised as exiftool writes tag names.
func joinXMPName(parent, local string) string {
	r, n := utf8.DecodeRuneInString(local)
	if n == 0 {
		return parent
	}
	return parent + string(unicode.ToUpper(r)) + local[n:]
}

// xmp parses one XMP packet found at where and records its fields.
func (c *collector) xmp(data []byte, where string) {
	c.rep.HasXMP = true
	c.xmpN++
	if c.xmpN > maxXMPPerRun {
		return
	}
	err := parseXMP(data, func(name, value string) {
		switch name {
		case "ThumbnailsImage", "Image", "HistoryChanged", "DocumentAncestors", "HdrPlusMakernote", "Data":
			return // bulky binary or lists that say nothing about origin
		}
		c.field("xmp", "XMP:"+name, value)
		if name == "Provenance" {
			// A URL names a remote store; "self#jumbf=..." points into an
			// embedded one (often a leftover of a stripped manifest).
			if strings.HasPrefix(value, "https://") || strings.HasPrefix(value, "http://") {
				c.remoteRef = true
			}
			c.addEvidence(Evidence{Source: "xmp", Field: "XMP:Provenance", Value: value, Indicates: IndicatesC2PAPresent})
		}
	})
	if err != nil {
		c.warn(errors.Join(errors.New(where+":"), err))
	}
}

// walkXMPSidecar reads an XMP sidecar file as one packet.
func walkXMPSidecar(c *collector, src *source) error {
	p, err := src.readUpTo("xmp", 0, maxXMPBytes)
	if err != nil {
		return err
	}
	c.xmp(p, "xmp sidecar")
	return nil
}
