package asset_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"provgraph/c2pa/asset"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/jumbf"
	"provgraph/internal/testenv"
)

// fixtures returns the INDEX.tsv rows a registered handler serves.
func fixtures(t testing.TB) []assettest.Fixture {
	t.Helper()
	fxs := assettest.Fixtures(t)
	if len(fxs) < 40 {
		t.Fatalf("only %d fixtures for the registered handlers", len(fxs))
	}
	return fxs
}

func open(t testing.TB, rel string) (*os.File, int64) {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, filepath.Join("c2pa", rel)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return f, st.Size()
}

var remoteURL = regexp.MustCompile(`RemoteManifestUrl\("([^"]+)"\)`)

// TestReadStore checks every fixture of a served format: the handler found
// by sniffing is the one for its media type, a store is found iff INDEX.tsv
// says the asset has a manifest, it parses as a JUMBF manifest store, and a
// remote manifest URL is reported where c2pa-rs reports one.
func TestReadStore(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.File, func(t *testing.T) {
			r, size := open(t, fx.File)
			byType, _ := asset.Lookup(fx.MediaType)
			h, err := asset.Detect(r, size)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if h.Format() != byType.Format() {
				t.Fatalf("Detect = %s, media type %s gives %s", h.Format(), fx.MediaType, byType.Format())
			}
			if _, mt, err := asset.DetectMediaType(r, size); err != nil || mt != fx.MediaType {
				t.Errorf("DetectMediaType = %q, %v; INDEX.tsv says %q", mt, err, fx.MediaType)
			}
			store, err := h.ReadStore(r, size)
			switch {
			case fx.HasManifest:
				if err != nil {
					t.Fatalf("ReadStore: %v", err)
				}
				b, err := jumbf.ParseSuperBox(store, jumbf.DefaultLimits)
				if err != nil {
					t.Fatalf("store does not parse: %v", err)
				}
				if b.Desc.Type != jumbf.ManifestStore || len(b.Manifests()) == 0 {
					t.Fatalf("store is %v", b)
				}
			case strings.Contains(fx.OracleFailures, "JumbfParseError"):
				// A carrier whose content is not a manifest store.
				if err != nil {
					t.Fatalf("ReadStore: %v", err)
				}
				if _, err := jumbf.ParseSuperBox(store, jumbf.DefaultLimits); err == nil {
					t.Fatal("store parses, c2pa-rs reports " + fx.OracleFailures)
				}
			case strings.Contains(fx.OracleFailures, "InvalidAsset"):
				var fe *asset.FormatError
				if !errors.As(err, &fe) || !errors.Is(err, asset.ErrMalformed) {
					t.Fatalf("ReadStore err = %v, want a malformed-asset FormatError (c2pa-rs: %s)", err, fx.OracleFailures)
				}
			default:
				if !errors.Is(err, asset.ErrNoStore) {
					t.Fatalf("ReadStore err = %v, want ErrNoStore", err)
				}
			}
			url, err := h.RemoteURL(r, size)
			if fx.HasManifest || strings.Contains(fx.OracleFailures, "InvalidAsset") {
				return
			}
			if err != nil {
				t.Fatalf("RemoteURL: %v", err)
			}
			want := ""
			if m := remoteURL.FindStringSubmatch(fx.OracleFailures); m != nil {
				want = m[1]
			}
			if url != want {
				t.Errorf("RemoteURL = %q, c2pa-rs reports %q", url, want)
			}
		})
	}
}

// carrierPrefix is what the output starts with at the exclusion of a plan.
var carrierPrefix = map[string]func(store []byte) []byte{
	"jpeg":    func([]byte) []byte { return []byte{0xFF, 0xEB} },
	"png":     func(s []byte) []byte { return append(be32(len(s)), "caBX"...) },
	"riff":    func([]byte) []byte { return []byte("C2PA") },
	"sidecar": func(s []byte) []byte { return s[:8] },
	"tiff":    func(s []byte) []byte { return s[:8] },
	"mp3":     func(s []byte) []byte { return s[:8] },
	"svg":     func(s []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(s[:6])) },
	"gif":     func([]byte) []byte { return []byte("\x21\xff\x0bC2PA_GIF\x01\x00\x00") },
	"bmff":    func(s []byte) []byte { return append(be32(len(s)+45), "uuid"...) },
}

func be32(n int) []byte { return []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)} }

// apply runs a plan into memory and checks what every plan must satisfy:
// the output size, the carrier at the exclusion and that HashExcluding
// hashes the same bytes as HashRanges over the written output.
func apply(t *testing.T, h asset.Handler, input, store []byte) []byte {
	t.Helper()
	p, data := assettest.Apply(t, h, input, store)
	if len(store) == 0 {
		if len(p.Exclusions) != 0 {
			t.Errorf("removal plan has exclusions %v", p.Exclusions)
		}
	} else {
		// The carrier comes first; TIFF adds its entry's count field.
		if len(p.Exclusions) == 0 || p.Exclusions[0] != p.Carrier || (len(p.Exclusions) > 1) != (h.Format() == "tiff") {
			t.Fatalf("exclusions %v, carrier %v", p.Exclusions, p.Carrier)
		}
		e := p.Exclusions[0]
		if want := carrierPrefix[h.Format()](store); !bytes.HasPrefix(data[e.Start:], want) {
			t.Errorf("output at exclusion %v starts % x, want % x", e, data[e.Start:e.Start+8], want)
		}
		tail := store[len(store)-min(len(store), 100):]
		if h.Format() == "svg" { // the exclusion holds the store's base64
			b64 := base64.StdEncoding.EncodeToString(store)
			tail = []byte(b64[len(b64)-min(len(b64), 100):])
		}
		if !bytes.Contains(data[e.Start:e.End()], tail) {
			t.Errorf("exclusion %v does not hold the end of the store", e)
		}
	}
	h1, h2 := sha256.New(), sha256.New()
	if err := p.HashExcluding(bytes.NewReader(input), h1); err != nil {
		t.Fatalf("HashExcluding: %v", err)
	}
	if err := asset.HashRanges(bytes.NewReader(data), int64(len(data)), p.Exclusions, h2); err != nil {
		t.Fatalf("HashRanges: %v", err)
	}
	if !bytes.Equal(h1.Sum(nil), h2.Sum(nil)) {
		t.Error("HashExcluding differs from HashRanges over the written output")
	}
	return data
}

