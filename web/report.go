package web

import (
	"encoding/json"

	"provgraph/c2pa/status"
)

// reportView is the part of a stored c2pa-rs-shaped report the pages read.
// It is decoded from the JSON the API returns, so that the page shows
// exactly what the raw report link serves.
type reportView struct {
	ActiveManifest    string                  `json:"active_manifest"`
	Manifests         map[string]manifestView `json:"manifests"`
	ValidationStatus  []status.Entry          `json:"validation_status"`
	ValidationResults *resultsView            `json:"validation_results"`
	ValidationState   string                  `json:"validation_state"`
	// Error names why no manifest store was read, e.g. "JumbfNotFound".
	Error  string `json:"error"`
	Detail string `json:"detail"`
}

// hasClaimThumbnail reports whether the active manifest has a claim
// thumbnail.
func (r reportView) hasClaimThumbnail() bool {
	m, ok := r.Manifests[r.ActiveManifest]
	return ok && m.Thumbnail != nil
}

// resultsView is a validation-results map.
type resultsView struct {
	ActiveManifest   codesView `json:"activeManifest"`
	IngredientDeltas []struct {
		URI    string    `json:"ingredientAssertionURI"`
		Deltas codesView `json:"validationDeltas"`
	} `json:"ingredientDeltas"`
}

// codesView holds statuses by kind.
type codesView struct {
	Success       []status.Entry `json:"success"`
	Informational []status.Entry `json:"informational"`
	Failure       []status.Entry `json:"failure"`
}

// manifestView is one manifest of the report.
type manifestView struct {
	Label          string           `json:"label"`
	Title          string           `json:"title"`
	Format         string           `json:"format"`
	ClaimGenerator string           `json:"claim_generator"`
	GeneratorInfo  []map[string]any `json:"claim_generator_info"`
	Ingredients    []ingredientView `json:"ingredients"`
	Assertions     []assertionView  `json:"assertions"`
	SignatureInfo  *signatureView   `json:"signature_info"`
	Thumbnail      *json.RawMessage `json:"thumbnail"`
}

// assertionView is one assertion of a manifest.
type assertionView struct {
	Label string          `json:"label"`
	Data  json.RawMessage `json:"data"`
}

// signatureView is a manifest's signature_info.
type signatureView struct {
	Alg        string `json:"alg"`
	Issuer     string `json:"issuer"`
	CommonName string `json:"common_name"`
	Time       string `json:"time"`
}

// ingredientView is one ingredient of a manifest.
type ingredientView struct {
	Title             string         `json:"title"`
	Format            string         `json:"format"`
	Relationship      string         `json:"relationship"`
	ActiveManifest    string         `json:"active_manifest"`
	Label             string         `json:"label"`
	ValidationStatus  []status.Entry `json:"validation_status"`
	ValidationResults *resultsView   `json:"validation_results"`
}

// decodeReport reads a stored report.
func decodeReport(report map[string]any) (reportView, error) {
	var r reportView
	raw, err := json.Marshal(report)
	if err != nil {
		return r, err
	}
	err = json.Unmarshal(raw, &r)
	return r, err
}
