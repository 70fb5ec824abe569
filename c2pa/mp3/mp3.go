package mp3

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "mp3"

// MIMEType is the GEOB MIME type of a manifest store; mimeDeprecated is
// the one older writers used.
const (
	MIMEType       = "application/c2pa"
	mimeDeprecated = "application/x-c2pa-manifest-store"
	fileName       = "c2pa"
	description    = "c2pa manifest store"
)

// maxTagSize is the largest size an ID3v2 header can state (28 bits).
const maxTagSize = 1<<28 - 1

// Handler implements asset.Handler for MP3.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "mp3".
func (Handler) Format() string { return Format }

// MediaTypes returns the MP3 media types c2pa-rs serves.
func (Handler) MediaTypes() []string {
	return []string{"audio/mpeg", "audio/mp3", "audio/x-mp3", "audio/mpeg3"}
}

// Sniff reports whether head starts with an ID3v2 tag or an MPEG audio
// frame sync.
func (Handler) Sniff(head []byte) bool {
	return bytes.HasPrefix(head, []byte("ID3")) || (len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0)
}

// tag is a parsed ID3v2 tag.
type tag struct {
	major  byte
	end    int64 // offset after the tag (header + size; a v2.4 footer is not counted, as in c2pa-rs)
	frames []frame
	raw    []byte // the tag as stored, header included
}

// frame is one frame with its data decoded (unsynchronisation undone; a
// compressed frame's data left compressed, flagged).
type frame struct {
	id         string
	flags      uint16 // as stored
	data       []byte // after unsynchronisation, before decompression
	store      bool   // a GEOB with a C2PA MIME type
	geobObject []byte // the GEOB object of a store frame
}

func syncsafe(b []byte) int64 {
	return int64(b[0]&0x7F)<<21 | int64(b[1]&0x7F)<<14 | int64(b[2]&0x7F)<<7 | int64(b[3]&0x7F)
}

func putSyncsafe(n int64) []byte {
	return []byte{byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
}

// resync undoes unsynchronisation: FF 00 becomes FF.
func resync(b []byte) []byte {
	if !bytes.Contains(b, []byte{0xFF, 0x00}) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0 {
			i++
		}
	}
	return out
}

// readTag returns the ID3v2 tag at the start of the file (nil when there
// is none). A tag that does not parse is an error wrapping ErrNoStore:
// c2pa-rs reads no store from it.
func readTag(r io.ReaderAt, size int64) (*tag, error) {
	if size < 10 {
		return nil, nil
	}
	hdr, err := asset.ReadAt(r, size, Format, 0, 10)
	if err != nil {
		return nil, err
	}
	if string(hdr[:3]) != "ID3" {
		return nil, nil
	}
	bad := func(off int64, msg string, args ...any) error {
		return asset.NewError(asset.ErrNoStore, Format, off, msg, args...)
	}
	t := &tag{major: hdr[3], end: 10 + syncsafe(hdr[6:10])}
	if t.end > size {
		return nil, bad(6, "ID3 tag of %d bytes runs past the end", t.end)
	}
	if t.raw, err = asset.ReadAt(r, size, Format, 0, t.end); err != nil {
		return nil, err
	}
	if t.major < 2 || t.major > 4 {
		return t, bad(3, "ID3v2.%d is not supported", t.major)
	}
	flags := hdr[5]
	body := t.raw[10:]
	if flags&0x80 != 0 && t.major < 4 {
		body = resync(body)
	}
	pos := 0
	if flags&0x40 != 0 && t.major > 2 {
		if len(body) < 4 {
			return t, bad(10, "truncated extended header")
		}
		n := int64(binary.BigEndian.Uint32(body))
		if t.major == 4 {
			n = syncsafe(body)
		} else {
			n += 4
		}
		if n > int64(len(body)) {
			return t, bad(10, "extended header of %d bytes", n)
		}
		pos = int(n)
	}
	hsize := 10
	if t.major == 2 {
		hsize = 6
	}
	for pos+hsize <= len(body) && body[pos] != 0 {
		var f frame
		var n int64
		if t.major == 2 {
			f.id = string(body[pos : pos+3])
			n = int64(body[pos+3])<<16 | int64(body[pos+4])<<8 | int64(body[pos+5])
		} else {
			f.id = string(body[pos : pos+4])
			f.flags = binary.BigEndian.Uint16(body[pos+8:])
			if t.major == 4 {
				n = syncsafe(body[pos+4:])
			} else {
				n = int64(binary.BigEndian.Uint32(body[pos+4:]))
			}
		}
		start := pos + hsize
		if n > int64(len(body)-start) {
			return t, bad(10+int64(pos), "frame %q of %d bytes runs past the tag", f.id, n)
		}
		f.data = body[start : start+int(n)]
		if t.major == 4 && (flags&0x80 != 0 || f.flags&0x02 != 0) {
			f.data = resync(f.data)
		}
		if f.id == "GEOB" || f.id == "GEO" {
			if err := f.decodeGEOB(t.major); err != nil {
				return t, bad(10+int64(pos), "GEOB frame: %v", err)
			}
		}
		t.frames = append(t.frames, f)
		pos = start + int(n)
	}
	return t, nil
}

