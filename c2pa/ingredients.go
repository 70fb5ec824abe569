package c2pa

import (
	"bytes"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/status"
)

// Ingredient is a decoded c2pa.ingredient (v1, v2 or v3) assertion; keys of
// every version are accepted.
type Ingredient struct {
	Title             string          `cbor:"dc:title,omitempty"`
	Format            string          `cbor:"dc:format,omitempty"`
	Relationship      string          `cbor:"relationship,omitempty"`
	DocumentID        string          `cbor:"documentID,omitempty"`
	InstanceID        string          `cbor:"instanceID,omitempty"`
	C2PAManifest      *HashedURI      `cbor:"c2pa_manifest,omitempty"`
	ActiveManifest    *HashedURI      `cbor:"activeManifest,omitempty"`
	ClaimSignature    *HashedURI      `cbor:"claimSignature,omitempty"`
	ValidationStatus  []StatusMap     `cbor:"validationStatus,omitempty"`
	ValidationResults *ResultsMap     `cbor:"validationResults,omitempty"`
	Thumbnail         *HashedURI      `cbor:"thumbnail,omitempty"`
	Description       string          `cbor:"description,omitempty"`
	InformationalURI  string          `cbor:"informational_URI,omitempty"`
	InformationalURI3 string          `cbor:"informationalURI,omitempty"`
	DataTypes         cbor.RawMessage `cbor:"data_types,omitempty"`
	DataTypes3        cbor.RawMessage `cbor:"dataTypes,omitempty"`
	Metadata          cbor.RawMessage `cbor:"metadata,omitempty"`
	Data              *HashedURI      `cbor:"data,omitempty"`
	Extra             map[string]any  `cbor:"-"`
}

// StatusMap is a validation status as stored in CBOR.
type StatusMap struct {
	Code        string `cbor:"code" json:"code"`
	URL         string `cbor:"url,omitempty" json:"url,omitempty"`
	Explanation string `cbor:"explanation,omitempty" json:"explanation,omitempty"`
	Success     *bool  `cbor:"success,omitempty" json:"-"`
}

// StatusCodesMap is a status-codes-map as stored in CBOR.
type StatusCodesMap struct {
	Success       []StatusMap `cbor:"success"`
	Informational []StatusMap `cbor:"informational"`
	Failure       []StatusMap `cbor:"failure"`
}

// IngredientDeltaMap is one ingredient delta as stored in CBOR.
type IngredientDeltaMap struct {
	IngredientAssertionURI string         `cbor:"ingredientAssertionURI"`
	ValidationDeltas       StatusCodesMap `cbor:"validationDeltas"`
}

// ResultsMap is a validation-results-map as stored in CBOR.
type ResultsMap struct {
	ActiveManifest   *StatusCodesMap      `cbor:"activeManifest,omitempty"`
	IngredientDeltas []IngredientDeltaMap `cbor:"ingredientDeltas,omitempty"`
}

// decodedIngredient is an ingredient assertion with its decoded content.
type decodedIngredient struct {
	a   *Assertion
	ing *Ingredient
}

// ingredients returns m's ingredient assertions that decode, in store order.
func (m *Manifest) ingredients() []decodedIngredient {
	var out []decodedIngredient
	for _, a := range m.Assertions {
		if !isIngredientLabel(a.BaseLabel()) {
			continue
		}
		if ing, err := decodeIngredient(a); err == nil {
			out = append(out, decodedIngredient{a, ing})
		}
	}
	return out
}

func isIngredientLabel(base string) bool {
	return base == "c2pa.ingredient" || base == "c2pa.ingredient.v2" || base == "c2pa.ingredient.v3"
}

// decodeIngredient decodes an ingredient assertion, CBOR or (early
// writers) JSON; JSON is converted to CBOR first, so byte fields must then
// be arrays of numbers.
func decodeIngredient(a *Assertion) (*Ingredient, error) {
	data := a.Data
	if a.Kind == KindJSON {
		var err error
		if data, err = jsonToCBOR(a.Data); err != nil {
			return nil, err
		}
	}
	var ing Ingredient
	if err := claimDecMode.Unmarshal(data, &ing); err != nil {
		return nil, err
	}
	return &ing, nil
}

// manifestRef returns the hashed URI of the ingredient's manifest, if any.
func (i *Ingredient) manifestRef() *HashedURI {
	if i.ActiveManifest != nil {
		return i.ActiveManifest
	}
	return i.C2PAManifest
}

// recordedStatuses returns every status stored in the ingredient, URLs made
// absolute against the ingredient's manifest label.
func (i *Ingredient) recordedStatuses(label string) []status.Entry {
	var out []status.Entry
	add := func(list []StatusMap) {
		for _, s := range list {
			u := s.URL
			if u != "" && label != "" && manifestLabelFromURI(u) == "" {
				u = absoluteURI(u, label)
			}
			out = append(out, status.Entry{Code: status.Code(s.Code), URL: u, Kind: status.ReadBackKind(status.Code(s.Code))})
		}
	}
	add(i.ValidationStatus)
	if r := i.ValidationResults; r != nil {
		if r.ActiveManifest != nil {
			add(r.ActiveManifest.Success)
			add(r.ActiveManifest.Informational)
			add(r.ActiveManifest.Failure)
		}
		for _, d := range r.IngredientDeltas {
			add(d.ValidationDeltas.Success)
			add(d.ValidationDeltas.Informational)
			add(d.ValidationDeltas.Failure)
		}
	}
	return out
}

