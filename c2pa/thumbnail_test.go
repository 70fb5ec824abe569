package c2pa_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/internal/testenv"
)

// TestSignThumbnail signs images of every format the engine decodes and
// checks the claim thumbnail: an image of long edge at most 1024 reported as
// the manifest's thumbnail, here and in the oracle (Trusted, same
// identifier); NoThumbnail and undecodable assets (SVG, MP3) get none.
func TestSignThumbnail(t *testing.T) {
	anchorsPath := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	anchors, err := os.ReadFile(anchorsPath)
	if err != nil {
		t.Fatal(err)
	}
	s := loadTestSigner(t, "es256")
	cases := []struct {
		in, mediaType string
		noThumbnail   bool
		want          bool
	}{
		{"jpeg/pt-adobe-20220124-A.jpg", "image/jpeg", false, true},
		{"png/rs-libpng-test.png", "image/png", false, true},
		{"webp/rs-sample1.webp", "image/webp", false, true},
		{"tiff/rs-TUSCANY.TIF", "image/tiff", false, true},
		{"gif/ts-c2pa.gif", "image/gif", false, true},
		{"jpeg/rs-CA.jpg", "image/jpeg", false, true},
		{"png/rs-libpng-test.png", "image/png", true, false},
		{"svg/rs-sample1.svg", "image/svg+xml", false, false},
		{"mp3/ms-cicadas_trusted.mp3", "audio/mpeg", false, false},
	}
	dir := t.TempDir()
	outs := map[string]string{} // output → our thumbnail identifier
	for i, tc := range cases {
		name := filepath.Base(tc.in)
		if tc.noThumbnail {
			name = "off-" + name
		}
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, string(rune('a'+i))+"-"+filepath.Base(tc.in))
			signFile(t, testenv.Fixture(t, filepath.Join("c2pa", tc.in)), out, tc.mediaType, s,
				&c2pa.ManifestDefinition{Title: filepath.Base(tc.in), NoThumbnail: tc.noThumbnail})
			rep := readFile(t, out, tc.mediaType, anchors)
			if rep.ValidationState != c2pa.StateTrusted {
				t.Errorf("state %s, failures %v", rep.ValidationState, rep.FailureCodes())
			}
			m := rep.Manifest(rep.ActiveManifest)
			outs[out] = ""
			if !tc.want {
				if m.Thumbnail != nil {
					t.Errorf("thumbnail %+v, want none", m.Thumbnail)
				}
				return
			}
			if m.Thumbnail == nil {
				t.Fatal("no thumbnail")
			}
			outs[out] = m.Thumbnail.Identifier
			a := rep.Store.Manifest(rep.ActiveManifest).Assertion("c2pa.thumbnail.claim")
			if a == nil {
				t.Fatal("no c2pa.thumbnail.claim assertion")
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(a.Data))
			if err != nil || "image/"+format != m.Thumbnail.Format || a.MediaType != m.Thumbnail.Format {
				t.Fatalf("thumbnail %s: decoded as %s, %v", m.Thumbnail.Format, format, err)
			}
			if max(cfg.Width, cfg.Height) > c2pa.ThumbnailLongEdge || cfg.Width == 0 || cfg.Height == 0 {
				t.Errorf("thumbnail %d×%d", cfg.Width, cfg.Height)
			}
		})
	}
	if len(outs) != len(cases) {
		return
	}
	testenv.Oracle(t)
	args := []string{"--trust", anchorsPath}
	for out := range outs {
		args = append(args, out)
	}
	res, _ := testenv.OracleVerify(t, args...)
	for out, id := range outs {
		v, _ := res[out].(map[string]any)
		if v["validation_state"] != "Trusted" {
			t.Errorf("oracle %s: state %v, failures %v", filepath.Base(out), v["validation_state"], oracleFailures(v))
		}
		label, _ := v["active_manifest"].(string)
		manifests, _ := v["manifests"].(map[string]any)
		am, _ := manifests[label].(map[string]any)
		var theirs string
		if th, ok := am["thumbnail"].(map[string]any); ok {
			theirs, _ = th["identifier"].(string)
		}
		if theirs != id {
			t.Errorf("oracle %s: thumbnail %q, ours %q", filepath.Base(out), theirs, id)
		}
	}
}
