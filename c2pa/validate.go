package c2pa

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/jumbf"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
)

// MaxIngredientDepth bounds recursion into ingredient manifests, as c2pa-rs does.
const MaxIngredientDepth = 200

// validator runs the validation algorithm over one store (C2PA-NOTES §7.1).
type validator struct {
	ctx      context.Context
	store    *Store
	opts     ReadOptions
	trust    *trust.Store
	log      status.Log
	asset    io.ReaderAt // nil when validating a store alone
	size     int64
	storeLen int
	handler  assetBinding
	visited  map[string]bool
}

// assetBinding is what hard-binding checks need from the container layer.
type assetBinding interface {
	hashData(excl []asset.Range, alg string) ([]byte, error)
	boxes() ([]asset.BoxSpan, error)
	storeRange(storeLen int) (asset.Range, error)
}

var urnRE = regexp.MustCompile(`^urn:c2pa:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(:[\x21-\x7e]{0,32}(:[0-9]+_[\x21-\x7e]+)?)?$`)

func (v *validator) run() error {
	active := v.store.Active()
	if active == nil {
		v.log.Failure(status.ClaimMissing, "", "no active manifest")
		return nil
	}
	v.visited = map[string]bool{active.Label: true}
	if err := v.referencedManifests(active, nil, map[string]bool{}); err != nil {
		return err
	}
	if err := v.verifyClaim(active); err != nil {
		return err
	}
	v.ingredientChecks(active, 0)
	if bm := v.bindingManifest(active); bm != nil {
		v.verifyHashBinding(bm)
	} else {
		v.log.Failure(status.ClaimHardBindingsMissing, active.SignatureURI(), "no hard binding found")
	}
	v.checkIdentityAssertions(active)
	return nil
}

// referencedManifests walks the ingredient graph from m as c2pa-rs does
// before validating: a manifest an ingredient names but the store lacks is
// logged (ingredient.manifest.missing, for the active manifest) and a cycle
// aborts reading.
func (v *validator) referencedManifests(m *Manifest, path []string, seen map[string]bool) error {
	if len(path) >= MaxIngredientDepth {
		return readErr(ErrInvalidAsset, "ingredient chain too deep", nil)
	}
	if seen[m.Label] {
		return nil
	}
	seen[m.Label] = true
	path = append(path, m.Label)
	for _, di := range m.ingredients() {
		a, ref := di.a, di.ing.manifestRef()
		if ref == nil {
			continue
		}
		label := manifestLabelFromURI(ref.URL)
		im := v.store.Manifest(label)
		if im == nil {
			v.log.Add(status.Entry{Code: status.IngredientManifestMissing, URL: label, Explanation: "ingredient manifest missing", Kind: status.Failure})
			continue
		}
		for _, p := range path {
			if p == im.Label {
				v.log.Failure(status.AssertionIngredientMalformed, m.AssertionURI(a.Label), "ingredient cannot be cyclic")
				return readErr(ErrCyclicIngredients, "", nil)
			}
		}
		if err := v.referencedManifests(im, path, seen); err != nil {
			return err
		}
	}
	return nil
}

// bindingManifest returns the manifest whose hard binding covers the asset:
// the active manifest, or for update manifests the first standard manifest
// reached through parentOf ingredients.
func (v *validator) bindingManifest(m *Manifest) *Manifest {
	for depth := 0; m != nil && depth < MaxIngredientDepth; depth++ {
		if !m.Update() {
			return m
		}
		var next *Manifest
		for _, di := range m.ingredients() {
			if di.ing.Relationship != "parentOf" {
				continue
			}
			if ref := di.ing.manifestRef(); ref != nil {
				next = v.store.Manifest(manifestLabelFromURI(ref.URL))
				break
			}
		}
		m = next
	}
	return nil
}

