package jumbf_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"provgraph/c2pa/jumbf"
	"provgraph/internal/testenv"
)

// sidecars are the .c2pa fixtures: each file is one manifest store.
var sidecars = []string{
	"c2pa/c2pa/js-CA-manifest_data.c2pa",
	"c2pa/c2pa/rs-cloud_manifest.c2pa",
	"c2pa/c2pa/rs-compat-0.33.0-bmff-embedded.c2pa",
	"c2pa/c2pa/rs-compat-0.33.0-jpeg-embedded.c2pa",
}

func readFixture(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseSidecarStores(t *testing.T) {
	for _, rel := range sidecars {
		t.Run(rel, func(t *testing.T) {
			data := readFixture(t, rel)
			store, err := jumbf.ParseSuperBox(data, jumbf.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			checkStore(t, store, data)
		})
	}
}

// checkStore asserts the structure every c2pa-rs-written store has and that
// it serialises back to the bytes it was parsed from.
func checkStore(t *testing.T, store *jumbf.Box, data []byte) {
	t.Helper()
	if store.Desc.Type != jumbf.ManifestStore || store.Label() != "c2pa" {
		t.Fatalf("outer box is %v, want the c2pa manifest store", store)
	}
	if len(store.Raw) != len(data) {
		t.Errorf("store uses %d of %d bytes", len(store.Raw), len(data))
	}
	ms := store.Manifests()
	if len(ms) == 0 {
		t.Fatal("no manifests")
	}
	for _, m := range ms {
		for _, want := range []string{"c2pa.assertions", "c2pa.signature"} {
			if m.Child(want) == nil {
				t.Errorf("manifest %q has no %s", m.Label(), want)
			}
		}
		if m.Child("c2pa.claim") == nil && m.Child("c2pa.claim.v2") == nil {
			t.Errorf("manifest %q has no claim", m.Label())
		}
		sig := m.Child("c2pa.signature").ContentBox("cbor")
		if sig == nil || len(sig.Payload) < 2 || sig.Payload[0] != 0xD2 {
			t.Errorf("manifest %q: signature box does not hold a tagged COSE_Sign1", m.Label())
		}
	}
	if got := store.Bytes(); !bytes.Equal(got, data[:len(store.Raw)]) {
		t.Errorf("Bytes() differs from the parsed bytes (len %d vs %d)", len(got), len(store.Raw))
	}
	if got := store.PayloadBytes(); !bytes.Equal(got, data[8:len(store.Raw)]) {
		t.Error("PayloadBytes() differs from the parsed payload")
	}
}

func box(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	return append(append(b, typ...), payload...)
}

func jumd(u jumbf.UUID, toggles byte, label string) []byte {
	p := append(append(u[:0:0], u[:]...), toggles)
	p = append(append(p, label...), 0)
	return box("jumd", p)
}

func superbox(u jumbf.UUID, label string, children ...[]byte) []byte {
	p := jumd(u, 0x03, label)
	for _, c := range children {
		p = append(p, c...)
	}
	return box("jumb", p)
}

func nested(depth int) []byte {
	b := box("json", []byte("{}"))
	for i := 0; i < depth; i++ {
		b = superbox(jumbf.JSONAssertion, "x", b)
	}
	return b
}

func TestParseHostile(t *testing.T) {
	good := superbox(jumbf.ManifestStore, "c2pa", box("cbor", []byte{0xA0}))
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, jumbf.ErrTruncated},
		{"short header", good[:5], jumbf.ErrTruncated},
		{"truncated", good[:len(good)-1], jumbf.ErrBadSize},
		{"size past end", append([]byte{0, 0, 0x10, 0}, good[4:]...), jumbf.ErrBadSize},
		{"size below header", append([]byte{0, 0, 0, 7}, good[4:]...), jumbf.ErrBadSize},
		{"size zero", append([]byte{0, 0, 0, 0}, good[4:]...), jumbf.ErrBadSize},
		{"xlbox past end", append([]byte{0, 0, 0, 1, 'j', 'u', 'm', 'b', 0xff, 0, 0, 0, 0, 0, 0, 0}, good[8:]...), jumbf.ErrBadSize},
		{"depth 33", nested(33), jumbf.ErrTooDeep},
		{"toggles 0x02", box("jumb", jumd(jumbf.ManifestStore, 0x02, "c2pa")), jumbf.ErrToggles},
		{"toggles 0x01", box("jumb", jumd(jumbf.ManifestStore, 0x11, "c2pa")), jumbf.ErrToggles},
		{"empty label", superbox(jumbf.ManifestStore, ""), jumbf.ErrEmptyLabel},
		{"no jumd", box("jumb", box("json", nil)), jumbf.ErrNoDescription},
		{"short jumd", box("jumb", box("jumd", make([]byte, 16))), jumbf.ErrTruncated},
		{"unterminated label", box("jumb", box("jumd", append(append(jumbf.ManifestStore[:], 3), "c2pa"...))), jumbf.ErrTruncated},
		{"id past end", box("jumb", jumd(jumbf.ManifestStore, 0x07, "c2pa")), jumbf.ErrTruncated},
		{"hash past end", box("jumb", jumd(jumbf.ManifestStore, 0x0b, "c2pa")), jumbf.ErrTruncated},
		{"private missing", box("jumb", jumd(jumbf.ManifestStore, 0x13, "c2pa")), jumbf.ErrTruncated},
		{"child past end", superbox(jumbf.ManifestStore, "c2pa", []byte{0, 0, 1, 0, 'c', 'b', 'o', 'r'}), jumbf.ErrBadSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jumbf.Parse(tt.data, jumbf.DefaultLimits)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *jumbf.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err %T is not a *FormatError", err)
			}
		})
	}
	if _, err := jumbf.Parse(nested(32), jumbf.DefaultLimits); err != nil {
		t.Errorf("depth 32 rejected: %v", err)
	}
	if _, err := jumbf.ParseSuperBox(box("json", nil), jumbf.DefaultLimits); !errors.Is(err, jumbf.ErrNotSuperBox) {
		t.Errorf("content box as store: err = %v", err)
	}
	if _, err := jumbf.Parse(good, jumbf.Limits{MaxSize: 10}); !errors.Is(err, jumbf.ErrTooLarge) {
		t.Errorf("MaxSize: err = %v", err)
	}
	if _, err := jumbf.Parse(nested(5), jumbf.Limits{MaxBoxes: 3}); !errors.Is(err, jumbf.ErrTooLarge) {
		t.Errorf("MaxBoxes: err = %v", err)
	}
}

