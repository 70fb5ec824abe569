// Package cosetest pulls claim signatures out of the shared fixture files for
// the tests of the cose and trust packages, and provides an in-memory RFC
// 3161 TSA. JPEG (APP11) and PNG (caBX) are read by its own small readers;
// other formats through the engine's asset handlers, or, where none exists
// yet, by scanning for a contiguous store (BMFF, TIFF, MP3) or SVG base64.
// It is imported by tests only.
package cosetest

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"provgraph/c2pa/asset"
	_ "provgraph/c2pa/asset/all" // the engine's container handlers, for other formats
	"provgraph/c2pa/jumbf"
)

// Manifest is one manifest of a store: its label, claim CBOR and signature
// COSE bytes.
type Manifest struct {
	Label     string
	Claim     []byte
	Signature []byte
}

// Manifests returns the manifests of the store embedded in a JPEG or PNG
// file, in store order (the active manifest is last).
func Manifests(path string) ([]Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var store []byte
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg":
		store, err = jpegStore(data)
	case ".png":
		store, err = pngStore(data)
	default:
		store, err = engineStore(data)
	}
	if err != nil {
		return nil, err
	}
	return parseStore(store)
}

// engineStore extracts the store with the engine's asset handlers (RIFF,
// sidecar .c2pa, …); JPEG and PNG keep the independent readers above so
// that these tests do not lean on the code they help check. Formats without
// a handler yet fall back to scanStore.
func engineStore(data []byte) ([]byte, error) {
	r := bytes.NewReader(data)
	if h, err := asset.Detect(r, int64(len(data))); err == nil {
		return h.ReadStore(r, int64(len(data)))
	}
	return scanStore(data)
}

// c2paStoreUUID is the JUMBF type of a C2PA manifest store
// (63327061-0011-0010-8000-00AA00389B71).
var c2paStoreUUID = []byte{0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}

// scanStore finds a contiguous manifest store superbox anywhere in data
// (BMFF uuid boxes, TIFF tags, ID3 GEOB frames keep it in one piece), or one
// base64-encoded in an SVG <c2pa:manifest> element.
func scanStore(data []byte) ([]byte, error) {
	if i := bytes.Index(data, []byte("<c2pa:manifest")); i >= 0 {
		rest := data[i:]
		if j := bytes.IndexByte(rest, '>'); j >= 0 {
			rest = rest[j+1:]
			if k := bytes.Index(rest, []byte("</c2pa:manifest>")); k >= 0 {
				b64 := bytes.Join(bytes.Fields(rest[:k]), nil)
				store := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
				n, err := base64.StdEncoding.Decode(store, b64)
				if err == nil {
					return store[:n], nil
				}
			}
		}
	}
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("jumb"))
		if i < 0 {
			return nil, errors.New("cosetest: no contiguous manifest store")
		}
		i += off
		off = i + 1
		if i < 4 || i+28 > len(data) || string(data[i+8:i+12]) != "jumd" || !bytes.Equal(data[i+12:i+28], c2paStoreUUID) {
			continue
		}
		size := int(binary.BigEndian.Uint32(data[i-4:]))
		if size < 8 || i-4+size > len(data) {
			continue
		}
		return data[i-4 : i-4+size], nil
	}
}

// Supported reports whether Manifests can read files of mediaType.
func Supported(mediaType string) bool {
	switch mediaType {
	case "image/jpeg", "image/png", "image/avif", "image/heic", "image/heif", "video/mp4",
		"video/quicktime", "audio/mp4", "image/tiff", "image/x-adobe-dng", "audio/mpeg", "image/svg+xml":
		return true
	}
	_, ok := asset.Lookup(mediaType)
	return ok
}

func parseStore(store []byte) ([]Manifest, error) {
	root, err := jumbf.Parse(store, jumbf.DefaultLimits)
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, m := range root.Manifests() {
		mf := Manifest{Label: m.Label()}
		for _, c := range m.Children {
			if !c.IsSuperBox() {
				continue
			}
			switch c.Label() {
			case "c2pa.claim", "c2pa.claim.v2":
				if cb := c.ContentBox("cbor"); cb != nil {
					mf.Claim = cb.Payload
				}
			case "c2pa.signature":
				if cb := c.ContentBox("cbor"); cb != nil {
					mf.Signature = cb.Payload
				}
			}
		}
		out = append(out, mf)
	}
	if len(out) == 0 {
		return nil, errors.New("cosetest: no manifests")
	}
	return out, nil
}

// jpegStore reassembles the APP11 JUMBF segments of the c2pa store.
func jpegStore(d []byte) ([]byte, error) {
	boxes := map[uint16][]byte{}
	var order []uint16
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xFF {
			return nil, fmt.Errorf("cosetest: bad JPEG marker at %d", i)
		}
		m := d[i+1]
		if m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01 {
			i += 2
			continue
		}
		if m == 0xDA || m == 0xD9 {
			break
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if i+2+n > len(d) || n < 2 {
			return nil, fmt.Errorf("cosetest: truncated segment at %d", i)
		}
		seg := d[i+4 : i+2+n]
		if m == 0xEB && len(seg) > 8 && seg[0] == 'J' && seg[1] == 'P' {
			en := binary.BigEndian.Uint16(seg[2:])
			body := seg[8:]
			if prev, ok := boxes[en]; ok {
				if len(body) < 8 {
					return nil, fmt.Errorf("cosetest: short continuation")
				}
				boxes[en] = append(prev, body[8:]...)
			} else {
				boxes[en] = append([]byte(nil), body...)
				order = append(order, en)
			}
		}
		i += 2 + n
	}
	for _, en := range order {
		if b := boxes[en]; bytes.Contains(b[:min(len(b), 64)], []byte("c2pa\x00")) {
			return b, nil
		}
	}
	return nil, errors.New("cosetest: no c2pa APP11 store")
}

func pngStore(d []byte) ([]byte, error) {
	for i := 8; i+12 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		if n < 0 || i+12+n > len(d) {
			return nil, errors.New("cosetest: truncated PNG chunk")
		}
		if string(d[i+4:i+8]) == "caBX" {
			return d[i+8 : i+8+n], nil
		}
		i += 12 + n
	}
	return nil, errors.New("cosetest: no caBX chunk")
}

// Fixture is one signed row of INDEX.tsv.
type Fixture struct {
	File      string   // path relative to fixtures/c2pa
	MediaType string   // format column
	State     string   // oracle_state
	Failures  []string // oracle_failures
}

// Fixtures lists the signed JPEG and PNG fixtures of INDEX.tsv in dir
// (shared/fixtures/c2pa).
func Fixtures(dir string) ([]Fixture, error) {
	all, err := AllFixtures(dir)
	if err != nil {
		return nil, err
	}
	var out []Fixture
	for _, f := range all {
		if f.MediaType == "image/jpeg" || f.MediaType == "image/png" {
			out = append(out, f)
		}
	}
	return out, nil
}

// AllFixtures lists every signed fixture of INDEX.tsv in dir whose format
// Manifests can read.
func AllFixtures(dir string) ([]Fixture, error) {
	b, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		return nil, err
	}
	var out []Fixture
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 8 || f[3] != "yes" || !Supported(f[1]) {
			continue
		}
		fx := Fixture{File: f[0], MediaType: f[1], State: f[6]}
		if f[7] != "" && f[6] != "error" {
			fx.Failures = strings.Split(f[7], ",")
		}
		out = append(out, fx)
	}
	return out, nil
}

// Has reports whether the oracle listed code among the failures.
func (f Fixture) Has(code string) bool {
	for _, c := range f.Failures {
		if c == code {
			return true
		}
	}
	return false
}
