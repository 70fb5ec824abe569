package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"

	"provgraph/c2pa/asset"
)

// Format is the handler's format name.
const Format = "pdf"

// Bounds: the file read whole, the xref sections followed, the objects an
// object stream holds, and references resolved within one lookup.
const (
	maxSize        = 1 << 30
	maxSections    = 1 << 12
	maxObjStm      = 1 << 20
	maxResolve     = 32
	maxDecoded     = asset.MaxStoreSize
	startxrefTail  = 4096
	relationship   = "C2PA_Manifest"
	keyRelationAF  = "AFRelationship"
	keyAssociation = "AF"
)

// Handler implements asset.Handler for PDF, read-only.
type Handler struct{}

func init() { asset.Register(Handler{}) }

// Format returns "pdf".
func (Handler) Format() string { return Format }

// MediaTypes returns application/pdf.
func (Handler) MediaTypes() []string { return []string{"application/pdf"} }

// Sniff reports whether head starts with %PDF-.
func (Handler) Sniff(head []byte) bool { return bytes.HasPrefix(head, []byte("%PDF-")) }

// formatError is a parse error at an offset, turned into an
// *asset.FormatError by the handler's methods.
type formatError struct {
	off int
	msg string
}

func (e *formatError) Error() string { return e.msg }

func errAt(off int, msg string, args ...any) error {
	return &formatError{off: off, msg: fmt.Sprintf(msg, args...)}
}

// typed wraps a parse error as an *asset.FormatError.
func typed(err error) error {
	if fe, ok := err.(*formatError); ok {
		return asset.Malformed(Format, int64(fe.off), "%s", fe.msg)
	}
	return err
}

// entry is an xref entry: an object at an offset (inStm false), or the
// idx-th object of object stream stm.
type entry struct {
	inStm    bool
	off, stm int64
	idx      int
}

// document is a PDF's cross-reference and trailer, newest section first.
type document struct {
	data    []byte
	xref    map[int64]entry
	trailer dict // the newest trailer, with /Root from an older one if it lacks it
	cache   map[int64]any
	stms    map[int64][]any // parsed object streams
}

// open reads the file and its cross-reference sections from the last
// startxref.
func open(r io.ReaderAt, size int64) (*document, error) {
	if size > maxSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, 0, "PDF of %d bytes", size)
	}
	data, err := asset.ReadAt(r, size, Format, 0, size)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, asset.Malformed(Format, 0, "missing %%PDF- header")
	}
	d := &document{data: data, xref: map[int64]entry{}, cache: map[int64]any{}, stms: map[int64][]any{}}
	tail := data[max(0, len(data)-startxrefTail):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil, asset.Malformed(Format, size, "no startxref")
	}
	l := &lexer{data: data, pos: len(data) - len(tail) + i + len("startxref")}
	l.skipSpace()
	off, err := strconv.ParseInt(l.regular(), 10, 64)
	if err != nil {
		return nil, asset.Malformed(Format, int64(l.pos), "startxref offset is not a number")
	}
	if err := d.readSections(off); err != nil {
		return nil, typed(err)
	}
	return d, nil
}

// readSections reads the xref section at off and every older one its
// trailer names (/Prev, and /XRefStm of hybrid files).
func (d *document) readSections(off int64) error {
	seen := map[int64]bool{}
	queue := []int64{off}
	for len(queue) > 0 {
		off := queue[0]
		queue = queue[1:]
		if seen[off] {
			continue
		}
		seen[off] = true
		if len(seen) > maxSections {
			return errAt(int(off), "more than %d xref sections", maxSections)
		}
		if off < 0 || off >= int64(len(d.data)) {
			return errAt(int(off), "xref offset %d outside the file", off)
		}
		trailer, err := d.readSection(int(off))
		if err != nil {
			return err
		}
		if d.trailer == nil {
			d.trailer = trailer
		} else if _, ok := d.trailer["Root"]; !ok {
			if root, ok := trailer["Root"]; ok {
				d.trailer["Root"] = root
			}
		}
		var next []int64
		if x, ok := trailer["XRefStm"].(int64); ok {
			next = append(next, x)
		}
		if p, ok := trailer["Prev"].(int64); ok {
			next = append(next, p)
		}
		queue = append(next, queue...)
	}
	if _, ok := d.trailer["Root"]; !ok {
		return errAt(int(off), "trailer has no /Root")
	}
	return nil
}

