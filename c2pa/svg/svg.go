package svg

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "svg"

// Namespace is the namespace c2pa-rs declares for the c2pa prefix.
const Namespace = "http://c2pa.org/manifest"

// maxSize bounds the documents the handler reads: the largest store, base64
// encoded, with room for the drawing.
const maxSize = 2 * asset.MaxStoreSize

// xmpID is the xpacket id of an XMP packet.
const xmpID = "W5M0MpCehiHzreSzNTczkc9d"

// Handler implements asset.Handler for SVG.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "svg".
func (Handler) Format() string { return Format }

// MediaTypes returns the SVG media types c2pa-rs serves.
func (Handler) MediaTypes() []string { return []string{"image/svg+xml", "application/svg+xml"} }

// Sniff reports whether head looks like an SVG document: an <svg> tag, or
// an XML declaration or SVG doctype (the tag may lie past SniffLen).
func (Handler) Sniff(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return bytes.HasPrefix(t, []byte("<svg")) || bytes.HasPrefix(t, []byte("<?xml")) ||
		bytes.HasPrefix(t, []byte("<!DOCTYPE svg")) || bytes.Contains(t, []byte("<svg"))
}

// doc is what one pass over the document finds, in input offsets.
type doc struct {
	data []byte
	// rootEnd is the offset of the '>' closing the <svg> start tag (-1
	// when the root is not an open <svg> element); rootHasNS reports an
	// xmlns:c2pa attribute on it.
	rootEnd   int64
	rootHasNS bool
	// metadata is the offset after the first <metadata> start tag under
	// the root (-1 when none).
	metadata int64
	// manifests are the <c2pa:manifest> elements under svg/metadata.
	manifests []manifest
	// xmp is the XMP packet, from its xpacket begin to its end instruction.
	xmp []byte
}

// manifest is one <c2pa:manifest> element.
type manifest struct {
	start, contentStart, end int64 // element start, after its start tag, after its end tag
	text                     *asset.Range
	value                    string // text, entities decoded
}

// qname is a raw element name as written (prefix:local).
func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// parse reads the document and tokenises it as c2pa-rs does: elements by
// their raw names, only text (not CDATA) as manifest content, the last
// text of the last manifest element winning.
func parse(r io.ReaderAt, size int64) (*doc, error) {
	if size > maxSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "SVG of %d bytes", size)
	}
	data, err := asset.ReadAt(r, size, Format, 0, size)
	if err != nil {
		return nil, err
	}
	d := &doc{data: data, rootEnd: -1, metadata: -1}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var path []string
	inManifest := func() bool {
		return len(path) == 3 && path[0] == "svg" && path[1] == "metadata" && path[2] == "c2pa:manifest"
	}
	var xmpStart int64 = -1
	skipEnd := false
	for {
		start := dec.InputOffset()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, asset.Malformed(Format, dec.InputOffset(), "XML invalid: %v", err)
		}
		end := dec.InputOffset()
		switch t := tok.(type) {
		case xml.StartElement:
			if end >= 2 && data[end-2] == '/' {
				skipEnd = true // <x/>: an empty element, not opened
				continue
			}
			path = append(path, qname(t.Name))
			switch {
			case len(path) == 1 && path[0] == "svg":
				d.rootEnd = end - 1
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == "c2pa" {
						d.rootHasNS = true
					}
				}
			case len(path) == 2 && path[0] != "svg":
				return nil, asset.Malformed(Format, start, "invalid tag structure: root element must be \"svg\", found %q", path[0])
			case len(path) == 2 && path[1] == "metadata" && d.metadata < 0:
				d.metadata = end
			case inManifest():
				d.manifests = append(d.manifests, manifest{start: start, contentStart: end, end: -1})
			}
		case xml.EndElement:
			if skipEnd {
				skipEnd = false
				continue
			}
			if inManifest() {
				d.manifests[len(d.manifests)-1].end = end
			}
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		case xml.CharData:
			if inManifest() && !bytes.HasPrefix(data[start:], []byte("<![CDATA[")) {
				m := &d.manifests[len(d.manifests)-1]
				m.text = &asset.Range{Start: start, Length: end - start}
				m.value = string(t)
			}
		case xml.ProcInst:
			if t.Target != "xpacket" {
				continue
			}
			if bytes.Contains(t.Inst, []byte(xmpID)) {
				xmpStart = start
			} else if xmpStart >= 0 && d.xmp == nil {
				d.xmp = data[xmpStart:end]
			}
		}
	}
	return d, nil
}