func TestBuildAndParse(t *testing.T) {
	salt := bytes.Repeat([]byte{7}, 16)
	id := uint32(42)
	a := jumbf.NewSuperBox(jumbf.CBORAssertion, "c2pa.hash.data", salt, jumbf.NewContentBox("cbor", []byte{0xA0}))
	withID := jumbf.NewSuperBox(jumbf.JSONAssertion, "x", nil, jumbf.NewContentBox("json", []byte("{}")))
	withID.Desc.ID = &id
	withID.Desc.Hash = bytes.Repeat([]byte{1}, 32)
	store := jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil,
		jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:1", nil,
			jumbf.NewSuperBox(jumbf.AssertionStore, "c2pa.assertions", nil, a, withID)))
	data := store.Bytes()
	if len(data) != store.Size() {
		t.Fatalf("Size %d, Bytes %d", store.Size(), len(data))
	}
	got, err := jumbf.Parse(data, jumbf.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Error("round trip differs")
	}
	pa, err := jumbf.Resolve(got, "urn:c2pa:1", jumbf.AssertionURI("c2pa.hash.data"))
	if err != nil {
		t.Fatal(err)
	}
	if pa.Desc.Toggles != 0x13 || !bytes.Equal(pa.Salt(), salt) || pa.ContentBox("cbor") == nil {
		t.Errorf("assertion parsed as toggles %#x salt %x", pa.Desc.Toggles, pa.Salt())
	}
	px, err := jumbf.Resolve(got, "", "self#jumbf=/c2pa/urn:c2pa:1/c2pa.assertions/x")
	if err != nil {
		t.Fatal(err)
	}
	if px.Desc.ID == nil || *px.Desc.ID != 42 || px.Desc.Toggles != 0x0f {
		t.Errorf("id/hash not kept: %+v", px.Desc)
	}
	c := px.Canonical()
	if c.Desc.Toggles != 0x03 || c.Desc.ID != nil || c.Desc.Hash != nil {
		t.Errorf("Canonical kept %+v", c.Desc)
	}
	if want := len(px.Bytes()) - 36; len(c.Bytes()) != want {
		t.Errorf("canonical size %d, want %d", len(c.Bytes()), want)
	}
}