// ingredientChecks validates the ingredients of m recursively (C2PA-NOTES §7.1 step 5).
func (v *validator) ingredientChecks(m *Manifest, depth int) {
	if depth > MaxIngredientDepth {
		return
	}
	for _, a := range m.Assertions {
		if !isIngredientLabel(a.BaseLabel()) {
			continue
		}
		uri := m.AssertionURI(a.Label)
		v.log.PushIngredient(uri)
		v.checkIngredient(m, a, uri, depth)
		v.log.PopIngredient()
	}
}

func (v *validator) checkIngredient(m *Manifest, a *Assertion, uri string, depth int) {
	ing, err := decodeIngredient(a)
	if err != nil {
		v.log.Failure(status.AssertionIngredientMalformed, uri, err.Error())
		return
	}
	ref := ing.manifestRef()
	if ref == nil {
		if ing.Relationship != "inputTo" {
			title := ing.Title
			if title == "" {
				title = "no title"
			}
			v.log.Informational(status.IngredientUnknownProvenance, uri, title+": ingredient does not have provenance")
		}
		return
	}
	if a.BaseLabel() == "c2pa.ingredient.v3" && ing.ValidationResults == nil {
		v.log.Failure(status.AssertionIngredientMalformed, uri, "ingredient V3 must have validation results")
	}
	label := manifestLabelFromURI(ref.URL)
	im := v.store.Manifest(label)
	if im == nil {
		v.log.Failure(status.IngredientManifestMissing, label, "ingredient not found")
		return
	}
	alg := ref.Alg
	if alg == "" {
		alg = im.Claim.Alg
	}
	redacted := v.redactedManifest(label)
	if !redacted {
		h, err := im.manifestHash(alg)
		switch {
		case err == nil && bytes.Equal(h, ref.Hash):
			v.log.Success(status.IngredientManifestValidated, ref.URL, "ingredient hash matched")
		case err == nil && hashEquals(alg, im.Claim.Raw, ref.Hash):
			// pre-1.3 manifests hashed the claim bytes: accepted, nothing logged
		default:
			v.log.Failure(status.IngredientManifestMismatch, ref.URL, "ingredient hash incorrect")
		}
	} else if im.Claim.Version > 1 {
		if ing.ClaimSignature == nil {
			v.log.Failure(status.IngredientClaimSignatureMissing, ref.URL, "ingredient claimSignature missing")
			return
		}
		sh, err := im.signatureHash(alg)
		if err == nil && bytes.Equal(sh, ing.ClaimSignature.Hash) {
			v.log.Informational(status.IngredientClaimSignatureValidated, ref.URL, "ingredient claimSignature validated")
		} else {
			v.log.Failure(status.IngredientClaimSignatureMismatch, ref.URL, "ingredient claimSignature mismatch")
		}
	}
	_ = v.verifyClaim(im) // errors in ingredients stay statuses
	if v.visited[label] {
		return
	}
	v.visited[label] = true
	v.ingredientChecks(im, depth+1)
}

// redactedManifest reports whether any claim in the store redacts an
// assertion of the manifest labelled label.
func (v *validator) redactedManifest(label string) bool {
	for _, m := range v.store.Manifests {
		for _, r := range m.Claim.Redacted {
			if strings.Contains(r, label) {
				return true
			}
		}
	}
	return false
}

func hashEquals(alg string, data, want []byte) bool {
	h, err := hashBytes(alg, data)
	return err == nil && bytes.Equal(h, want)
}

// results turns the log into validation_results: entries logged under an
// ingredient go to its delta, minus statuses the store's ingredient
// assertions already record (unless they concern the active manifest).
func (v *validator) results() *ValidationResults {
	active := v.store.Active()
	recorded := map[status.Entry]bool{}
	for _, m := range v.store.Manifests {
		for _, di := range m.ingredients() {
			ing := di.ing
			label := ""
			if ref := ing.manifestRef(); ref != nil {
				label = manifestLabelFromURI(ref.URL)
			}
			for _, e := range ing.recordedStatuses(label) {
				recorded[status.Entry{Code: e.Code, URL: e.URL, Kind: e.Kind}] = true
			}
		}
	}
	vr := &ValidationResults{SpecVersion: "2.4.0"}
	deltas := map[string]int{}
	for _, e := range v.log.Entries() {
		if e.Ingredient == "" {
			vr.ActiveManifest.add(e)
			continue
		}
		key := status.Entry{Code: e.Code, URL: e.URL, Kind: e.Kind}
		if recorded[key] && (active == nil || manifestLabelFromURI(e.URL) != active.Label) {
			continue
		}
		i, ok := deltas[e.Ingredient]
		if !ok {
			i = len(vr.IngredientDeltas)
			deltas[e.Ingredient] = i
			vr.IngredientDeltas = append(vr.IngredientDeltas, IngredientDelta{IngredientAssertionURI: e.Ingredient})
		}
		vr.IngredientDeltas[i].ValidationDeltas.add(e)
	}
	vr.ActiveManifest.normalise()
	for i := range vr.IngredientDeltas {
		vr.IngredientDeltas[i].ValidationDeltas.normalise()
	}
	return vr
}
