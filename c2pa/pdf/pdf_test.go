package pdf_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/pdf"
)

// build writes a PDF of the given objects (numbered from 1) with a classic
// xref table and the trailer entries trailer.
func build(trailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, x)
	return b.Bytes()
}

// update appends an incremental update redefining object num.
func update(base []byte, num int, obj string) []byte {
	var b bytes.Buffer
	b.Write(base)
	prev := bytes.LastIndex(base, []byte("startxref\n"))
	var prevOff int
	fmt.Sscanf(string(base[prev+len("startxref\n"):]), "%d", &prevOff)
	off := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", num, obj)
	x := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size 9 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", num, off, prevOff, x)
	return b.Bytes()
}

var (
	store   = assettest.Store
	catalog = `<< /Type /Catalog /Pages 2 0 R /AF [3 0 R] >>`
	pages   = `<< /Type /Pages /Kids [] /Count 0 >>`
	spec    = `<< /Type /Filespec /F (manifest.c2pa) /AFRelationship /C2PA_Manifest /EF << /F 4 0 R >> >>`
	file    = fmt.Sprintf("<< /Type /EmbeddedFile /Subtype /application#2Fc2pa /Length 5 0 R >>\nstream\n%s\nendstream", store)
	length  = fmt.Sprint(len(store))
)

func TestReadStore(t *testing.T) {
	signed := build("/Root 1 0 R", catalog, pages, spec, file, length)
	other := build("/Root 1 0 R", catalog, pages, `<< /AFRelationship /Data /EF << /F 4 0 R >> >>`, file, length)
	unsigned := build("/Root 1 0 R", `<< /Type /Catalog /Pages 2 0 R >>`, pages)
	// An update whose /Prev points back to itself.
	loop := update(signed, 2, pages)
	self := bytes.LastIndex(loop, []byte("\nxref\n")) + 1
	prev := bytes.LastIndex(loop, []byte("/Prev "))
	loop = append(loop[:prev:prev], fmt.Sprintf("/Prev %d >>\nstartxref\n%d\n%%%%EOF\n", self, self)...)
	tests := []struct {
		name string
		in   []byte
		err  error
	}{
		{"embedded file", signed, nil},
		{"update removes it", update(signed, 1, `<< /Type /Catalog /Pages 2 0 R >>`), asset.ErrNoStore},
		{"other relationship", other, asset.ErrNoStore},
		{"no AF", unsigned, asset.ErrNoStore},
		{"Prev loop is bounded (the original section is lost)", loop, asset.ErrMalformed},
		{"no startxref", []byte("%PDF-1.7\n1 0 obj << >> endobj\n"), asset.ErrMalformed},
		{"not PDF", []byte("%!PS"), asset.ErrMalformed},
		{"c2pa-rs: password", assettest.ReadFixture(t, "pdf/rs-basic-password.pdf"), asset.ErrNoStore},
		{"c2pa-rs: basic (xref stream)", assettest.ReadFixture(t, "pdf/rs-basic.pdf"), asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pdf.Handler{}.ReadStore(bytes.NewReader(tt.in), int64(len(tt.in)))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && !bytes.Equal(got, store) {
				t.Errorf("store differs: %q", got)
			}
		})
	}
}

// TestIncrementalUpdate reads a store added by an incremental update whose
// catalog replaces the original one.
func TestIncrementalUpdate(t *testing.T) {
	base := build("/Root 1 0 R", `<< /Type /Catalog /Pages 2 0 R >>`, pages, `null`, `null`, `0`)
	in := update(update(update(update(base, 3, spec), 4, file), 5, length), 1, catalog)
	got, err := pdf.Handler{}.ReadStore(bytes.NewReader(in), int64(len(in)))
	if err != nil || !bytes.Equal(got, store) {
		t.Fatalf("ReadStore = %d bytes, %v", len(got), err)
	}
	loc, err := pdf.Handler{}.Locate(bytes.NewReader(in), int64(len(in)))
	if err != nil || !bytes.Equal(in[loc.Start:loc.End()], store) {
		t.Errorf("Locate = %v, %v", loc, err)
	}
}

func TestReadOnly(t *testing.T) {
	in := assettest.ReadFixture(t, "pdf/rs-basic.pdf")
	if _, err := (pdf.Handler{}).Plan(bytes.NewReader(in), int64(len(in)), 100); !errors.Is(err, asset.ErrUnsupported) {
		t.Errorf("Plan err = %v", err)
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "pdf/rs-basic.pdf"))
	f.Add(assettest.ReadFixture(f, "pdf/rs-basic-password.pdf"))
	f.Add(build("/Root 1 0 R", catalog, pages, spec, file, length))
	assettest.Fuzz(f, pdf.Handler{})
}
