package gif

import (
	"bytes"
	"io"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "gif"

// AppID is the application identifier and authentication code of the
// extension that carries the manifest store.
const AppID = "C2PA_GIF\x01\x00\x00"

// xmpID identifies the XMP application extension.
const xmpID = "XMP DataXMP"

// xmpTrailerLen is the length of the XMP "magic trailer" (01 FF FE ... 00)
// that keeps GIF decoders from reading XMP as sub-blocks.
const xmpTrailerLen = 257

// Handler implements asset.Handler for GIF.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "gif".
func (Handler) Format() string { return Format }

// MediaTypes returns image/gif.
func (Handler) MediaTypes() []string { return []string{"image/gif"} }

// Sniff reports whether head starts with a GIF87a or GIF89a header.
func (Handler) Sniff(head []byte) bool {
	return bytes.HasPrefix(head, []byte("GIF87a")) || bytes.HasPrefix(head, []byte("GIF89a"))
}

// kind is the type of a block as c2pa-rs walks a GIF.
type kind int

const (
	header kind = iota
	screen      // logical screen descriptor
	globalColors
	graphicControl
	plainText
	application
	comment
	imageDescriptor
	localColors
	imageData
	trailer
)

// boxNames are the c2pa.hash.boxes names of the kinds ("" for color
// tables, which join the preceding box).
var boxNames = [...]string{
	header: "GIF89a", screen: "LSD", graphicControl: "21F9", plainText: "2101", application: "21FF",
	comment: "21FE", imageDescriptor: "2C", imageData: "TBID", trailer: "3B",
}

// block is one block of the file.
type block struct {
	kind  kind
	start int64
	len   int64
	appID string // identifier and authentication code of an application extension
	data  int64  // offset of the first sub-block of an application extension
}

func (b block) end() int64 { return b.start + b.len }

// isStore reports whether b is the C2PA application extension.
func (b block) isStore() bool { return b.kind == application && b.appID == AppID }

// walker reads blocks in order through a window over the file.
type walker struct {
	r    io.ReaderAt
	size int64
	pos  int64
	win  []byte
	at   int64 // file offset of win[0]
	next []block
}

const window = 64 << 10

// byteAt returns the byte at off, which must be inside the file.
func (w *walker) byteAt(off int64) (byte, error) {
	if off < w.at || off >= w.at+int64(len(w.win)) {
		if off < 0 || off >= w.size {
			return 0, asset.Malformed(Format, off, "unexpected end of file")
		}
		n := min(window, w.size-off)
		buf, err := asset.ReadAt(w.r, w.size, Format, off, n)
		if err != nil {
			return 0, err
		}
		w.win, w.at = buf, off
	}
	return w.win[off-w.at], nil
}

// bytesAt returns n bytes at off.
func (w *walker) bytesAt(off, n int64) ([]byte, error) {
	if off < 0 || n > w.size-off {
		return nil, asset.Malformed(Format, off, "unexpected end of file")
	}
	return asset.ReadAt(w.r, w.size, Format, off, n)
}

// skipSubBlocks returns the offset after the sub-blocks starting at off
// and their terminator.
func (w *walker) skipSubBlocks(off int64) (int64, error) {
	for {
		n, err := w.byteAt(off)
		if err != nil {
			return 0, err
		}
		off++
		if n == 0 {
			return off, nil
		}
		off += int64(n)
		if off > w.size {
			return 0, asset.Malformed(Format, off-int64(n)-1, "sub-block of %d bytes runs past the end", n)
		}
	}
}

// newWalker reads the header, the logical screen descriptor and the
// global color table.
func newWalker(r io.ReaderAt, size int64) (*walker, error) {
	w := &walker{r: r, size: size}
	h, err := w.bytesAt(0, 13)
	if err != nil || (string(h[:6]) != "GIF87a" && string(h[:6]) != "GIF89a") {
		return nil, asset.Malformed(Format, 0, "missing GIF header")
	}
	w.next = []block{{kind: header, start: 0, len: 6}, {kind: screen, start: 6, len: 7}}
	w.pos = 13
	if h[10]&0x80 != 0 {
		n := int64(3) << (h[10]&7 + 1)
		if n > size-13 {
			return nil, asset.Malformed(Format, 13, "global color table runs past the end")
		}
		w.next = append(w.next, block{kind: globalColors, start: 13, len: n})
		w.pos += n
	}
	return w, nil
}

// preambleEnd is where the first block after the global color table starts.
func (w *walker) preambleEnd() int64 {
	last := w.next[len(w.next)-1]
	return last.end()
}

// block returns the next block; io.EOF after the trailer.
func (w *walker) block() (block, error) {
	if len(w.next) > 0 {
		b := w.next[0]
		w.next = w.next[1:]
		return b, nil
	}
	if w.pos < 0 {
		return block{}, io.EOF
	}
	start := w.pos
	intro, err := w.byteAt(start)
	if err != nil {
		return block{}, err
	}
	b := block{start: start}
	var end int64
	switch intro {
	case 0x21:
		label, err := w.byteAt(start + 1)
		if err != nil {
			return block{}, err
		}
		switch label {
		case 0xFF:
			hdr, err := w.bytesAt(start+2, 12)
			if err != nil {
				return block{}, err
			}
			if hdr[0] != 0x0B {
				return block{}, asset.Malformed(Format, start+2, "Invalid block size for app block extension %d!=11", hdr[0])
			}
			b.kind, b.appID, b.data = application, string(hdr[1:]), start+14
			end, err = w.skipSubBlocks(start + 14)
		case 0xFE:
			b.kind = comment
			end, err = w.skipSubBlocks(start + 2)
		case 0xF9:
			b.kind, end = graphicControl, start+8
		case 0x01:
			b.kind = plainText
			end, err = w.skipSubBlocks(start + 13)
		default:
			return block{}, asset.Malformed(Format, start+1, "Invalid block extension label: %d", label)
		}
		if err != nil {
			return block{}, err
		}
	case 0x2C:
		d, err := w.bytesAt(start, 10)
		if err != nil {
			return block{}, err
		}
		b.kind, end = imageDescriptor, start+10
		next := end
		if d[9]&0x80 != 0 {
			n := int64(3) << (d[9]&7 + 1)
			w.next = append(w.next, block{kind: localColors, start: next, len: n})
			next += n
		}
		dataEnd, err := w.skipSubBlocks(next + 1)
		if err != nil {
			return block{}, err
		}
		w.next = append(w.next, block{kind: imageData, start: next, len: dataEnd - next})
		w.pos = dataEnd
		b.len = end - start
		return b, nil
	case 0x3B:
		b.kind, end = trailer, start+1
		w.pos = -1
		b.len = 1
		return b, nil
	default:
		return block{}, asset.Malformed(Format, start, "Invalid block id: %d", intro)
	}
	if end > w.size {
		return block{}, asset.Malformed(Format, start, "block runs past the end")
	}
	b.len = end - start
	w.pos = end
	return b, nil
}

// findStore returns the first C2PA extension before the first image
// descriptor (ok false when there is none) and where the preamble ends.
func findStore(r io.ReaderAt, size int64) (store block, preamble int64, ok bool, err error) {
	w, err := newWalker(r, size)
	if err != nil {
		return block{}, 0, false, err
	}
	preamble = w.preambleEnd()
	for {
		b, err := w.block()
		if err == io.EOF || (err == nil && b.kind == imageDescriptor) {
			return block{}, preamble, false, nil
		}
		if err != nil {
			return block{}, 0, false, err
		}
		if b.isStore() {
			return b, preamble, true, nil
		}
	}
}

// decode reassembles the sub-blocks of an application extension.
func decode(r io.ReaderAt, size int64, b block) ([]byte, error) {
	raw, err := asset.ReadAt(r, size, Format, b.data, b.end()-b.data)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw) && raw[i] != 0; {
		n := int(raw[i])
		if i+1+n > len(raw) {
			return nil, asset.Malformed(Format, b.data+int64(i), "sub-block of %d bytes runs past the extension", n)
		}
		out = append(out, raw[i+1:i+1+n]...)
		i += 1 + n
	}
	return out, nil
}