// set records an xref entry unless a newer section already did.
func (d *document) set(num int64, e entry) {
	if _, ok := d.xref[num]; !ok {
		d.xref[num] = e
	}
}

// free records a free entry, hiding older ones.
func (d *document) free(num int64) {
	if _, ok := d.xref[num]; !ok {
		d.xref[num] = entry{off: -1}
	}
}

// readSection reads a classic xref table and its trailer, or an xref stream.
func (d *document) readSection(off int) (dict, error) {
	l := &lexer{data: d.data, pos: off}
	l.skipSpace()
	if !bytes.HasPrefix(d.data[l.pos:], []byte("xref")) {
		return d.readXRefStream(off)
	}
	l.pos += 4
	for {
		l.skipSpace()
		tok := l.regular()
		if tok == "trailer" {
			t, err := l.object(0)
			if err != nil {
				return nil, err
			}
			td, ok := t.(dict)
			if !ok {
				return nil, errAt(l.pos, "trailer is not a dictionary")
			}
			return td, nil
		}
		start, err1 := strconv.ParseInt(tok, 10, 64)
		l.skipSpace()
		count, err2 := strconv.ParseInt(l.regular(), 10, 64)
		if err1 != nil || err2 != nil || start < 0 || count < 0 || count > int64(len(d.data))/18 {
			return nil, errAt(l.pos, "bad xref subsection header")
		}
		for i := int64(0); i < count; i++ {
			l.skipSpace()
			o, e1 := strconv.ParseInt(l.regular(), 10, 64)
			l.skipSpace()
			_, e2 := strconv.ParseInt(l.regular(), 10, 64)
			l.skipSpace()
			typ := l.regular()
			if e1 != nil || e2 != nil || (typ != "n" && typ != "f") {
				return nil, errAt(l.pos, "bad xref entry")
			}
			if typ == "n" {
				d.set(start+i, entry{off: o})
			} else {
				d.free(start + i)
			}
		}
	}
}

// readXRefStream reads an xref stream object at off.
func (d *document) readXRefStream(off int) (dict, error) {
	obj, _, err := d.objectAt(int64(off), 0)
	if err != nil {
		return nil, err
	}
	s, ok := obj.(*stream)
	if !ok || s.dict["Type"] != name("XRef") {
		return nil, errAt(off, "startxref does not point to an xref table or stream")
	}
	data, err := d.decode(s, 0)
	if err != nil {
		return nil, err
	}
	w, _ := s.dict["W"].(array)
	if len(w) != 3 {
		return nil, errAt(off, "xref stream /W is not three numbers")
	}
	var widths [3]int
	for i, v := range w {
		n, ok := v.(int64)
		if !ok || n < 0 || n > 8 {
			return nil, errAt(off, "bad xref stream /W")
		}
		widths[i] = int(n)
	}
	rowLen := widths[0] + widths[1] + widths[2]
	if rowLen == 0 {
		return nil, errAt(off, "empty xref stream rows")
	}
	index, _ := s.dict["Index"].(array)
	if index == nil {
		sz, _ := s.dict["Size"].(int64)
		index = array{int64(0), sz}
	}
	field := func(b []byte, def int64) int64 {
		if len(b) == 0 {
			return def
		}
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	row := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := index[i].(int64)
		count, ok2 := index[i+1].(int64)
		if !ok1 || !ok2 || start < 0 || count < 0 {
			return nil, errAt(off, "bad xref stream /Index")
		}
		for j := int64(0); j < count; j++ {
			if (row+1)*rowLen > len(data) {
				return nil, errAt(off, "xref stream shorter than its /Index")
			}
			b := data[row*rowLen : (row+1)*rowLen]
			row++
			typ := field(b[:widths[0]], 1)
			f2 := field(b[widths[0]:widths[0]+widths[1]], 0)
			f3 := field(b[widths[0]+widths[1]:], 0)
			switch typ {
			case 0:
				d.free(start + j)
			case 1:
				d.set(start+j, entry{off: f2})
			case 2:
				d.set(start+j, entry{inStm: true, stm: f2, idx: int(f3)})
			}
		}
	}
	return s.dict, nil
}

