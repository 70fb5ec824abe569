package asset

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Range is a span of bytes in an asset.
type Range struct{ Start, Length int64 }

// End returns the offset just past r.
func (r Range) End() int64 { return r.Start + r.Length }

// Handler reads and writes the manifest store of one container format.
type Handler interface {
	// Format names the handler: "jpeg", "png", "riff", "sidecar", ...
	Format() string
	// MediaTypes lists the media types the handler serves, e.g. "image/jpeg".
	MediaTypes() []string
	// Sniff reports whether head, the first bytes of an asset (up to SniffLen), is this format.
	Sniff(head []byte) bool
	// ReadStore returns the embedded JUMBF manifest store reassembled from its
	// carrier segments; ErrNoStore when absent.
	ReadStore(r io.ReaderAt, size int64) ([]byte, error)
	// RemoteURL returns the remote manifest reference (XMP dcterms:provenance)
	// if the asset has one ("" otherwise).
	RemoteURL(r io.ReaderAt, size int64) (string, error)
	// Plan lays out the output of embedding a store of exactly storeLen bytes,
	// removing any store already embedded (storeLen 0 = only remove). It does
	// not read more of the input than the container structure needs.
	Plan(r io.ReaderAt, size int64, storeLen int) (*Plan, error)
	// BoxMap lists the asset's boxes in order for c2pa.hash.boxes (C2PA-NOTES
	// §4.2 names; the store as "C2PA").
	BoxMap(r io.ReaderAt, size int64) ([]BoxSpan, error)
}

// BoxSpan is one named box of an asset, as c2pa.hash.boxes names it.
type BoxSpan struct {
	Name  string
	Range Range
	// Excluded marks a placeholder for where a store will go (c2pa-rs's
	// synthetic "C2PA" entry when the asset has none yet).
	Excluded bool
}

// StoreBoxName is the BoxSpan name of the manifest store.
const StoreBoxName = "C2PA"

// SniffLen is how many leading bytes Detect gives to Sniff.
const SniffLen = 64

var registry struct {
	sync.RWMutex
	handlers []Handler
}

// Register adds a handler; format packages call it from init. A later
// handler for a media type already registered does not replace the first.
func Register(h Handler) {
	registry.Lock()
	defer registry.Unlock()
	registry.handlers = append(registry.handlers, h)
}

// Handlers returns the registered handlers in registration order.
func Handlers() []Handler {
	registry.RLock()
	defer registry.RUnlock()
	return slices.Clone(registry.handlers)
}

// Lookup returns the handler for a media type (case-insensitive, parameters
// such as "; charset" ignored) or a file extension ("jpg", ".webp").
func Lookup(mediaType string) (Handler, bool) {
	mt := strings.ToLower(strings.TrimSpace(mediaType))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	if !strings.Contains(mt, "/") {
		if t, ok := extensions[strings.TrimPrefix(mt, ".")]; ok {
			mt = t
		}
	}
	for _, h := range Handlers() {
		if slices.Contains(h.MediaTypes(), mt) {
			return h, true
		}
	}
	return nil, false
}

// extensions maps file extensions to the media types handlers list.
var extensions = map[string]string{
	"jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "jfif": "image/jpeg",
	"png":  "image/png",
	"webp": "image/webp", "wav": "audio/wav", "wave": "audio/wav", "avi": "video/avi",
	"c2pa": "application/c2pa",
	"tif":  "image/tiff", "tiff": "image/tiff", "dng": "image/x-adobe-dng", "gif": "image/gif", "svg": "image/svg+xml",
	"mp3": "audio/mpeg", "pdf": "application/pdf",
	"mp4": "video/mp4", "m4v": "video/x-m4v", "mov": "video/quicktime", "m4a": "audio/mp4", "heic": "image/heic", "heif": "image/heif", "avif": "image/avif",
}

// Detect picks the handler whose Sniff accepts the first bytes of the asset;
// ErrUnsupported when none does.
func Detect(r io.ReaderAt, size int64) (Handler, error) {
	n := min(size, SniffLen)
	head := make([]byte, n)
	if err := readFull(r, head, 0); err != nil {
		return nil, err
	}
	for _, h := range Handlers() {
		if h.Sniff(head) {
			return h, nil
		}
	}
	return nil, ErrUnsupported
}

// ReadAt reads n bytes at off, returning a *FormatError naming format when
// they run past size. It is the bounded read every handler uses.
func ReadAt(r io.ReaderAt, size int64, format string, off int64, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > size || n > size-off {
		return nil, Malformed(format, off, "%d bytes needed, %d left", n, max(size-off, 0))
	}
	buf := make([]byte, n)
	if err := readFull(r, buf, off); err != nil {
		return nil, Malformed(format, off, "reading %d bytes: %v", n, err)
	}
	return buf, nil
}

// readFull fills buf from r at off, accepting io.EOF with a full read.
func readFull(r io.ReaderAt, buf []byte, off int64) error {
	m, err := r.ReadAt(buf, off)
	if m == len(buf) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// Locator is implemented by handlers that can tell where the carrier of the
// embedded store is: the range c2pa-rs's get_object_locations reports, and
// what a c2pa.hash.data exclusion written for the asset covers.
type Locator interface {
	Locate(r io.ReaderAt, size int64) (Range, error)
}

// Locate returns the carrier range of the store embedded in the asset
// (ErrNoStore when there is none). Unlike Plan's Carrier, which is where a
// rewrite would put a store (c2pa-rs moves some stores when it rewrites),
// this is where the store is now.
func Locate(h Handler, r io.ReaderAt, size int64) (Range, error) {
	l, ok := h.(Locator)
	if !ok {
		return Range{}, fmt.Errorf("%w: %s handler cannot locate its store", ErrUnsupported, h.Format())
	}
	return l.Locate(r, size)
}

// MediaTypeSniffer is implemented by handlers that serve several media
// types and can tell which one an asset is from its first bytes.
type MediaTypeSniffer interface {
	SniffMediaType(head []byte) string
}

// DetectMediaType is Detect that also names the asset's media type: the
// handler's own reading of the first bytes when it has one, else its first
// media type.
func DetectMediaType(r io.ReaderAt, size int64) (Handler, string, error) {
	h, err := Detect(r, size)
	if err != nil {
		return nil, "", err
	}
	if mr, ok := h.(MediaTypeReader); ok {
		if mt := mr.ReadMediaType(r, size); mt != "" {
			return h, mt, nil
		}
	}
	if s, ok := h.(MediaTypeSniffer); ok {
		head := make([]byte, min(size, SniffLen))
		if err := readFull(r, head, 0); err != nil {
			return nil, "", err
		}
		if mt := s.SniffMediaType(head); mt != "" {
			return h, mt, nil
		}
	}
	return h, h.MediaTypes()[0], nil
}