// testStore builds a small canonical manifest store.
func testStore(filler int) []byte {
	return jumbf.NewSuperBox(jumbf.ManifestStore, "c2pa", nil,
		jumbf.NewSuperBox(jumbf.StandardManifest, "urn:c2pa:00000000-0000-4000-8000-000000000000", nil,
			jumbf.NewSuperBox(jumbf.AssertionStore, "c2pa.assertions", nil,
				jumbf.NewSuperBox(jumbf.CBORAssertion, "test.filler", bytes.Repeat([]byte{1}, 16),
					jumbf.NewContentBox("cbor", bytes.Repeat([]byte{0x42}, filler)))))).Bytes()
}

// TestPlanRoundTrip embeds, removes and re-embeds stores in every fixture.
func TestPlanRoundTrip(t *testing.T) {
	for _, fx := range fixtures(t) {
		// PDF is read-only, as in c2pa-rs (its Plan is ErrUnsupported).
		if strings.Contains(fx.OracleFailures, "InvalidAsset") || fx.MediaType == "application/pdf" {
			continue
		}
		t.Run(fx.File, func(t *testing.T) {
			data := assettest.ReadFixture(t, fx.File)
			h, _ := asset.Lookup(fx.MediaType)
			orig, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
			if err != nil && !errors.Is(err, asset.ErrNoStore) {
				t.Fatal(err)
			}
			// Replace whatever is there by a new store, large enough for
			// several JPEG segments and of odd length for RIFF.
			fresh := testStore(150001)
			out := apply(t, h, data, fresh)
			if got, err := h.ReadStore(bytes.NewReader(out), int64(len(out))); err != nil || !bytes.Equal(got, fresh) {
				t.Fatalf("ReadStore after embedding: %d bytes, %v", len(got), err)
			}
			if h.Format() == "sidecar" {
				return
			}
			// Remove it: no store left, and nothing else changed.
			stripped := apply(t, h, out, nil)
			if _, err := h.ReadStore(bytes.NewReader(stripped), int64(len(stripped))); !errors.Is(err, asset.ErrNoStore) {
				t.Fatalf("ReadStore after removal: %v", err)
			}
			if orig == nil {
				return
			}
			// Re-embed the original store: it reads back unchanged.
			again := apply(t, h, stripped, orig)
			if got, err := h.ReadStore(bytes.NewReader(again), int64(len(again))); err != nil || !bytes.Equal(got, orig) {
				t.Fatalf("ReadStore after re-embedding the original: %d bytes, %v", len(got), err)
			}
		})
	}
}

func TestHashRangesErrors(t *testing.T) {
	data := []byte("0123456789")
	tests := []struct {
		name string
		excl []asset.Range
		want string
		err  bool
	}{
		{"none", nil, "0123456789", false},
		{"middle", []asset.Range{{Start: 2, Length: 3}}, "0156789", false},
		{"unsorted overlapping", []asset.Range{{Start: 6, Length: 2}, {Start: 1, Length: 2}, {Start: 2, Length: 2}}, "04589", false},
		{"zero length", []asset.Range{{Start: 3, Length: 0}}, "0123456789", false},
		{"to the end", []asset.Range{{Start: 8, Length: 2}}, "01234567", false},
		{"past the end", []asset.Range{{Start: 8, Length: 3}}, "", true},
		{"start past the end", []asset.Range{{Start: 11, Length: 0}}, "", true},
		{"negative", []asset.Range{{Start: -1, Length: 2}}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := sha256.New()
			err := asset.HashRanges(bytes.NewReader(data), int64(len(data)), tt.excl, h)
			if tt.err {
				if !errors.Is(err, asset.ErrExclusion) {
					t.Fatalf("err = %v, want ErrExclusion", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := sha256.Sum256([]byte(tt.want)); !bytes.Equal(h.Sum(nil), want[:]) {
				t.Errorf("hash differs from sha256(%q)", tt.want)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"image/jpeg", "jpeg"}, {"IMAGE/PNG; foo=bar", "png"}, {"image/webp", "riff"}, {"audio/x-wav", "riff"},
		{"video/avi", "riff"}, {"application/c2pa", "sidecar"}, {"jpg", "jpeg"}, {".webp", "riff"}, {"c2pa", "sidecar"},
		{"video/mp4", "bmff"}, {"image/heic", "bmff"}, {"mov", "bmff"}, {".m4a", "bmff"},
		{"tif", "tiff"}, {"image/x-adobe-dng", "tiff"}, {".gif", "gif"}, {"svg", "svg"}, {"mp3", "mp3"}, {"pdf", "pdf"},
	}
	for _, tt := range tests {
		h, ok := asset.Lookup(tt.in)
		if !ok || h.Format() != tt.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tt.in, h, ok, tt.want)
		}
	}
	if _, ok := asset.Lookup("video/x-matroska"); ok {
		t.Error("Lookup(video/x-matroska) found a handler")
	}
	if _, err := asset.Detect(bytes.NewReader([]byte("BM6\x00\x00\x00")), 6); !errors.Is(err, asset.ErrUnsupported) {
		t.Errorf("Detect(BMP) err = %v", err)
	}
}