// ReadStore returns the data of the first C2PA application extension
// before the first image descriptor.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	b, _, ok, err := findStore(r, size)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, asset.ErrNoStore
	}
	if b.len > asset.MaxStoreSize+asset.MaxStoreSize/255+16 {
		return nil, asset.NewError(asset.ErrTooLarge, Format, b.start, "manifest store extension of %d bytes", b.len)
	}
	return decode(r, size, b)
}

// Locate returns the range of the C2PA application extension.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	b, _, ok, err := findStore(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	if !ok {
		return asset.Range{}, asset.ErrNoStore
	}
	return asset.Range{Start: b.start, Length: b.len}, nil
}

// RemoteURL returns dcterms:provenance from the first XMP application
// extension that ends with the XMP magic trailer; like c2pa-rs, a file
// whose blocks do not parse has none.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	w, err := newWalker(r, size)
	if err != nil {
		return "", nil
	}
	for {
		b, err := w.block()
		if err != nil {
			return "", nil
		}
		if b.kind != application || b.appID != xmpID {
			continue
		}
		if b.len > asset.MaxStoreSize {
			return "", nil
		}
		xmp, err := decode(r, size, b)
		if err != nil || len(xmp) < xmpTrailerLen || xmp[len(xmp)-xmpTrailerLen] != 1 {
			return "", nil
		}
		for i := 1; i < xmpTrailerLen; i++ {
			if xmp[len(xmp)-i] != byte(i-1) {
				return "", nil
			}
		}
		return asset.RemoteURLFromXMP(xmp[:len(xmp)-xmpTrailerLen]), nil
	}
}

