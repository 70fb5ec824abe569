package c2pa_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa"
	"provgraph/internal/testenv"
)

// TestSignParent signs an asset with another file as its parentOf
// ingredient (c2patool -p), a parent with Content Credentials and one
// without: Trusted here and in the oracle, the ingredient titled after the
// parent file, and a credentialed parent's active manifest copied in and
// referenced, its claim thumbnail carried as the ingredient's thumbnail
// (one made from the image for a parent without credentials).
func TestSignParent(t *testing.T) {
	anchorsPath := testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	anchors, err := os.ReadFile(anchorsPath)
	if err != nil {
		t.Fatal(err)
	}
	s := loadTestSigner(t, "es256")
	in := testenv.Fixture(t, "c2pa/png/rs-libpng-test.png")
	cases := []struct {
		name, parent, parentType string
		credentials              bool
	}{
		{"with credentials", "jpeg/rs-CA.jpg", "jpg", true},
		{"without credentials", "jpeg/pt-adobe-20220124-A.jpg", "jpg", false},
		{"signed input replaced", "jpeg/rs-CA.jpg", "", true},
	}
	dir := t.TempDir()
	var outs []string
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parentPath := testenv.Fixture(t, filepath.Join("c2pa", tc.parent))
			pb, err := os.ReadFile(parentPath)
			if err != nil {
				t.Fatal(err)
			}
			src := in
			if tc.name == "signed input replaced" {
				src = testenv.Fixture(t, "c2pa/png/rs-bench-100kb-signed.png")
			}
			def := &c2pa.ManifestDefinition{
				Title:  "out.png",
				Parent: &c2pa.ParentAsset{R: bytes.NewReader(pb), Size: int64(len(pb)), MediaType: tc.parentType, Title: filepath.Base(tc.parent)},
			}
			out := filepath.Join(dir, "out"+string(rune('0'+i))+".png")
			signFile(t, src, out, "image/png", s, def)
			outs = append(outs, out)
			rep := readFile(t, out, "image/png", anchors)
			if rep.ValidationState != c2pa.StateTrusted || len(rep.FailureCodes()) != 0 {
				t.Errorf("state %s, failures %v", rep.ValidationState, rep.FailureCodes())
			}
			m := rep.Manifest(rep.ActiveManifest)
			if len(m.Ingredients) != 1 {
				t.Fatalf("%d ingredients, want 1", len(m.Ingredients))
			}
			ing := m.Ingredients[0]
			if ing.Relationship != "parentOf" || ing.Title != filepath.Base(tc.parent) || ing.Format != "image/jpeg" || ing.InstanceID == "" {
				t.Errorf("ingredient %+v", ing)
			}
			if !tc.credentials {
				if ing.ActiveManifest != "" || rep.Manifests.Len() != 1 {
					t.Errorf("credential-less parent: active manifest %q, %d manifests", ing.ActiveManifest, rep.Manifests.Len())
				}
				// Made from the parent image, as c2pa-rs does.
				if ing.Thumbnail == nil || ing.Thumbnail.Identifier != m.Thumbnail.Identifier[:len(m.Thumbnail.Identifier)-len("claim")]+"ingredient" {
					t.Errorf("ingredient thumbnail %+v", ing.Thumbnail)
				}
				return
			}
			prev := readFile(t, parentPath, "image/jpeg", nil)
			checkParent(t, rep, prev)
			if rep.Manifests.Len() != prev.Manifests.Len()+1 {
				t.Errorf("%d manifests, want the parent's %d and the new one", rep.Manifests.Len(), prev.Manifests.Len())
			}
			pm := prev.Manifest(prev.ActiveManifest)
			if pm.Thumbnail == nil {
				t.Fatal("parent fixture has no claim thumbnail")
			}
			if ing.Thumbnail == nil || ing.Thumbnail.Identifier != pm.Thumbnail.Identifier || ing.Thumbnail.Format != "image/jpeg" {
				t.Errorf("ingredient thumbnail %+v, want the parent's claim thumbnail %+v", ing.Thumbnail, pm.Thumbnail)
			}
		})
	}
	if testing.Short() || len(outs) != len(cases) {
		return
	}
	if _, err := os.Stat(testenv.Oracle(t)); err != nil {
		t.Fatal(err)
	}
	res, _ := testenv.OracleVerify(t, append(outs, "--trust", anchorsPath)...)
	for _, out := range outs {
		v, _ := res[out].(map[string]any)
		if v["validation_state"] != "Trusted" {
			t.Errorf("oracle %s: state %v, failures %v", filepath.Base(out), v["validation_state"], oracleFailures(v))
		}
		manifests, _ := v["manifests"].(map[string]any)
		am, _ := manifests[v["active_manifest"].(string)].(map[string]any)
		ings, _ := am["ingredients"].([]any)
		if len(ings) != 1 || ings[0].(map[string]any)["relationship"] != "parentOf" {
			t.Errorf("oracle %s: ingredients %v", filepath.Base(out), ings)
		}
	}
}
