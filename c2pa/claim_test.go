package c2pa

import (
	"errors"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

func encodeMap(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := cbor.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeClaim(t *testing.T) {
	uri := map[string]any{"url": "self#jumbf=c2pa.assertions/c2pa.hash.data", "hash": []byte{1, 2}}
	v2 := func(extra map[string]any) map[string]any {
		m := map[string]any{
			"instanceID":           "xmp:iid:1",
			"claim_generator_info": map[string]any{"name": "x"},
			"signature":            "self#jumbf=c2pa.signature",
			"created_assertions":   []any{uri},
			"alg":                  "sha256",
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	v1 := map[string]any{
		"claim_generator": "x/1", "signature": "self#jumbf=c2pa.signature", "assertions": []any{uri},
		"dc:format": "image/jpeg", "instanceID": "xmp:iid:1", "alg": "sha256",
	}
	tests := []struct {
		name    string
		data    []byte
		version int
		err     error // errNoAlg, or nil; malformed checked with wantMal
		wantMal bool
	}{
		{"v2", encodeMap(t, v2(nil)), 2, nil, false},
		{"v1", encodeMap(t, v1), 1, nil, false},
		{"v2 with gathered", encodeMap(t, v2(map[string]any{"gathered_assertions": []any{uri}})), 2, nil, false},
		{"v2 unknown key", encodeMap(t, v2(map[string]any{"dc:format": "image/jpeg"})), 0, nil, true},
		{"v2 claim_generator_hints", encodeMap(t, v2(map[string]any{"claim_generator_hints": map[string]any{}})), 0, nil, true},
		{"both lists", encodeMap(t, v2(map[string]any{"assertions": []any{uri}})), 0, nil, true},
		{"no list", encodeMap(t, map[string]any{"alg": "sha256"}), 0, nil, true},
		{"missing alg", func() []byte { m := v2(nil); delete(m, "alg"); return encodeMap(t, m) }(), 2, errNoAlg, false},
		{"missing instanceID", func() []byte { m := v2(nil); delete(m, "instanceID"); return encodeMap(t, m) }(), 0, nil, true},
		{"not a map", []byte{0x01}, 0, nil, true},
		{"truncated", []byte{0xa1, 0x63}, 0, nil, true},
		{"integer key", []byte{0xa1, 0x01, 0x01}, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeClaim(tt.data)
			var ce *ClaimError
			if tt.wantMal {
				if !errors.As(err, &ce) {
					t.Fatalf("want *ClaimError, got %v", err)
				}
				return
			}
			if !errors.Is(err, tt.err) && !(tt.err == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if c.Version != tt.version {
				t.Errorf("version %d, want %d", c.Version, tt.version)
			}
		})
	}
}

func TestEncodeV2RoundTrip(t *testing.T) {
	c := &Claim{
		Version: 2, InstanceID: "xmp:iid:1", Signature: "self#jumbf=/c2pa/urn:c2pa:x/c2pa.signature", Alg: "sha256",
		ClaimGeneratorInfo: []cbor.RawMessage{encodeMap(t, map[string]any{"name": "provgraph"})},
		Created:            []HashedURI{{URL: "self#jumbf=c2pa.assertions/c2pa.hash.data", Hash: []byte{9}}},
		Title:              "t",
	}
	b, err := c.EncodeV2()
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeClaim(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 2 || d.Title != "t" || len(d.Created) != 1 || d.Created[0].URL != c.Created[0].URL || len(d.Gathered) != 0 {
		t.Errorf("round trip: %+v", d)
	}
	// c2pa-rs key order: instanceID first.
	if want := "instanceID"; string(b[2:2+len(want)]) != want {
		t.Errorf("first key %q", b[2:12])
	}
}

func TestSplitInstance(t *testing.T) {
	for _, tt := range []struct {
		in   string
		base string
		n    int
	}{
		{"c2pa.ingredient.v3", "c2pa.ingredient.v3", 0},
		{"c2pa.ingredient.v3__1", "c2pa.ingredient.v3", 1},
		{"c2pa.thumbnail.ingredient__2.jpeg", "c2pa.thumbnail.ingredient.jpeg", 2},
		{"odd__x", "odd__x", 0},
	} {
		if b, n := splitInstance(tt.in); b != tt.base || n != tt.n {
			t.Errorf("splitInstance(%q) = %q, %d; want %q, %d", tt.in, b, n, tt.base, tt.n)
		}
	}
}

func TestURIHelpers(t *testing.T) {
	for _, tt := range []struct{ uri, manifest, assertion, abs string }{
		{"self#jumbf=c2pa.assertions/c2pa.hash.data", "", "c2pa.hash.data", "self#jumbf=/c2pa/M/c2pa.assertions/c2pa.hash.data"},
		{"self#jumbf=/c2pa/urn:c2pa:1/c2pa.assertions/a__1", "urn:c2pa:1", "a__1", "self#jumbf=/c2pa/urn:c2pa:1/c2pa.assertions/a__1"},
		{"self#jumbf=c2pa/L/c2pa.signature", "L", "c2pa.signature", "self#jumbf=/c2pa/L/c2pa.signature"},
	} {
		if got := manifestLabelFromURI(tt.uri); got != tt.manifest {
			t.Errorf("manifestLabelFromURI(%q) = %q", tt.uri, got)
		}
		if got := assertionLabelFromURI(tt.uri); got != tt.assertion {
			t.Errorf("assertionLabelFromURI(%q) = %q", tt.uri, got)
		}
		if got := absoluteURI(tt.uri, "M"); got != tt.abs {
			t.Errorf("absoluteURI(%q) = %q", tt.uri, got)
		}
	}
}

func TestPadToSize(t *testing.T) {
	for _, target := range []int{110, 120, 256, 300, 1000} {
		d := &DataHash{Name: "jumbf manifest", Alg: "sha256", Hash: make([]byte, 32), Exclusions: []Exclusion{{Start: 20, Length: 70000}}}
		b, err := d.padToSize(target)
		if err != nil {
			t.Errorf("target %d: %v", target, err)
			continue
		}
		if len(b) != target {
			t.Errorf("target %d: got %d bytes", target, len(b))
		}
		back, err := decodeDataHash(b)
		if err != nil || back.Exclusions[0].Length != 70000 {
			t.Errorf("target %d: decode %v %+v", target, err, back)
		}
	}
}

func TestDecodeJSONIngredient(t *testing.T) {
	a := &Assertion{Label: "c2pa.ingredient", Kind: KindJSON, Data: []byte(`{"dc:title":"A.jpg","dc:format":"image/jpeg","relationship":"parentOf",
		"c2pa_manifest":{"url":"self#jumbf=/c2pa/L","hash":[1,2,3]}}`)}
	ing, err := decodeIngredient(a)
	if err != nil {
		t.Fatal(err)
	}
	if ing.Title != "A.jpg" || ing.Relationship != "parentOf" || ing.C2PAManifest == nil || len(ing.C2PAManifest.Hash) != 3 {
		t.Errorf("decoded %+v", ing)
	}
}
