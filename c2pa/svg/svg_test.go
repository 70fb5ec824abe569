package svg_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/svg"
)

var b64 = base64.StdEncoding.EncodeToString(assettest.Store)

const ns = ` xmlns:c2pa="http://c2pa.org/manifest"`

// TestPlanPlacement checks the three places a store goes and that only
// the base64 text is excluded.
func TestPlanPlacement(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no metadata", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><path d="M0"/></svg>`,
			`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"` + ns + `><metadata><c2pa:manifest>` + b64 + `</c2pa:manifest></metadata><path d="M0"/></svg>`},
		{"metadata", `<svg><title>t</title><metadata><rdf/></metadata></svg>`,
			`<svg` + ns + `><title>t</title><metadata><c2pa:manifest>` + b64 + `</c2pa:manifest><rdf/></metadata></svg>`},
		{"replace", `<svg` + ns + `><metadata><c2pa:manifest>b2xk</c2pa:manifest></metadata></svg>`,
			`<svg` + ns + `><metadata><c2pa:manifest>` + b64 + `</c2pa:manifest></metadata></svg>`},
		{"empty element", `<svg><metadata><c2pa:manifest xmlns:c2pa="http://c2pa.org/manifest"></c2pa:manifest></metadata></svg>`,
			`<svg` + ns + `><metadata><c2pa:manifest xmlns:c2pa="http://c2pa.org/manifest">` + b64 + `</c2pa:manifest></metadata></svg>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, out := assettest.Apply(t, svg.Handler{}, []byte(tt.in), assettest.Store)
			if string(out) != tt.want {
				t.Fatalf("output\n%s\nwant\n%s", out, tt.want)
			}
			at := int64(bytes.Index(out, []byte(b64)))
			if e := (asset.Range{Start: at, Length: int64(len(b64))}); len(p.Exclusions) != 1 || p.Exclusions[0] != e {
				t.Errorf("exclusions %v, want [%v]", p.Exclusions, e)
			}
			if got, err := (svg.Handler{}).ReadStore(bytes.NewReader(out), int64(len(out))); err != nil || !bytes.Equal(got, assettest.Store) {
				t.Errorf("ReadStore: %v", err)
			}
			_, removed := assettest.Apply(t, svg.Handler{}, out, nil)
			if bytes.Contains(removed, []byte("c2pa:manifest>")) {
				t.Errorf("removal left %s", removed)
			}
		})
	}
}

// TestReadStore checks that only text of the element under svg/metadata
// counts: not a comment, not CDATA, not the element elsewhere.
func TestReadStore(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"store", `<svg><metadata><c2pa:manifest>` + b64 + `</c2pa:manifest></metadata></svg>`, nil},
		{"in a comment", `<svg><metadata><!--<c2pa:manifest>` + b64 + `</c2pa:manifest>--></metadata></svg>`, asset.ErrNoStore},
		{"as CDATA", `<svg><metadata><c2pa:manifest><![CDATA[` + b64 + `]]></c2pa:manifest></metadata></svg>`, asset.ErrNoStore},
		{"outside metadata", `<svg><g><c2pa:manifest>` + b64 + `</c2pa:manifest></g></svg>`, asset.ErrNoStore},
		{"empty", `<svg><metadata><c2pa:manifest></c2pa:manifest></metadata></svg>`, asset.ErrNoStore},
		{"bad base64", `<svg><metadata><c2pa:manifest>@@@</c2pa:manifest></metadata></svg>`, asset.ErrMalformed},
		{"root is not svg", `<html><metadata></metadata></html>`, asset.ErrMalformed},
		{"not XML", `<svg><metadata></c2pa:manifest`, asset.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := (svg.Handler{}).ReadStore(bytes.NewReader([]byte(tt.in)), int64(len(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && !bytes.Equal(got, assettest.Store) {
				t.Error("store differs")
			}
		})
	}
}

func TestRemoteURL(t *testing.T) {
	in := []byte(`<svg><metadata><?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta><rdf:Description dcterms:provenance="https://example.com/m.c2pa"/></x:xmpmeta><?xpacket end="w"?></metadata></svg>`)
	if url, err := (svg.Handler{}).RemoteURL(bytes.NewReader(in), int64(len(in))); err != nil || url != "https://example.com/m.c2pa" {
		t.Errorf("RemoteURL = %q, %v", url, err)
	}
}

func FuzzSVG(f *testing.F) {
	f.Add(assettest.ReadFixture(f, "svg/rs-sample3.svg"))
	f.Add(assettest.ReadFixture(f, "svg/ms-cards_trusted.svg"))
	f.Add([]byte(`<svg><metadata><!--x--><c2pa:manifest><![CDATA[x]]>b2xk</c2pa:manifest></metadata><g/></svg>`))
	assettest.Fuzz(f, svg.Handler{})
}
