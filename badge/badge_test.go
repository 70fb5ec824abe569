package badge_test

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"provgraph/badge"
	"provgraph/verify"
)

func TestSVGIsValidAndAccessible(t *testing.T) {
	for _, info := range verify.Tiers {
		for _, theme := range []string{"light", "dark"} {
			for _, size := range []string{"sm", "md", "lg"} {
				o, err := badge.ParseOptions(theme, size)
				if err != nil {
					t.Fatal(err)
				}
				a := verify.Assess(verify.Facts{})
				a.Tier, a.Label = info.Tier, info.Label
				b := badge.New(`id"<&>`, a, "https://pg.example/verify/x")
				svg := b.SVG(o)
				// Well-formed XML with an svg root, a title naming the tier label.
				dec := xml.NewDecoder(strings.NewReader(svg))
				var root string
				var title strings.Builder
				inTitle := false
				for {
					tok, err := dec.Token()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("%s/%s/%s: not well-formed: %v\n%s", info.Tier, theme, size, err, svg)
					}
					switch e := tok.(type) {
					case xml.StartElement:
						if root == "" {
							root = e.Name.Local
						}
						inTitle = e.Name.Local == "title"
					case xml.EndElement:
						inTitle = false
					case xml.CharData:
						if inTitle {
							title.Write(e)
						}
					}
				}
				if root != "svg" || !strings.Contains(title.String(), info.Label) {
					t.Fatalf("root %q title %q", root, title.String())
				}
				if !strings.Contains(svg, `role="img"`) {
					t.Fatal("svg lacks role=img")
				}
			}
		}
	}
}

func TestOptions(t *testing.T) {
	if _, err := badge.ParseOptions("neon", ""); !errors.Is(err, badge.ErrOption) {
		t.Fatalf("bad theme: %v", err)
	}
	if _, err := badge.ParseOptions("", "xl"); !errors.Is(err, badge.ErrOption) {
		t.Fatalf("bad size: %v", err)
	}
	o, err := badge.ParseOptions("", "")
	if err != nil || o.Theme != badge.Light || o.Size != badge.Medium {
		t.Fatalf("defaults: %+v %v", o, err)
	}
	small, _ := badge.ParseOptions("", "sm")
	large, _ := badge.ParseOptions("", "lg")
	b := badge.New("v1", verify.Assessment{Tier: verify.TierVerified, Label: "Verified"}, "https://x/verify/v1")
	if len(b.SVG(small)) == 0 || b.SVG(small) == b.SVG(large) {
		t.Fatal("sizes must differ")
	}
}

func TestHTMLEscapes(t *testing.T) {
	b := badge.New("v1", verify.Assessment{Tier: verify.TierTampered, Label: "Tampered"}, `https://x/verify/v1?a="><script>`)
	h := b.HTML("https://x/badge/v1.svg")
	if strings.Contains(h, "<script>") || !strings.Contains(h, `alt="Content Credentials: Tampered"`) {
		t.Fatalf("snippet: %s", h)
	}
}