// current returns the manifest element c2pa-rs reads: the last one with
// text (nil when none has).
func (d *doc) current() *manifest {
	for i := len(d.manifests) - 1; i >= 0; i-- {
		if d.manifests[i].text != nil {
			return &d.manifests[i]
		}
	}
	return nil
}

// ReadStore decodes the base64 text of the <c2pa:manifest> element; an
// empty one is no store.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	d, err := parse(r, size)
	if err != nil {
		return nil, err
	}
	m := d.current()
	if m == nil {
		return nil, asset.ErrNoStore
	}
	store, err := base64.StdEncoding.DecodeString(m.value)
	if err != nil {
		return nil, asset.Malformed(Format, m.text.Start, "XML bad base64 encoding")
	}
	if len(store) == 0 {
		return nil, asset.ErrNoStore
	}
	return store, nil
}

// Locate returns the exclusion c2pa-rs computes for the store: from the
// end of the <c2pa:manifest> start tag, the length of the store's base64.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	d, err := parse(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	m := d.current()
	if m == nil {
		return asset.Range{}, asset.ErrNoStore
	}
	store, err := base64.StdEncoding.DecodeString(m.value)
	if err != nil {
		return asset.Range{}, asset.Malformed(Format, m.text.Start, "XML bad base64 encoding")
	}
	if len(store) == 0 {
		return asset.Range{}, asset.ErrNoStore
	}
	return asset.Range{Start: m.contentStart, Length: int64(base64.StdEncoding.EncodedLen(len(store)))}, nil
}

// RemoteURL returns dcterms:provenance from the document's XMP packet.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	d, err := parse(r, size)
	if err != nil {
		return "", err
	}
	return asset.RemoteURLFromXMP(d.xmp), nil
}

// BoxMap is not supported: c2pa-rs has no box hash for SVG.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "SVG has no box map")
}

// CarrierSize returns the length of the base64 text of a store of storeLen
// bytes.
func CarrierSize(storeLen int) int64 { return int64(base64.StdEncoding.EncodedLen(storeLen)) }

func wrap(store []byte) ([]byte, error) {
	return []byte(base64.StdEncoding.EncodeToString(store)), nil
}

const (
	openTag  = "<c2pa:manifest>"
	closeTag = "</c2pa:manifest>"
)

// Plan replaces the text of the manifest element (or fills an empty one),
// else inserts <c2pa:manifest> as the first child of the first <metadata>
// under the root, else a <metadata> holding it as the root's first child,
// declaring xmlns:c2pa on the root when it is missing. storeLen 0 removes
// every manifest element. Nothing else of the document changes.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	d, err := parse(r, size)
	if err != nil {
		return nil, err
	}
	var edits []asset.Edit
	if storeLen == 0 {
		for _, m := range d.manifests {
			if m.end < 0 {
				return nil, asset.Malformed(Format, m.start, "unclosed <c2pa:manifest>")
			}
			edits = append(edits, asset.Edit{At: asset.Range{Start: m.start, Length: m.end - m.start}})
		}
		return asset.Build(Format, size, 0, 0, wrap, edits)
	}
	if d.rootEnd < 0 {
		return nil, asset.Malformed(Format, 0, "no <svg> root element to hold a manifest")
	}
	if !d.rootHasNS {
		edits = append(edits, asset.Edit{At: asset.Range{Start: d.rootEnd}, Literal: []byte(` xmlns:c2pa="` + Namespace + `"`)})
	}
	switch m := d.current(); {
	case m != nil:
		edits = append(edits, asset.Edit{At: *m.text, Store: true})
	case len(d.manifests) > 0:
		last := d.manifests[len(d.manifests)-1]
		edits = append(edits, asset.Edit{At: asset.Range{Start: last.contentStart}, Store: true})
	case d.metadata >= 0:
		edits = append(edits,
			asset.Edit{At: asset.Range{Start: d.metadata}, Literal: []byte(openTag)},
			asset.Edit{At: asset.Range{Start: d.metadata}, Store: true, Literal: []byte(closeTag)})
	default:
		edits = append(edits,
			asset.Edit{At: asset.Range{Start: d.rootEnd + 1}, Literal: []byte("<metadata>" + openTag)},
			asset.Edit{At: asset.Range{Start: d.rootEnd + 1}, Store: true, Literal: []byte(closeTag + "</metadata>")})
	}
	return asset.Build(Format, size, storeLen, CarrierSize(storeLen), wrap, edits)
}