func TestParseURI(t *testing.T) {
	tests := []struct {
		in       string
		manifest string
		path     []string
		err      bool
	}{
		{"self#jumbf=/c2pa/urn:c2pa:abc/c2pa.assertions/c2pa.hash.data", "urn:c2pa:abc", []string{"c2pa.assertions", "c2pa.hash.data"}, false},
		{"self#jumbf=c2pa/urn:c2pa:abc/c2pa.signature", "urn:c2pa:abc", []string{"c2pa.signature"}, false},
		{"self#jumbf=c2pa.assertions/c2pa.actions.v2", "", []string{"c2pa.assertions", "c2pa.actions.v2"}, false},
		{"self#jumbf=/c2pa/urn:c2pa:abc", "urn:c2pa:abc", []string{}, false},
		{"self#jumbf=/c2pa/urn:c2pa:abc/../x", "", nil, true},
		{"self#jumbf=/other/x", "", nil, true},
		{"self#jumbf=", "", nil, true},
		{"self#jumbf=/c2pa", "", nil, true},
		{"http://example.com/x", "", nil, true},
		{"self#jumbf=a//b", "", nil, true},
	}
	for _, tt := range tests {
		u, err := jumbf.ParseURI(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseURI(%q) err = %v", tt.in, err)
			continue
		}
		if err != nil {
			if !errors.Is(err, jumbf.ErrBadURI) {
				t.Errorf("ParseURI(%q) err = %v, want ErrBadURI", tt.in, err)
			}
			continue
		}
		if u.Manifest != tt.manifest || len(u.Path) != len(tt.path) {
			t.Errorf("ParseURI(%q) = %+v", tt.in, u)
			continue
		}
		for i := range u.Path {
			if u.Path[i] != tt.path[i] {
				t.Errorf("ParseURI(%q) = %+v", tt.in, u)
			}
		}
	}
	if s := (jumbf.URI{Manifest: "m", Path: []string{"c2pa.signature"}}).String(); s != "self#jumbf=/c2pa/m/c2pa.signature" {
		t.Errorf("String = %q", s)
	}
}

func TestResolveAmbiguous(t *testing.T) {
	store := jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil,
		jumbf.NewSuperBox(jumbf.StandardManifest, "m", nil,
			jumbf.NewSuperBox(jumbf.AssertionStore, "c2pa.assertions", nil,
				jumbf.NewSuperBox(jumbf.JSONAssertion, "a", nil),
				jumbf.NewSuperBox(jumbf.JSONAssertion, "a", nil))))
	if _, err := jumbf.Resolve(store, "m", jumbf.AssertionURI("a")); !errors.Is(err, jumbf.ErrAmbiguous) {
		t.Errorf("duplicate labels: err = %v", err)
	}
	if _, err := jumbf.Resolve(store, "m", jumbf.AssertionURI("b")); !errors.Is(err, jumbf.ErrNotFound) {
		t.Errorf("missing label: err = %v", err)
	}
}

func TestUUIDString(t *testing.T) {
	if s := jumbf.ManifestStore.String(); s != "63327061-0011-0010-8000-00AA00389B71" {
		t.Errorf("ManifestStore = %s", s)
	}
	u, err := jumbf.ParseUUID("40cb0c32-bb8a-489d-a70b-2ad6f47f4369")
	if err != nil || u != jumbf.EmbeddedFile {
		t.Errorf("ParseUUID = %v, %v", u, err)
	}
}

func FuzzJUMBF(f *testing.F) {
	for _, rel := range sidecars {
		f.Add(readFixture(f, rel))
	}
	f.Add(nested(3))
	m := jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:f", nil, jumbf.NewContentBox("cbor", []byte{0xA0}))
	if c, err := jumbf.Compress(m); err == nil {
		f.Add(jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil, c).Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := jumbf.Parse(data, jumbf.DefaultLimits)
		if err != nil {
			var fe *jumbf.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		out := b.Bytes()
		b2, err := jumbf.Parse(out, jumbf.DefaultLimits)
		if err != nil {
			t.Fatalf("re-parse of Bytes(): %v", err)
		}
		if !bytes.Equal(b2.Bytes(), out) {
			t.Fatal("Bytes() not stable")
		}
		_ = b.Canonical().Bytes()
		for _, m := range b.Manifests() {
			if m.Desc.Type == jumbf.CompressedManifest {
				_, err := jumbf.Decompress(m, jumbf.Limits{MaxDecompressed: 1 << 16})
				var fe *jumbf.FormatError
				if err != nil && !errors.As(err, &fe) {
					t.Fatalf("Decompress: untyped error %T: %v", err, err)
				}
			}
		}
	})
}
