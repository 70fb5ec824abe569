package mp3_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/mp3"
)

var audio = []byte{0xFF, 0xFB, 0x90, 0x00, 1, 2, 3, 4}

// frame builds a v2.3 (plain sizes) or v2.4 (syncsafe sizes) frame.
func frame(major byte, id string, flags uint16, data []byte) []byte {
	b := []byte(id)
	if major == 4 {
		n := len(data)
		b = append(b, byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F))
	} else {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	}
	return append(binary.BigEndian.AppendUint16(b, flags), data...)
}

// tag builds an ID3v2 tag of the given version and flags.
func tag(major, flags byte, frames ...[]byte) []byte {
	body := bytes.Join(frames, nil)
	n := len(body)
	return append([]byte{'I', 'D', '3', major, 0, flags, byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}, body...)
}

func geob(mime string, obj []byte) []byte {
	return append([]byte("\x00"+mime+"\x00c2pa\x00c2pa manifest store\x00"), obj...)
}

var title = frame(3, "TIT2", 0, []byte("\x00title"))

func readStore(b []byte) ([]byte, error) {
	return mp3.Handler{}.ReadStore(bytes.NewReader(b), int64(len(b)))
}

func TestPlanPlacement(t *testing.T) {
	store := assettest.Store
	tests := []struct {
		name     string
		in, want []byte
	}{
		{"no tag", audio, append(tag(4, 0, frame(4, "GEOB", 0, geob(mp3.MIMEType, store))), audio...)},
		{"v2.3 keeps frames", append(tag(3, 0, title), audio...),
			append(tag(3, 0, title, frame(3, "GEOB", 0, geob(mp3.MIMEType, store))), audio...)},
		{"old store replaced", append(tag(4, 0, frame(4, "GEOB", 0, geob(mp3.MIMEType, []byte("old"))), frame(4, "TIT2", 0, []byte("\x00t"))), audio...),
			append(tag(4, 0, frame(4, "TIT2", 0, []byte("\x00t")), frame(4, "GEOB", 0, geob(mp3.MIMEType, store))), audio...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := assettest.Apply(t, mp3.Handler{}, tt.in, store)
			if !bytes.Equal(out, tt.want) {
				t.Fatalf("output\n% x\nwant\n% x", out, tt.want)
			}
			if e := (asset.Range{Start: int64(bytes.Index(out, store)), Length: int64(len(store))}); len(p.Exclusions) != 1 || p.Exclusions[0] != e {
				t.Errorf("exclusions %v, want [%v]", p.Exclusions, e)
			}
			if got, err := readStore(out); err != nil || !bytes.Equal(got, store) {
				t.Errorf("ReadStore: %v", err)
			}
		})
	}
}

func TestReadStore(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(geob(mp3.MIMEType, assettest.Store))
	zw.Close()
	compressed := append(binary.BigEndian.AppendUint32(nil, uint32(len(geob(mp3.MIMEType, assettest.Store)))), z.Bytes()...)
	// Unsynchronised v2.3 tag: FF E0 in the object is stored as FF 00 E0.
	obj := []byte{0xFF, 0xE0, 1}
	unsync := tag(3, 0x80, bytes.ReplaceAll(frame(3, "GEOB", 0, geob(mp3.MIMEType, obj)), []byte{0xFF, 0xE0}, []byte{0xFF, 0x00, 0xE0}))
	tests := []struct {
		name string
		in   []byte
		want []byte
		err  error
	}{
		{"v2.4", tag(4, 0, frame(4, "GEOB", 0, geob(mp3.MIMEType, assettest.Store))), assettest.Store, nil},
		{"deprecated MIME", tag(3, 0, frame(3, "GEOB", 0, geob("application/x-c2pa-manifest-store", assettest.Store))), assettest.Store, nil},
		{"v2.3 compressed", tag(3, 0, frame(3, "GEOB", 0x0080, compressed)), assettest.Store, nil},
		{"v2.3 unsynchronised", unsync, obj, nil},
		{"two stores", tag(4, 0, frame(4, "GEOB", 0, geob(mp3.MIMEType, []byte("a"))), frame(4, "GEOB", 0, geob(mp3.MIMEType, []byte("b")))), nil, asset.ErrTooManyStores},
		{"other GEOB", tag(4, 0, frame(4, "GEOB", 0, geob("text/plain", []byte("a")))), nil, asset.ErrNoStore},
		{"frame past the tag", tag(4, 0, []byte("GEOB\x00\x00\x7f\x7f\x00\x00")), nil, asset.ErrNoStore},
		{"bad compression", tag(3, 0, frame(3, "GEOB", 0x0080, []byte{0, 0, 0, 9, 1, 2})), nil, asset.ErrNoStore},
		{"c2pa-rs compression underflow", assettest.ReadFixture(t, "mp3/rs-id3v23_compression_underflow.mp3"), nil, asset.ErrNoStore},
		{"no tag", audio, nil, asset.ErrNoStore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readStore(tt.in)
			if !errors.Is(err, tt.err) || !bytes.Equal(got, tt.want) {
				t.Fatalf("ReadStore = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestRemoteURL(t *testing.T) {
	in := tag(4, 0, frame(4, "PRIV", 0, []byte(`XMP`+"\x00"+`<rdf:Description dcterms:provenance="https://example.com/m.c2pa"/>`)))
	if url, err := (mp3.Handler{}).RemoteURL(bytes.NewReader(in), int64(len(in))); err != nil || url != "https://example.com/m.c2pa" {
		t.Errorf("RemoteURL = %q, %v", url, err)
	}
}

func FuzzMP3(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "mp3/rs-id3v23_compression_underflow.mp3"))
	f.Add(assettest.ReadFixture(f, "mp3/google-mp3_valid.mp3")[:4096])
	f.Add(append(tag(3, 0x80, title, frame(3, "GEOB", 0, geob(mp3.MIMEType, assettest.Store))), audio...))
	assettest.Fuzz(f, mp3.Handler{})
}
