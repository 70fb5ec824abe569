package c2pa

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/jumbf"
)

// ManifestDefinition is the JSON manifest definition c2patool takes
// (a subset of c2pa-rs's ManifestDefinition).
type ManifestDefinition struct {
	Vendor             string                 `json:"vendor,omitempty"`
	ClaimGeneratorInfo []json.RawMessage      `json:"claim_generator_info,omitempty"`
	Title              string                 `json:"title,omitempty"`
	Format             string                 `json:"format,omitempty"`
	InstanceID         string                 `json:"instance_id,omitempty"`
	Assertions         []AssertionDefinition  `json:"assertions,omitempty"`
	Ingredients        []IngredientDefinition `json:"ingredients,omitempty"`
	// Parent, when set, is the asset the signed one was made from: it
	// becomes the parentOf ingredient, with its manifests copied into the
	// new store, in place of the signed asset's own store.
	Parent *ParentAsset `json:"-"`
	// NoThumbnail turns off the thumbnails made from images when signing:
	// the claim thumbnail of the signed image and the ingredient thumbnail
	// of a parent without one (a provgraph extension of the definition).
	NoThumbnail bool `json:"no_thumbnail,omitempty"`
}

// AssertionDefinition is one assertion of a manifest definition. Data is
// written as CBOR unless Kind is "Json".
type AssertionDefinition struct {
	Label   string          `json:"label"`
	Data    json.RawMessage `json:"data"`
	Kind    string          `json:"kind,omitempty"`
	Created bool            `json:"created,omitempty"`
}

// IngredientDefinition describes an ingredient without provenance data.
type IngredientDefinition struct {
	Title        string `json:"title,omitempty"`
	Format       string `json:"format,omitempty"`
	Relationship string `json:"relationship,omitempty"`
	InstanceID   string `json:"instance_id,omitempty"`
	DocumentID   string `json:"document_id,omitempty"`
	Description  string `json:"description,omitempty"`
}

// ParseManifestDefinition decodes a manifest definition JSON.
func ParseManifestDefinition(b []byte) (*ManifestDefinition, error) {
	var d ManifestDefinition
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDefinition, err)
	}
	for _, a := range d.Assertions {
		if a.Label == "" {
			return nil, fmt.Errorf("%w: assertion without a label", ErrDefinition)
		}
		if isHardBinding(a.Label) {
			return nil, fmt.Errorf("%w: hard bindings are generated, not defined (%s)", ErrDefinition, a.Label)
		}
	}
	return &d, nil
}

// Signer signs claims: a private key, its certificate chain (DER, leaf
// first, root omitted) and optionally an algorithm and a time-stamper.
type Signer struct {
	Key         crypto.Signer
	Chain       [][]byte
	Algorithm   cose.Algorithm // zero: chosen from the key
	TimeStamper cose.TimestampProvider
}

func (s *Signer) reserveSize() int {
	return cose.ReserveSize(s.Key.Public(), s.Chain, s.TimeStamper != nil, 0)
}

// DigitalSourceDigitalCreation is the IPTC source type used for c2pa.created
// when the definition names none.
const DigitalSourceDigitalCreation = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation"

// ProvgraphVersion is written into claim_generator_info when the definition has none.
const ProvgraphVersion = "0.1.0"

// newUUID returns a random (v4) UUID in lower-case hyphenated form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := fmt.Sprintf("%x", b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newSalt() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b
}

// jsonToCBOR converts JSON text to CBOR, keeping object member order and
// writing integers as integers.
func jsonToCBOR(b []byte) ([]byte, error) {
	v, err := jsonToValue(b)
	if err != nil {
		return nil, err
	}
	return appendCBOR(nil, v)
}