// verifyClaim checks one manifest's claim: signature, credential, hashed
// URIs and structural rules. Ingredient manifests go through it too.
func (v *validator) verifyClaim(m *Manifest) error {
	c := m.Claim
	sigURI := m.SignatureURI()
	u, err := jumbf.ParseURI(c.Signature)
	if err != nil || (u.Manifest != "" && u.Manifest != m.Label) || len(u.Path) != 1 || u.Path[0] != labelSignature || m.SignatureBox == nil {
		v.log.Failure(status.ClaimSignatureMissing, c.Signature, "claim signature is missing")
		return nil
	}
	if c.Version >= 2 && !urnRE.MatchString(m.Label) {
		v.log.Failure(status.ClaimMalformed, sigURI, "manifest label is not a valid C2PA URN")
	}
	if err := v.verifySignature(m); err != nil {
		return err
	}

	if c.Version >= 2 {
		if n := len(c.ClaimGeneratorInfo); n != 1 || !generatorInfoHasName(c.ClaimGeneratorInfo[0]) {
			v.log.Failure(status.ClaimMalformed, jumbf.ManifestURI(m.Label), "claim_generator_info name must not be empty")
		}
	}
	v.checkRedactions(m)
	v.checkUpdateRules(m)
	v.checkHashedURIs(m)
	v.checkActions(m)
	if c.Version >= 2 {
		v.checkMetadata(m)
	}
	return nil
}

func (v *validator) checkRedactions(m *Manifest) {
	for _, r := range m.Claim.Redacted {
		if strings.Contains(r, m.Label) {
			v.log.Failure(status.AssertionSelfRedacted, r, "claim contains self redaction")
		}
		if strings.Contains(r, "c2pa.actions") {
			v.log.Failure(status.AssertionActionRedacted, r, "redaction of action assertions disallowed")
		}
		for _, l := range hardBindingLabels {
			if strings.Contains(r, l) {
				v.log.Failure(status.AssertionDataHashRedacted, r, "redaction of disallowed hash assertion")
				break
			}
		}
	}
}

func (v *validator) checkHashedURIs(m *Manifest) {
	c := m.Claim
	// Assertions of m that any claim of the store redacts are skipped.
	redacted := map[string]bool{}
	for _, other := range v.store.Manifests {
		for _, r := range other.Claim.Redacted {
			if manifestLabelFromURI(r) == m.Label {
				redacted[assertionLabelFromURI(r)] = true
			}
		}
	}
	for _, ref := range c.Assertions() {
		u, err := jumbf.ParseURI(ref.URL)
		if err == nil && u.Manifest != "" && u.Manifest != m.Label {
			v.log.Failure(status.AssertionOutsideManifest, ref.URL, "assertion outside the manifest")
			continue
		}
		label := assertionLabelFromURI(ref.URL)
		if redacted[label] {
			continue
		}
		// Status URLs are the absolute form of relative references, and
		// absolute references as written (c2pa-rs).
		abs := m.AssertionURI(label)
		if manifestLabelFromURI(ref.URL) != "" {
			abs = ref.URL
		}
		a := m.Assertion(label)
		if a == nil {
			v.log.Failure(status.AssertionMissing, abs, "assertion missing: "+ref.URL)
			continue
		}
		alg := ref.Alg
		if alg == "" {
			alg = c.Alg
		}
		h, err := a.Hash(alg)
		if err != nil {
			v.log.Failure(status.AlgorithmUnsupported, abs, err.Error())
			continue
		}
		if bytes.Equal(h, ref.Hash) {
			v.log.Success(status.AssertionHashedURIMatch, abs, "hashed uri matched: "+ref.URL)
		} else {
			v.log.Failure(status.AssertionHashedURIMismatch, abs, "hash does not match assertion data: "+ref.URL)
		}
	}
}

// hardBindingLabels are the hard-binding assertion base labels.
var hardBindingLabels = []string{"c2pa.hash.data", "c2pa.hash.boxes", "c2pa.hash.bmff", "c2pa.hash.bmff.v2", "c2pa.hash.bmff.v3", "c2pa.hash.collection.data"}

func isHardBinding(label string) bool {
	for _, l := range hardBindingLabels {
		if label == l {
			return true
		}
	}
	return false
}

// countsAsBinding reports the hard bindings c2pa-rs counts when it checks
// the binding manifest (data, BMFF and box hashes; not collections).
func countsAsBinding(label string) bool {
	return isHardBinding(label) && label != "c2pa.hash.collection.data"
}