// objectAt parses "num gen obj <object>" at off, with the stream data
// when the object is a stream.
func (d *document) objectAt(off int64, depth int) (any, int64, error) {
	if off < 0 || off >= int64(len(d.data)) {
		return nil, 0, errAt(int(off), "object offset %d outside the file", off)
	}
	l := &lexer{data: d.data, pos: int(off)}
	l.skipSpace()
	num, err := strconv.ParseInt(l.regular(), 10, 64)
	if err != nil {
		return nil, 0, errAt(l.pos, "no object number")
	}
	l.skipSpace()
	l.regular()
	l.skipSpace()
	if l.regular() != "obj" {
		return nil, 0, errAt(l.pos, "missing obj keyword")
	}
	obj, err := l.object(0)
	if err != nil {
		return nil, 0, err
	}
	sd, ok := obj.(dict)
	if !ok {
		return obj, num, nil
	}
	save := l.pos
	l.skipSpace()
	if l.regular() != "stream" {
		l.pos = save
		return obj, num, nil
	}
	// The data starts after CRLF or LF (a lone CR is accepted too).
	if l.pos < len(d.data) && d.data[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(d.data) && d.data[l.pos] == '\n' {
		l.pos++
	}
	start := l.pos
	length := int64(-1)
	switch v := sd["Length"].(type) {
	case int64:
		length = v
	case ref:
		if depth < maxResolve {
			if n, err := d.resolve(v, depth+1); err == nil {
				if n, ok := n.(int64); ok {
					length = n
				}
			}
		}
	}
	if length < 0 || length > int64(len(d.data)-start) ||
		!bytes.HasPrefix(bytes.TrimLeft(d.data[start+int(length):], "\r\n \t"), []byte("endstream")) {
		// A wrong /Length: the data runs to endstream.
		end := bytes.Index(d.data[start:], []byte("endstream"))
		if end < 0 {
			return nil, 0, errAt(start, "stream without endstream")
		}
		length = int64(end)
		for length > 0 && (d.data[start+int(length)-1] == '\n' || d.data[start+int(length)-1] == '\r') {
			length--
		}
	}
	return &stream{dict: sd, start: int64(start), data: d.data[start : start+int(length)]}, num, nil
}

// resolve follows references to an object (nil for a missing one).
func (d *document) resolve(v any, depth int) (any, error) {
	for i := 0; ; i++ {
		r, ok := v.(ref)
		if !ok {
			return v, nil
		}
		if i > maxResolve || depth > maxResolve {
			return nil, errAt(0, "reference chain too long")
		}
		if o, ok := d.cache[r.num]; ok {
			v = o
			continue
		}
		e, ok := d.xref[r.num]
		if !ok || e.off < 0 && !e.inStm {
			return nil, nil
		}
		var obj any
		var err error
		if e.inStm {
			obj, err = d.fromObjStm(e, depth+1)
		} else {
			obj, _, err = d.objectAt(e.off, depth+1)
		}
		if err != nil {
			return nil, err
		}
		d.cache[r.num] = obj
		v = obj
	}
}

// fromObjStm returns the idx-th object of an object stream.
func (d *document) fromObjStm(e entry, depth int) (any, error) {
	objs, ok := d.stms[e.stm]
	if !ok {
		d.stms[e.stm] = nil // a stream that refers to itself finds nothing
		v, err := d.resolve(ref{e.stm, 0}, depth)
		if err != nil {
			return nil, err
		}
		s, ok := v.(*stream)
		if !ok {
			return nil, errAt(0, "object stream %d is not a stream", e.stm)
		}
		data, err := d.decode(s, depth)
		if err != nil {
			return nil, err
		}
		n, _ := s.dict["N"].(int64)
		first, _ := s.dict["First"].(int64)
		if n < 0 || n > maxObjStm || first < 0 || first > int64(len(data)) {
			return nil, errAt(int(s.start), "bad object stream header")
		}
		l := &lexer{data: data}
		offs := make([]int64, 0, n)
		for range n {
			l.skipSpace()
			l.regular()
			l.skipSpace()
			o, err := strconv.ParseInt(l.regular(), 10, 64)
			if err != nil || o < 0 || first+o > int64(len(data)) {
				return nil, errAt(int(s.start), "bad object stream offsets")
			}
			offs = append(offs, first+o)
		}
		for _, o := range offs {
			ol := &lexer{data: data, pos: int(o)}
			obj, err := ol.object(0)
			if err != nil {
				obj = nil
			}
			objs = append(objs, obj)
		}
		d.stms[e.stm] = objs
	}
	if e.idx < 0 || e.idx >= len(objs) {
		return nil, nil
	}
	return objs[e.idx], nil
}

// decode returns a stream's data with its filters applied: none or
// FlateDecode, with a PNG predictor.
func (d *document) decode(s *stream, depth int) ([]byte, error) {
	filter, _ := d.resolve(s.dict["Filter"], depth)
	if a, ok := filter.(array); ok && len(a) == 1 {
		filter = a[0]
	}
	switch filter {
	case nil:
		return s.data, nil
	case name("FlateDecode"):
	default:
		return nil, errAt(int(s.start), "unsupported filter %v", filter)
	}
	zr, err := zlib.NewReader(bytes.NewReader(s.data))
	if err != nil {
		return nil, errAt(int(s.start), "FlateDecode: %v", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxDecoded+1))
	if err != nil && len(out) == 0 {
		return nil, errAt(int(s.start), "FlateDecode: %v", err)
	}
	if len(out) > maxDecoded {
		return nil, errAt(int(s.start), "stream decodes past %d bytes", maxDecoded)
	}
	parms, _ := d.resolve(s.dict["DecodeParms"], depth)
	if a, ok := parms.(array); ok && len(a) == 1 {
		parms, _ = d.resolve(a[0], depth)
	}
	if p, ok := parms.(dict); ok {
		if pred, _ := p["Predictor"].(int64); pred >= 10 {
			cols, _ := p["Columns"].(int64)
			if cols <= 0 || cols > 1<<16 {
				cols = 1
			}
			return unpredict(out, int(cols))
		}
	}
	return out, nil
}

// unpredict undoes the PNG predictors of rows of cols bytes (one byte per
// pixel, as xref streams use them).
func unpredict(data []byte, cols int) ([]byte, error) {
	var out []byte
	prev := make([]byte, cols)
	for len(data) >= cols+1 {
		tag, row := data[0], append([]byte(nil), data[1:cols+1]...)
		data = data[cols+1:]
		for i := range row {
			var left, upLeft byte
			if i > 0 {
				left, upLeft = row[i-1], prev[i-1]
			}
			up := prev[i]
			switch tag {
			case 1:
				row[i] += left
			case 2:
				row[i] += up
			case 3:
				row[i] += byte((int(left) + int(up)) / 2)
			case 4:
				row[i] += paeth(left, up, upLeft)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// catalog returns the document catalog.
func (d *document) catalog() (dict, error) {
	v, err := d.resolve(d.trailer["Root"], 0)
	if err != nil {
		return nil, err
	}
	c, ok := v.(dict)
	if !ok {
		return nil, errAt(0, "/Root is not a dictionary")
	}
	return c, nil
}

// manifestStream returns the embedded file stream of the catalog's
// associated file with /AFRelationship /C2PA_Manifest (nil when none).
func (d *document) manifestStream() (*stream, error) {
	cat, err := d.catalog()
	if err != nil {
		return nil, err
	}
	af, err := d.resolve(cat[keyAssociation], 0)
	if err != nil {
		return nil, err
	}
	files, _ := af.(array)
	for _, f := range files {
		if _, ok := f.(ref); !ok {
			continue // c2pa-rs looks at referenced file specifications only
		}
		v, err := d.resolve(f, 0)
		if err != nil {
			continue
		}
		spec, ok := v.(dict)
		if !ok {
			continue
		}
		rel, _ := d.resolve(spec[keyRelationAF], 0)
		if rel != name(relationship) {
			continue
		}
		ef, err := d.resolve(spec["EF"], 0)
		if err != nil {
			return nil, err
		}
		efd, ok := ef.(dict)
		if !ok {
			return nil, errAt(0, "C2PA file specification has no /EF dictionary")
		}
		s, err := d.resolve(efd["F"], 0)
		if err != nil {
			return nil, err
		}
		st, ok := s.(*stream)
		if !ok {
			return nil, errAt(0, "C2PA embedded file is not a stream")
		}
		return st, nil
	}
	return nil, nil
}

// ReadStore returns the C2PA embedded file stream's data as stored.
func (Handler) ReadStore(r io.ReaderAt, size int64) ([]byte, error) {
	s, err := find(r, size)
	if err != nil {
		return nil, err
	}
	if int64(len(s.data)) > asset.MaxStoreSize {
		return nil, asset.NewError(asset.ErrTooLarge, Format, s.start, "manifest store of %d bytes", len(s.data))
	}
	return bytes.Clone(s.data), nil
}

// Locate returns the range of the C2PA embedded file stream's data.
func (Handler) Locate(r io.ReaderAt, size int64) (asset.Range, error) {
	s, err := find(r, size)
	if err != nil {
		return asset.Range{}, err
	}
	return asset.Range{Start: s.start, Length: int64(len(s.data))}, nil
}

func find(r io.ReaderAt, size int64) (*stream, error) {
	d, err := open(r, size)
	if err != nil {
		return nil, err
	}
	s, err := d.manifestStream()
	if err != nil {
		return nil, typed(err)
	}
	if s == nil {
		return nil, asset.ErrNoStore
	}
	return s, nil
}

// RemoteURL returns dcterms:provenance from the catalog's /Metadata stream
// of subtype XML (as stored, like c2pa-rs); a PDF that does not parse has
// none.
func (Handler) RemoteURL(r io.ReaderAt, size int64) (string, error) {
	d, err := open(r, size)
	if err != nil {
		return "", nil
	}
	cat, err := d.catalog()
	if err != nil {
		return "", nil
	}
	v, err := d.resolve(cat["Metadata"], 0)
	s, ok := v.(*stream)
	if err != nil || !ok {
		return "", nil
	}
	if st, _ := d.resolve(s.dict["Subtype"], 0); st != name("XML") {
		return "", nil
	}
	return asset.RemoteURLFromXMP(s.data), nil
}

// Plan reports ErrUnsupported: c2pa-rs does not write PDFs either.
func (Handler) Plan(r io.ReaderAt, size int64, storeLen int) (*asset.Plan, error) {
	return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "PDF is read-only")
}

// BoxMap is not supported: c2pa-rs has no box hash for PDF.
func (Handler) BoxMap(r io.ReaderAt, size int64) ([]asset.BoxSpan, error) {
	return nil, asset.NewError(asset.ErrUnsupported, Format, 0, "PDF has no box map")
}
