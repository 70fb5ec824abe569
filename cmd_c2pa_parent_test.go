package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"provgraph/internal/testenv"
)

// TestC2PASignParent runs "sign --parent" (c2patool -p) and
// "sign --no-thumbnail", then "verify": Trusted, the parent listed as the
// parentOf ingredient, the claim thumbnail present unless turned off.
func TestC2PASignParent(t *testing.T) {
	fx := func(rel string) string { return testenv.Fixture(t, rel) }
	dir := t.TempDir()
	key := []string{"--cert", fx("certs/c2pa-rs/es256.pub"), "--key", fx("certs/c2pa-rs/es256.pem")}
	rsTrust := fx("certs/c2pa-rs/trust/test_cert_root_bundle.pem")
	cases := []struct {
		name      string
		flags     []string
		parent    string // title of the parentOf ingredient, "" for none
		thumbnail bool
	}{
		{"parent with credentials", []string{"--parent", fx("c2pa/jpeg/rs-CA.jpg")}, "rs-CA.jpg", true},
		{"parent without credentials", []string{"--parent", fx("c2pa/jpeg/pt-adobe-20220124-A.jpg")}, "pt-adobe-20220124-A.jpg", true},
		{"no thumbnail", []string{"--no-thumbnail"}, "", false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out"+string(rune('0'+i))+".png")
			args := append([]string{"sign", fx("c2pa/png/rs-libpng-test.png"), out}, key...)
			if code, b := runC2PA(t, append(args, tc.flags...)...); code != 0 {
				t.Fatalf("sign: exit %d\n%s", code, b)
			}
			code, b := runC2PA(t, "verify", out, "--trust", rsTrust)
			var v struct {
				Active    string `json:"active_manifest"`
				State     string `json:"validation_state"`
				Manifests map[string]struct {
					Thumbnail   *struct{ Format string } `json:"thumbnail"`
					Ingredients []struct {
						Title        string `json:"title"`
						Relationship string `json:"relationship"`
					} `json:"ingredients"`
				} `json:"manifests"`
			}
			if err := json.Unmarshal(b, &v); err != nil || code != 0 {
				t.Fatalf("verify: exit %d, %v\n%s", code, err, b)
			}
			m := v.Manifests[v.Active]
			if v.State != "Trusted" {
				t.Errorf("state %s", v.State)
			}
			if (m.Thumbnail != nil) != tc.thumbnail {
				t.Errorf("thumbnail %+v, want one: %v", m.Thumbnail, tc.thumbnail)
			}
			if tc.parent == "" {
				if len(m.Ingredients) != 0 {
					t.Errorf("ingredients %+v", m.Ingredients)
				}
				return
			}
			if len(m.Ingredients) != 1 || m.Ingredients[0].Title != tc.parent || m.Ingredients[0].Relationship != "parentOf" {
				t.Errorf("ingredients %+v, want %s as parentOf", m.Ingredients, tc.parent)
			}
		})
	}
}