// decodeGEOB decodes a GEOB frame's payload (after the frame flags' extra
// bytes) and marks it a store when its MIME type is C2PA's.
func (f *frame) decodeGEOB(major byte) error {
	d := f.data
	var compressed, encrypted bool
	switch major {
	case 3:
		compressed, encrypted = f.flags&0x0080 != 0, f.flags&0x0040 != 0
		if compressed {
			d = skip(d, 4)
		}
		if encrypted {
			d = skip(d, 1)
		}
		if f.flags&0x0020 != 0 {
			d = skip(d, 1)
		}
	case 4:
		compressed, encrypted = f.flags&0x0008 != 0, f.flags&0x0004 != 0
		if f.flags&0x0040 != 0 {
			d = skip(d, 1)
		}
		if encrypted {
			d = skip(d, 1)
		}
		if f.flags&0x0001 != 0 {
			d = skip(d, 4)
		}
	}
	if d == nil {
		return errShort
	}
	if encrypted {
		return nil // cannot be read; not a store
	}
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(d))
		if err != nil {
			return err
		}
		out, err := io.ReadAll(io.LimitReader(zr, asset.MaxStoreSize+1))
		if err != nil {
			return err
		}
		if len(out) > asset.MaxStoreSize {
			return errLarge
		}
		d = out
	}
	if len(d) < 1 {
		return errShort
	}
	enc, d := d[0], d[1:]
	mime, d, ok := cutString(d, 0)
	if !ok {
		return errShort
	}
	for range 2 { // filename, description
		if _, d, ok = cutString(d, enc); !ok {
			return errShort
		}
	}
	if string(mime) == MIMEType || string(mime) == mimeDeprecated {
		f.store, f.geobObject = true, d
	}
	return nil
}

type geobError string

func (e geobError) Error() string { return string(e) }

const (
	errShort = geobError("truncated")
	errLarge = geobError("decompresses past the store limit")
)

// skip drops n leading bytes (nil when there are fewer).
func skip(b []byte, n int) []byte {
	if b == nil || len(b) < n {
		return nil
	}
	return b[n:]
}

// cutString splits a terminated string in text encoding enc off b.
func cutString(b []byte, enc byte) (s, rest []byte, ok bool) {
	if enc == 1 || enc == 2 {
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return b[:i], b[i+2:], true
			}
		}
		return nil, nil, false
	}
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return nil, nil, false
	}
	return b[:i], b[i+1:], true
}

// stores returns the store frames of t.
func (t *tag) stores() []*frame {
	var out []*frame
	for i := range t.frames {
		if t.frames[i].store {
			out = append(out, &t.frames[i])
		}
	}
	return out
}

// ReadStore returns the object of the single C2PA GEOB frame.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	t, err := readTag(r, size)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, asset.ErrNoStore
	}
	switch s := t.stores(); len(s) {
	case 0:
		return nil, asset.ErrNoStore
	case 1:
		return bytes.Clone(s[0].geobObject), nil
	default:
		return nil, asset.NewError(asset.ErrTooManyStores, Format, 0, "%d C2PA GEOB frames", len(s))
	}
}

// Locate returns where the store's bytes first occur in the tag, as
// c2pa-rs finds them.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	t, err := readTag(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	if t == nil {
		return asset.Range{}, asset.ErrNoStore
	}
	s := t.stores()
	if len(s) != 1 {
		return asset.Range{}, asset.ErrNoStore
	}
	i := bytes.Index(t.raw, s[0].geobObject)
	if i < 0 {
		return asset.Range{}, asset.Malformed(Format, 0, "store bytes are not stored as they read (unsynchronised or compressed)")
	}
	return asset.Range{Start: int64(i), Length: int64(len(s[0].geobObject))}, nil
}