func appendCBORHead(dst []byte, major byte, n uint64) []byte {
	switch {
	case n < 24:
		return append(dst, major<<5|byte(n))
	case n <= math.MaxUint8:
		return append(dst, major<<5|24, byte(n))
	case n <= math.MaxUint16:
		return append(dst, major<<5|25, byte(n>>8), byte(n))
	case n <= math.MaxUint32:
		return append(dst, major<<5|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	dst = append(dst, major<<5|27)
	for i := 7; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	return dst
}

func appendCBOR(dst []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(dst, 0xf6), nil
	case bool:
		if t {
			return append(dst, 0xf5), nil
		}
		return append(dst, 0xf4), nil
	case string:
		return append(appendCBORHead(dst, 3, uint64(len(t))), t...), nil
	case []byte:
		return append(appendCBORHead(dst, 2, uint64(len(t))), t...), nil
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			if i >= 0 {
				return appendCBORHead(dst, 0, uint64(i)), nil
			}
			return appendCBORHead(dst, 1, uint64(-(i + 1))), nil
		}
		if u, err := strconv.ParseUint(string(t), 10, 64); err == nil {
			return appendCBORHead(dst, 0, u), nil
		}
		f, err := t.Float64()
		if err != nil {
			return nil, err
		}
		dst = append(dst, 0xfb)
		bits := math.Float64bits(f)
		for i := 7; i >= 0; i-- {
			dst = append(dst, byte(bits>>(8*i)))
		}
		return dst, nil
	case []any:
		dst = appendCBORHead(dst, 4, uint64(len(t)))
		for _, e := range t {
			var err error
			if dst, err = appendCBOR(dst, e); err != nil {
				return nil, err
			}
		}
		return dst, nil
	case *Object:
		dst = appendCBORHead(dst, 5, uint64(len(t.keys)))
		for i, k := range t.keys {
			dst = append(appendCBORHead(dst, 3, uint64(len(k))), k...)
			var err error
			if dst, err = appendCBOR(dst, t.vals[i]); err != nil {
				return nil, err
			}
		}
		return dst, nil
	case HashedURI:
		o := &Object{}
		o.Set("url", t.URL)
		if t.Alg != "" {
			o.Set("alg", t.Alg)
		}
		o.Set("hash", t.Hash)
		return appendCBOR(dst, o)
	}
	return nil, fmt.Errorf("c2pa: cannot encode %T as CBOR", v)
}

// builtAssertion is an assertion being written.
type builtAssertion struct {
	a       *Assertion
	created bool
}

// manifestBuilder assembles a new manifest.
type manifestBuilder struct {
	label      string
	claim      *Claim
	assertions []*builtAssertion
}

func (b *manifestBuilder) add(label string, kind AssertionKind, data []byte, created bool) *Assertion {
	base, n := label, 0
	for _, ba := range b.assertions {
		if ba.a.BaseLabel() == base {
			n++
		}
	}
	if n > 0 {
		label = base + "__" + strconv.Itoa(n)
	}
	a := &Assertion{Label: label, Kind: kind, Data: data, Salt: newSalt()}
	b.assertions = append(b.assertions, &builtAssertion{a: a, created: created})
	return a
}

// hashedURI returns the claim reference of an assertion.
func (b *manifestBuilder) hashedURI(a *Assertion) (HashedURI, error) {
	h, err := a.Hash(b.claim.Alg)
	if err != nil {
		return HashedURI{}, err
	}
	return HashedURI{URL: jumbf.AssertionURI(a.Label), Hash: h}, nil
}

// encodeClaim fills the claim's assertion lists and encodes it.
func (b *manifestBuilder) encodeClaim() ([]byte, error) {
	b.claim.Created, b.claim.Gathered = nil, nil
	for _, ba := range b.assertions {
		h, err := b.hashedURI(ba.a)
		if err != nil {
			return nil, err
		}
		if ba.created {
			b.claim.Created = append(b.claim.Created, h)
		} else {
			b.claim.Gathered = append(b.claim.Gathered, h)
		}
	}
	return b.claim.EncodeV2()
}

// box serialises the manifest with the given signature bytes.
func (b *manifestBuilder) box(sig []byte) *jumbf.Box {
	as := jumbf.NewSuperBox(jumbf.AssertionStore, labelAssertions, nil)
	for _, ba := range b.assertions {
		as.Children = append(as.Children, ba.a.canonicalBox())
	}
	cl := jumbf.NewSuperBox(jumbf.Claim, ClaimLabelV2, nil, jumbf.NewContentBox(jumbf.TypeCBOR, b.claim.Raw))
	sg := jumbf.NewSuperBox(jumbf.ClaimSignature, labelSignature, nil, jumbf.NewContentBox(jumbf.TypeCBOR, sig))
	return jumbf.NewSuperBox(jumbf.StandardManifest, b.label, nil, as, cl, sg)
}

// generatorInfo returns the claim_generator_info map CBOR.
func generatorInfo(def *ManifestDefinition) ([]byte, error) {
	if len(def.ClaimGeneratorInfo) > 0 {
		return jsonToCBOR(def.ClaimGeneratorInfo[0])
	}
	o := &Object{}
	o.Set("name", "provgraph")
	o.Set("version", ProvgraphVersion)
	return appendCBOR(nil, o)
}

func manifestLabel(vendor string) string {
	l := "urn:c2pa:" + newUUID()
	if vendor != "" {
		l += ":" + strings.ToLower(vendor)
	}
	return l
}
