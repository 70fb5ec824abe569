package c2pa_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/andybalholm/brotli"

	"provgraph/c2pa"
	"provgraph/c2pa/asset"
	"provgraph/c2pa/jumbf"
	"provgraph/internal/testenv"
)

// compressStore rewrites every manifest of a store as a compressed (c2cm)
// manifest whose brob box holds the Brotli-compressed manifest superbox.
func compressStore(t *testing.T, store []byte) []byte {
	t.Helper()
	root, err := jumbf.ParseSuperBox(store, jumbf.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range root.Children {
		if m.Desc == nil || !jumbf.IsManifest(m.Desc.Type) {
			continue
		}
		var buf bytes.Buffer
		w := brotli.NewWriter(&buf)
		w.Write(m.Bytes())
		w.Close()
		root.Children[i] = jumbf.NewSuperBox(jumbf.CompressedManifest, m.Label(), nil, jumbf.NewContentBox(jumbf.TypeBrotli, buf.Bytes()))
	}
	return root.Bytes()
}

// TestCompressedManifests reads rs-CA.jpg's store recompressed (c2cm/brob)
// as a sidecar: the result is the same as with the plain store, since the
// manifest hash covers the uncompressed manifest.
func TestCompressedManifests(t *testing.T) {
	data, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/pt-adobe-20220124-CACA.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := asset.Lookup("image/jpeg")
	store, err := h.ReadStore(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := readFixture(t, "jpeg/pt-adobe-20220124-CACA.jpg", "image/jpeg", c2pa.ReadOptions{Sidecar: compressStore(t, store), TrustAnchors: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ValidationState != c2pa.StateTrusted || len(rep.Store.Manifests) != 2 {
		t.Errorf("state %s, %d manifests, failures %v", rep.ValidationState, len(rep.Store.Manifests), rep.FailureCodes())
	}
	// Corrupt Brotli data: the manifest is left out and reported.
	bad := compressStore(t, store)
	bad[len(bad)-20] ^= 0xff
	if rep, err := c2pa.ReadStore(t.Context(), bad, c2pa.ReadOptions{}); err == nil {
		found := false
		for _, c := range rep.FailureCodes() {
			found = found || c == "manifest.compressed.invalid"
		}
		if !found && rep.ValidationState != c2pa.StateInvalid {
			t.Errorf("corrupt brob: state %s failures %v", rep.ValidationState, rep.FailureCodes())
		}
	}
}
