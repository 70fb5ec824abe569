package c2pa

import (
	"bytes"
	"encoding/json"

	"provgraph/c2pa/status"
)

// Validation states, as c2pa-rs names them.
const (
	StateInvalid = "Invalid"
	StateValid   = "Valid"
	StateTrusted = "Trusted"
)

// Report is the result of reading an asset's manifest store, shaped like
// c2pa-rs Reader::json() (what c2patool prints).
type Report struct {
	ActiveManifest    string             `json:"active_manifest,omitempty"`
	Manifests         *Object            `json:"manifests"` // label → *ManifestReport
	ValidationStatus  []status.Entry     `json:"validation_status,omitempty"`
	ValidationResults *ValidationResults `json:"validation_results,omitempty"`
	ValidationState   string             `json:"validation_state"`

	// Store is the parsed store the report describes.
	Store *Store `json:"-"`
}

// JSON returns the report as indented JSON (two spaces, like c2patool).
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Manifest returns the report entry of a manifest label, or nil.
func (r *Report) Manifest(label string) *ManifestReport {
	v, ok := r.Manifests.Get(label)
	if !ok {
		return nil
	}
	return v.(*ManifestReport)
}

// FailureCodes returns the distinct failure codes of the active manifest and
// every ingredient delta.
func (r *Report) FailureCodes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(es []status.Entry) {
		for _, e := range es {
			if !seen[string(e.Code)] {
				seen[string(e.Code)] = true
				out = append(out, string(e.Code))
			}
		}
	}
	if r.ValidationResults != nil {
		add(r.ValidationResults.ActiveManifest.Failure)
		for _, d := range r.ValidationResults.IngredientDeltas {
			add(d.ValidationDeltas.Failure)
		}
	}
	return out
}

// ManifestReport describes one manifest.
type ManifestReport struct {
	ClaimGenerator     string              `json:"claim_generator,omitempty"`
	ClaimGeneratorInfo *[]any              `json:"claim_generator_info,omitempty"`
	Title              string              `json:"title,omitempty"`
	Format             *string             `json:"format,omitempty"`
	InstanceID         string              `json:"instance_id"`
	Thumbnail          *ResourceRef        `json:"thumbnail,omitempty"`
	Ingredients        []*IngredientReport `json:"ingredients,omitempty"`
	Assertions         []*AssertionReport  `json:"assertions"`
	SignatureInfo      *SignatureInfo      `json:"signature_info,omitempty"`
	Label              string              `json:"label"`
	ClaimVersion       int                 `json:"claim_version"`
}

// ResourceRef points at binary data inside the store.
type ResourceRef struct {
	Format     string `json:"format"`
	Identifier string `json:"identifier"`
}

// AssertionReport is one entry of a manifest's assertions list.
type AssertionReport struct {
	Label    string `json:"label"`
	Data     any    `json:"data"`
	Instance int    `json:"instance,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Created  bool   `json:"created,omitempty"`
}

// SignatureInfo summarises the claim signature.
type SignatureInfo struct {
	Alg              string `json:"alg,omitempty"`
	Issuer           string `json:"issuer,omitempty"`
	CommonName       string `json:"common_name,omitempty"`
	CertSerialNumber string `json:"cert_serial_number,omitempty"`
	Time             string `json:"time,omitempty"`
}

// IngredientReport is one entry of a manifest's ingredients list.
type IngredientReport struct {
	Title             string             `json:"title,omitempty"`
	Format            string             `json:"format,omitempty"`
	DocumentID        string             `json:"document_id,omitempty"`
	InstanceID        string             `json:"instance_id,omitempty"`
	Provenance        string             `json:"provenance,omitempty"`
	Thumbnail         *ResourceRef       `json:"thumbnail,omitempty"`
	Hash              string             `json:"hash,omitempty"`
	Relationship      string             `json:"relationship"`
	ActiveManifest    string             `json:"active_manifest,omitempty"`
	ValidationStatus  []status.Entry     `json:"validation_status,omitempty"`
	ValidationResults *ValidationResults `json:"validation_results,omitempty"`
	Description       string             `json:"description,omitempty"`
	InformationalURI  string             `json:"informational_URI,omitempty"`
	Metadata          any                `json:"metadata,omitempty"`
	DataTypes         any                `json:"data_types,omitempty"`
	ManifestData      *ResourceRef       `json:"manifest_data,omitempty"`
	Label             string             `json:"label"`
}

// StatusCodes holds statuses split by kind.
type StatusCodes struct {
	Success       []status.Entry `json:"success"`
	Informational []status.Entry `json:"informational"`
	Failure       []status.Entry `json:"failure"`
}

func (s *StatusCodes) add(e status.Entry) {
	switch e.Kind {
	case status.Success:
		s.Success = append(s.Success, e)
	case status.Informational:
		s.Informational = append(s.Informational, e)
	default:
		s.Failure = append(s.Failure, e)
	}
}

func (s *StatusCodes) normalise() {
	if s.Success == nil {
		s.Success = []status.Entry{}
	}
	if s.Informational == nil {
		s.Informational = []status.Entry{}
	}
	if s.Failure == nil {
		s.Failure = []status.Entry{}
	}
}

// IngredientDelta holds the statuses found while validating one ingredient.
type IngredientDelta struct {
	IngredientAssertionURI string      `json:"ingredientAssertionURI"`
	ValidationDeltas       StatusCodes `json:"validationDeltas"`
}

// ValidationResults is the validation-results-map of the report.
type ValidationResults struct {
	ActiveManifest   StatusCodes       `json:"activeManifest"`
	IngredientDeltas []IngredientDelta `json:"ingredientDeltas,omitempty"`
	SpecVersion      string            `json:"specVersion,omitempty"`
	TrustListURI     string            `json:"trustListUri,omitempty"`
}

// State computes validation_state with c2pa-rs's rules (C2PA-NOTES §7.4).
func (v *ValidationResults) State() string {
	has := func(c status.Code) bool {
		for _, e := range v.ActiveManifest.Success {
			if e.Code == c {
				return true
			}
		}
		return false
	}
	failures := append([]status.Entry{}, v.ActiveManifest.Failure...)
	for _, d := range v.IngredientDeltas {
		failures = append(failures, d.ValidationDeltas.Failure...)
	}
	if !has(status.ClaimSignatureValidated) || !has(status.ClaimSignatureInsideValidity) {
		return StateInvalid
	}
	for _, f := range failures {
		if !status.Tolerated(f.Code) {
			return StateInvalid
		}
	}
	if has(status.SigningCredentialTrusted) && len(failures) == 0 {
		return StateTrusted
	}
	return StateValid
}
