package c2pa

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fxamacker/cbor/v2"
)

// Claim labels (the label of the claim box inside a manifest).
const (
	ClaimLabelV1 = "c2pa.claim"
	ClaimLabelV2 = "c2pa.claim.v2"
)

// HashedURI is a JUMBF URI with the hash of what it points to. Alg is empty
// when the hash algorithm is inherited from the enclosing claim.
type HashedURI struct {
	URL  string `cbor:"url" json:"url"`
	Alg  string `cbor:"alg,omitempty" json:"alg,omitempty"`
	Hash []byte `cbor:"hash" json:"hash"`
}

// Claim is a decoded claim, v1 (c2pa.claim) or v2 (c2pa.claim.v2). Raw holds
// the exact CBOR read from (or written to) the claim box: the claim signature
// covers these bytes, never a re-encoding.
type Claim struct {
	Version            int               // 1 or 2
	ClaimGenerator     string            // v1 only
	ClaimGeneratorInfo []cbor.RawMessage // v1: the array's maps (nil when absent); v2: the single map
	Signature          string            // JUMBF URI of the claim signature box
	Created            []HashedURI       // v2 created_assertions; v1 assertions
	Gathered           []HashedURI       // v2 gathered_assertions
	Format             string            // v1 dc:format
	InstanceID         string
	Title              string
	Redacted           []string
	Alg                string
	AlgSoft            string
	Metadata           cbor.RawMessage
	Raw                []byte
}

// Assertions returns the claim's assertion references in validation order:
// created first, then gathered.
func (c *Claim) Assertions() []HashedURI {
	out := make([]HashedURI, 0, len(c.Created)+len(c.Gathered))
	out = append(out, c.Created...)
	return append(out, c.Gathered...)
}

// IsCreated reports whether the assertion with this label is referenced as
// created (always true for v1 claims, which have one list).
func (c *Claim) IsCreated(label string) bool {
	for _, h := range c.Created {
		if assertionLabelFromURI(h.URL) == label {
			return true
		}
	}
	return false
}

// ClaimError reports a claim whose CBOR does not decode under c2pa-rs's rules.
type ClaimError struct{ Msg string }

func (e *ClaimError) Error() string { return "c2pa: malformed claim: " + e.Msg }

// errNoAlg is the decoding outcome for a claim without "alg".
var errNoAlg = errors.New("c2pa: claim has no alg")

var claimV1Fields = map[string]bool{
	"claim_generator": true, "claim_generator_info": true, "signature": true, "assertions": true,
	"dc:format": true, "instanceID": true, "dc:title": true, "redacted_assertions": true,
	"alg": true, "alg_soft": true, "metadata": true, "claim_generator_hints": true,
}

var claimV2Fields = map[string]bool{
	"instanceID": true, "claim_generator_info": true, "signature": true, "created_assertions": true,
	"gathered_assertions": true, "dc:title": true, "redacted_assertions": true, "alg": true,
	"alg_soft": true, "metadata": true,
}

// maxClaimSize bounds the claim CBOR accepted for decoding.
const maxClaimSize = 16 << 20

var claimDecMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{
		MaxNestedLevels:  64,
		MaxArrayElements: 1 << 20,
		MaxMapPairs:      1 << 20,
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// DecodeClaim decodes claim CBOR with c2pa-rs's strict rules: text keys only,
// the version chosen by which assertion list is present, any key outside the
// version's field list rejected. A claim without "alg" decodes but is
// reported with errNoAlg wrapped in the returned error alongside the claim.
func DecodeClaim(data []byte) (*Claim, error) {
	if len(data) > maxClaimSize {
		return nil, &ClaimError{Msg: "claim too large"}
	}
	var m map[string]cbor.RawMessage
	if err := claimDecMode.Unmarshal(data, &m); err != nil {
		return nil, &ClaimError{Msg: err.Error()}
	}
	_, hasV1 := m["assertions"]
	_, hasV2 := m["created_assertions"]
	c := &Claim{Raw: append([]byte(nil), data...)}
	fields := claimV1Fields
	switch {
	case hasV1 && !hasV2:
		c.Version = 1
	case hasV2 && !hasV1:
		c.Version = 2
		fields = claimV2Fields
	default:
		return nil, &ClaimError{Msg: "cannot tell claim version"}
	}
	for k := range m {
		if !fields[k] {
			return nil, &ClaimError{Msg: fmt.Sprintf("unknown field %q in v%d claim", k, c.Version)}
		}
	}
	str := func(key string, dst *string, required bool) error { return decodeField(m, key, dst, required) }
	uris := func(key string, dst *[]HashedURI, required bool) error { return decodeField(m, key, dst, required) }
	var err error
	if c.Version == 1 {
		err = errors.Join(
			str("claim_generator", &c.ClaimGenerator, true),
			uris("assertions", &c.Created, true),
			str("dc:format", &c.Format, true),
		)
		if raw, ok := m["claim_generator_info"]; ok {
			if e := claimDecMode.Unmarshal(raw, &c.ClaimGeneratorInfo); e != nil {
				err = errors.Join(err, &ClaimError{Msg: "claim_generator_info: " + e.Error()})
			}
			if c.ClaimGeneratorInfo == nil && !(len(raw) == 1 && raw[0] == 0xf6) {
				c.ClaimGeneratorInfo = []cbor.RawMessage{}
			}
		}
	} else {
		err = errors.Join(
			uris("created_assertions", &c.Created, true),
			uris("gathered_assertions", &c.Gathered, false),
		)
		raw, ok := m["claim_generator_info"]
		if !ok {
			err = errors.Join(err, &ClaimError{Msg: "missing claim_generator_info"})
		} else {
			var info map[string]cbor.RawMessage
			if e := claimDecMode.Unmarshal(raw, &info); e != nil {
				err = errors.Join(err, &ClaimError{Msg: "claim_generator_info: " + e.Error()})
			}
			c.ClaimGeneratorInfo = []cbor.RawMessage{raw}
		}
	}
	err = errors.Join(err,
		str("signature", &c.Signature, true),
		str("instanceID", &c.InstanceID, true),
		str("dc:title", &c.Title, false),
		str("alg", &c.Alg, false),
		str("alg_soft", &c.AlgSoft, false),
	)
	if raw, ok := m["redacted_assertions"]; ok {
		if e := claimDecMode.Unmarshal(raw, &c.Redacted); e != nil {
			err = errors.Join(err, &ClaimError{Msg: "redacted_assertions: " + e.Error()})
		}
	}
	if raw, ok := m["metadata"]; ok {
		c.Metadata = raw
	}
	if err != nil {
		var ce *ClaimError
		if errors.As(err, &ce) {
			return nil, ce
		}
		return nil, &ClaimError{Msg: err.Error()}
	}
	if _, ok := m["alg"]; !ok {
		return c, errNoAlg
	}
	return c, nil
}

// decodeField decodes the claim member key into dst; a missing member is an
// error only when required.
func decodeField[T any](m map[string]cbor.RawMessage, key string, dst *T, required bool) error {
	raw, ok := m[key]
	if !ok {
		if required {
			return &ClaimError{Msg: "missing " + key}
		}
		return nil
	}
	if err := claimDecMode.Unmarshal(raw, dst); err != nil {
		return &ClaimError{Msg: key + ": " + err.Error()}
	}
	return nil
}

// claimV2Wire is the v2 claim map in c2pa-rs's key order.
type claimV2Wire struct {
	InstanceID         string          `cbor:"instanceID"`
	ClaimGeneratorInfo cbor.RawMessage `cbor:"claim_generator_info"`
	Signature          string          `cbor:"signature"`
	Created            []HashedURI     `cbor:"created_assertions"`
	Gathered           []HashedURI     `cbor:"gathered_assertions,omitempty"`
	Title              string          `cbor:"dc:title,omitempty"`
	Redacted           []string        `cbor:"redacted_assertions,omitempty"`
	Alg                string          `cbor:"alg"`
	AlgSoft            string          `cbor:"alg_soft,omitempty"`
	Metadata           cbor.RawMessage `cbor:"metadata,omitempty"`
}

// encMode writes deterministic-length CBOR with struct field order kept.
var encMode = func() cbor.EncMode {
	m, err := cbor.EncOptions{Sort: cbor.SortNone, Time: cbor.TimeRFC3339, TimeTag: cbor.EncTagRequired}.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// EncodeV2 serialises a v2 claim as c2pa-rs writes it and stores the bytes in Raw.
func (c *Claim) EncodeV2() ([]byte, error) {
	if c.Version != 2 || len(c.ClaimGeneratorInfo) != 1 {
		return nil, fmt.Errorf("%w: v2 claim needs exactly one claim_generator_info", ErrDefinition)
	}
	w := claimV2Wire{
		InstanceID:         c.InstanceID,
		ClaimGeneratorInfo: c.ClaimGeneratorInfo[0],
		Signature:          c.Signature,
		Created:            c.Created,
		Gathered:           c.Gathered,
		Title:              c.Title,
		Redacted:           c.Redacted,
		Alg:                c.Alg,
		AlgSoft:            c.AlgSoft,
		Metadata:           c.Metadata,
	}
	if w.Created == nil {
		w.Created = []HashedURI{}
	}
	b, err := encMode.Marshal(w)
	if err != nil {
		return nil, err
	}
	c.Raw = b
	return b, nil
}

// assertionLabelFromURI returns the assertion label a JUMBF URI names: the
// path element after "c2pa.assertions", or the last element.
func assertionLabelFromURI(uri string) string {
	p := uri
	if i := strings.Index(p, "="); i >= 0 {
		p = p[i+1:]
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if s == "c2pa.assertions" && i+1 < len(parts) {
			return parts[i+1]
		}
	}
	return parts[len(parts)-1]
}

// manifestLabelFromURI returns the manifest label of an absolute JUMBF URI
// (self#jumbf=/c2pa/<label>/...), or "" for a relative one.
func manifestLabelFromURI(uri string) string {
	p := uri
	if i := strings.Index(p, "="); i >= 0 {
		p = p[i+1:]
	}
	if strings.HasPrefix(p, "c2pa/") {
		p = "/" + p
	}
	parts := strings.Split(p, "/")
	if len(parts) > 2 && parts[0] == "" && parts[1] == "c2pa" {
		return parts[2]
	}
	return ""
}

// absoluteURI makes a JUMBF URI absolute relative to manifest label.
func absoluteURI(uri, manifest string) string {
	p := uri
	if i := strings.Index(p, "="); i >= 0 {
		p = p[i+1:]
	}
	if strings.HasPrefix(p, "c2pa/") {
		p = "/" + p
	}
	if strings.HasPrefix(p, "/c2pa/") {
		return "self#jumbf=" + p
	}
	return "self#jumbf=/c2pa/" + manifest + "/" + strings.TrimPrefix(p, "/")
}