// RemoteURL returns dcterms:provenance from the PRIV frame owned by "XMP".
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	t, err := readTag(r, size)
	if err != nil || t == nil {
		return "", nil
	}
	for _, f := range t.frames {
		if f.id != "PRIV" || f.flags&0x00CD != 0 {
			continue
		}
		if owner, data, ok := cutString(f.data, 0); ok && string(owner) == "XMP" {
			return asset.RemoteURLFromXMP(data), nil
		}
	}
	return "", nil
}

// BoxMap is not supported: c2pa-rs has no box hash for MP3.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "MP3 has no box map")
}

// geobHeader is what precedes the object in the GEOB frame written here
// (ISO-8859-1 strings).
var geobHeader = []byte("\x00" + MIMEType + "\x00" + fileName + "\x00" + description + "\x00")

func wrap(store []byte) ([]byte, error) { return store, nil }

// Plan rewrites the ID3v2 tag: its frames, unsynchronisation undone, less
// any C2PA GEOB frame, then a new GEOB frame carrying the store (none when
// storeLen is 0). The tag keeps its version (v2.3 or v2.4) and loses its
// extended header and padding; a file without a tag, with a v2.2 tag or
// with a tag that does not parse gets a new v2.4 tag with only the GEOB
// frame (c2pa-rs drops the frames of a tag it cannot read too). The audio
// after the tag is kept.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	t, err := readTag(r, size)
	var old int64 // bytes of the old tag replaced
	major := byte(4)
	var frames []frame
	switch {
	case err != nil && t == nil:
		return nil, err
	case t == nil:
	default:
		old = t.end
		if err == nil && t.major != 2 {
			major = t.major
			for _, f := range t.frames {
				if !f.store {
					frames = append(frames, f)
				}
			}
		}
	}
	if storeLen == 0 && (t == nil || err != nil || len(t.stores()) == 0) {
		return asset.Build(Format, size, 0, 0, wrap, nil) // no store to remove
	}
	var body []byte
	for _, f := range frames {
		flags := f.flags
		if major == 4 {
			flags &^= 0x0002 // written without unsynchronisation
		}
		b, err := encodeFrame(major, f.id, flags, f.data)
		if err != nil {
			return nil, err
		}
		body = append(body, b...)
	}
	geobAt := 10 + int64(len(body)) + 10 + int64(len(geobHeader))
	if storeLen > 0 {
		n := int64(len(geobHeader)) + int64(storeLen)
		if n > maxTagSize {
			return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "GEOB frame of %d bytes", n)
		}
		h, err := encodeFrame(major, "GEOB", 0, nil)
		if err != nil {
			return nil, err
		}
		setFrameSize(h, major, n)
		body = append(append(body, h...), geobHeader...)
	} else if len(body) == 0 {
		// Removal leaving no frames: drop the tag.
		return asset.Build(Format, size, 0, 0, wrap, []asset.Edit{{At: asset.Range{Length: old}}})
	}
	total := int64(len(body)) + int64(storeLen)
	if total > maxTagSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "ID3 tag of %d bytes", total)
	}
	head := append([]byte{'I', 'D', '3', major, 0, 0}, putSyncsafe(total)...)
	edits := []asset.Edit{{At: asset.Range{Length: old}, Literal: append(head, body...)}}
	if storeLen > 0 {
		edits = append(edits, asset.Edit{At: asset.Range{Start: old}, Store: true})
	}
	p, err := asset.Build(Format, size, storeLen, int64(storeLen), wrap, edits)
	if err != nil {
		return nil, err
	}
	if storeLen > 0 && p.Carrier.Start != geobAt {
		return nil, asset.Malformed(Format, 0, "internal: store planned at %d, not %d", p.Carrier.Start, geobAt)
	}
	return p, nil
}

// encodeFrame writes a v2.3 or v2.4 frame header and data.
func encodeFrame(major byte, id string, flags uint16, data []byte) ([]byte, error) {
	if len(id) != 4 {
		return nil, asset.Malformed(Format, 0, "frame id %q", id)
	}
	if int64(len(data)) > maxTagSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "frame of %d bytes", len(data))
	}
	b := append([]byte(id), 0, 0, 0, 0, byte(flags>>8), byte(flags))
	setFrameSize(b, major, int64(len(data)))
	return append(b, data...), nil
}

// setFrameSize writes n into the size field of the frame header h.
func setFrameSize(h []byte, major byte, n int64) {
	if major == 4 {
		copy(h[4:8], putSyncsafe(n))
		return
	}
	binary.BigEndian.PutUint32(h[4:8], uint32(n))
}