// hardBindings returns the hard-binding assertions of m that count: for v2
// claims only created ones.
func hardBindings(m *Manifest) []*Assertion {
	var out []*Assertion
	for _, a := range m.Assertions {
		if !isHardBinding(a.BaseLabel()) {
			continue
		}
		if m.Claim.Version >= 2 && !m.Claim.IsCreated(a.Label) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// verifyHashBinding checks the binding manifest's hard binding against the
// asset, after c2pa-rs's count rules (none logs both missing and
// multiple, RS-QUIRK).
func (v *validator) verifyHashBinding(m *Manifest) {
	var hb []*Assertion
	for _, a := range hardBindings(m) {
		if countsAsBinding(a.BaseLabel()) {
			hb = append(hb, a)
		}
	}
	muri := jumbf.ManifestURI(m.Label)
	if m.Update() {
		if len(hb) > 0 {
			v.log.Failure(status.ManifestUpdateInvalid, muri, "update manifests cannot contain data hash assertions")
		}
		return
	}
	if len(hb) == 0 {
		v.log.Failure(status.ClaimHardBindingsMissing, muri, "claim missing data binding")
	}
	if len(hb) != 1 {
		v.log.Failure(status.AssertionMultipleHardBindings, muri, "claim has multiple data bindings")
		return
	}
	a := hb[0]
	uri := m.AssertionURI(a.Label)
	switch a.BaseLabel() {
	case "c2pa.hash.data":
		v.verifyDataHash(m, a, uri)
	case "c2pa.hash.boxes":
		v.verifyBoxHash(m, a, uri)
	case "c2pa.hash.bmff", "c2pa.hash.bmff.v2", "c2pa.hash.bmff.v3":
		v.verifyBMFFHash(m, a, uri)
	default:
		v.log.Failure(status.ClaimHardBindingsMissing, uri, "unsupported hard binding "+a.Label)
	}
}

func (v *validator) verifyDataHash(m *Manifest, a *Assertion, uri string) {
	dh, err := decodeDataHash(a.Data)
	if err != nil {
		v.log.Failure(status.AssertionDataHashMalformed, uri, err.Error())
		return
	}
	if dh.URL != "" {
		v.log.Failure(status.AssertionDataHashMismatch, uri, "remote data hashes are not supported")
		return
	}
	if len(dh.Exclusions) > 1 {
		v.log.Informational(status.AssertionDataHashAdditionalExclusionsPresent, uri, "data hash has additional exclusions")
	}
	if v.handler == nil {
		v.log.Failure(status.AssertionDataHashMismatch, uri, "asset not available for data hash")
		return
	}
	alg := dh.Alg
	if alg == "" {
		alg = m.Claim.Alg
	}
	excl := dh.ranges()
	if v.store.Active().Update() {
		// The store grew with the update manifest: widen the exclusion that
		// starts where the store starts, shifting later ones (as c2pa-rs does).
		if sr, err := v.handler.storeRange(v.storeLen); err == nil {
			for i := range excl {
				if excl[i].Start == sr.Start {
					adjust := sr.Length - excl[i].Length
					excl[i] = sr
					for j := range excl {
						if excl[j].Start > sr.Start {
							excl[j].Start += adjust
						}
					}
					break
				}
			}
		}
	}
	got, err := v.handler.hashData(excl, alg)
	if err != nil {
		v.log.Failure(status.AssertionDataHashMismatch, uri, fmt.Sprintf("asset hash error: %v", err))
		return
	}
	if bytes.Equal(got, dh.Hash) {
		v.log.Success(status.AssertionDataHashMatch, uri, "data hash valid")
	} else {
		v.log.Failure(status.AssertionDataHashMismatch, uri, "asset hash error, name: jumbf manifest, error: hash verification( Hashes do not match )")
	}
}

func generatorInfoHasName(raw []byte) bool {
	v, err := cborToValue(raw)
	if err != nil {
		return false
	}
	o, ok := v.(*Object)
	if !ok {
		return false
	}
	n, ok := o.Get("name")
	s, _ := n.(string)
	return ok && s != ""
}