// CarrierSize returns the size of the application extension for a store of
// storeLen bytes.
func CarrierSize(storeLen int) int64 {
	if storeLen == 0 {
		return 0
	}
	n := int64(storeLen)
	return 14 + n + (n+254)/255 + 1
}

func wrap(store []byte) ([]byte, error) {
	out := make([]byte, 0, CarrierSize(len(store)))
	out = append(out, 0x21, 0xFF, 0x0B)
	out = append(out, AppID...)
	for len(store) > 0 {
		n := min(len(store), 255)
		out = append(out, byte(n))
		out = append(out, store[:n]...)
		store = store[n:]
	}
	return append(out, 0), nil
}

// Plan replaces the C2PA extension in place, or inserts one right after
// the global color table (after the logical screen descriptor when there
// is none) and makes the file GIF89a; storeLen 0 removes the extension.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	b, preamble, ok, err := findStore(r, size)
	if err != nil {
		return nil, err
	}
	var edits []asset.Edit
	switch {
	case ok:
		edits = append(edits, asset.Edit{At: asset.Range{Start: b.start, Length: b.len}, Store: true})
	case storeLen > 0:
		edits = append(edits,
			asset.Edit{At: asset.Range{Start: 4, Length: 1}, Literal: []byte{'9'}},
			asset.Edit{At: asset.Range{Start: preamble}, Store: true})
	}
	return asset.Build(Format, size, storeLen, CarrierSize(storeLen), wrap, edits)
}

// BoxMap lists the blocks as c2pa-rs's get_box_map names them, up to the
// trailer: color tables join the box before them, the C2PA extension is
// "C2PA", and a file without one gets an excluded, empty "C2PA"
// placeholder where Plan would insert it.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	_, preamble, hasStore, err := findStore(r, size)
	if err != nil {
		return nil, err
	}
	w, err := newWalker(r, size)
	if err != nil {
		return nil, err
	}
	var spans []asset.BoxSpan
	for {
		b, err := w.block()
		if err == io.EOF {
			return spans, nil
		}
		if err != nil {
			return nil, err
		}
		if !hasStore && b.start == preamble && b.kind != globalColors {
			spans = append(spans, asset.BoxSpan{Name: asset.StoreBoxName, Range: asset.Range{Start: b.start}, Excluded: true})
			hasStore = true
		}
		if b.kind == globalColors || b.kind == localColors {
			spans[len(spans)-1].Range.Length += b.len
			continue
		}
		name := boxNames[b.kind]
		if b.isStore() {
			name = asset.StoreBoxName
		}
		spans = append(spans, asset.BoxSpan{Name: name, Range: asset.Range{Start: b.start, Length: b.len}})
	}
}
