package c2pa

import (
	"strings"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/jumbf"
	"provgraph/c2pa/status"
)

// Action labels with rules attached.
const (
	ActionCreated    = "c2pa.created"
	ActionOpened     = "c2pa.opened"
	ActionPlaced     = "c2pa.placed"
	ActionRemoved    = "c2pa.removed"
	ActionTranslated = "c2pa.translated"
	ActionTranscoded = "c2pa.transcoded"
	ActionRepackaged = "c2pa.repackaged"
	ActionRedacted   = "c2pa.redacted"
)

// updateActions are the only actions an update manifest may carry.
var updateActions = map[string]bool{"c2pa.edited.metadata": true, ActionOpened: true, "c2pa.published": true, ActionRedacted: true}

type actionsWire struct {
	Actions []actionWire `cbor:"actions"`
}

type actionWire struct {
	Action            string            `cbor:"action"`
	Parameters        *actionParameters `cbor:"parameters,omitempty"`
	DigitalSourceType *string           `cbor:"digitalSourceType,omitempty"`
}

type actionParameters struct {
	Ingredient     *HashedURI                 `cbor:"ingredient,omitempty"`
	Ingredients    *[]HashedURI               `cbor:"ingredients,omitempty"`
	Redacted       *string                    `cbor:"redacted,omitempty"`
	SourceLanguage string                     `cbor:"sourceLanguage,omitempty"`
	TargetLanguage string                     `cbor:"targetLanguage,omitempty"`
	Extra          map[string]cbor.RawMessage `cbor:"-"`
}

func isActionsLabel(base string) bool { return base == "c2pa.actions" || base == "c2pa.actions.v2" }

// actionsAssertions returns m's actions assertions in claim order, split
// into created and gathered (v1 claims: all created).
func actionsAssertions(m *Manifest) (all, created, gathered []*Assertion) {
	for _, a := range assertionsInClaimOrder(m) {
		if !isActionsLabel(a.BaseLabel()) {
			continue
		}
		all = append(all, a)
		if m.Claim.Version < 2 || m.Claim.IsCreated(a.Label) {
			created = append(created, a)
		} else {
			gathered = append(gathered, a)
		}
	}
	return all, created, gathered
}

func decodeActions(a *Assertion) (*actionsWire, bool) {
	var aw actionsWire
	if a.Kind != KindCBOR || claimDecMode.Unmarshal(a.Data, &aw) != nil || aw.Actions == nil {
		return nil, false
	}
	return &aw, true
}

// checkActions applies c2pa-rs's action rules (C2PA-NOTES §6.1; c2pa-rs
// verify_actions): v1 claims only get the single-assertion rule.
func (v *validator) checkActions(m *Manifest) {
	all, created, gathered := actionsAssertions(m)
	if m.Claim.Version < 2 {
		if len(all) > 1 {
			v.log.Failure(status.AssertionActionMalformed, m.Label, "only one action assertion allowed for v1 claims")
		}
		return
	}
	decoded := map[*Assertion]*actionsWire{}
	for _, a := range all {
		aw, ok := decodeActions(a)
		if !ok {
			v.log.Failure(status.AssertionActionMalformed, m.AssertionURI(a.Label), "Actions missing action array")
			return
		}
		decoded[a] = aw
	}
	var first *Assertion
	for _, list := range [][]*Assertion{created, gathered} {
		if len(list) > 0 {
			if acts := decoded[list[0]].Actions; len(acts) > 0 && (acts[0].Action == ActionOpened || acts[0].Action == ActionCreated) {
				first = list[0]
			}
		}
	}
	if first == nil && !m.Update() {
		v.log.Failure(status.AssertionActionMalformed, m.Label, "first action must be created or opened")
	}
	for index, a := range all {
		uri := m.AssertionURI(a.Label)
		aw := decoded[a]
		if len(aw.Actions) == 0 {
			v.log.Failure(status.AssertionActionMalformed, uri, "actions must have action array")
		}
		for _, act := range aw.Actions {
			inception := act.Action == ActionOpened || act.Action == ActionCreated
			if act.Action == "" {
				v.log.Failure(status.AssertionActionMalformed, uri, "action must have an action.")
			}
			if first != nil && first != a && inception {
				v.log.Failure(status.AssertionActionMalformed, uri, "only first action can be created or opened")
			}
			if index != 0 && inception {
				v.log.Failure(status.AssertionActionMalformed, uri, "created or opened must be first action")
			}
			switch act.Action {
			case ActionOpened, ActionPlaced, ActionRemoved:
				p := act.Parameters
				if p == nil || (p.Ingredient == nil && p.Ingredients == nil) {
					v.log.Failure(status.AssertionActionIngredientMismatch, uri, "opened, placed and removed items must have ingredient(s) parameters")
					continue
				}
				if p.Ingredients != nil && len(*p.Ingredients) == 0 {
					v.log.Failure(status.AssertionActionIngredientMismatch, uri, "opened, placed and removed items must have ingredients parameter must be non empty array")
				}
				want := "componentOf"
				if act.Action == ActionOpened {
					want = "parentOf"
				}
				if found, _ := v.actionIngredientFound(m, p, want); !found {
					v.log.Failure(status.AssertionActionIngredientMismatch, uri, act.Action+" action must reference a "+want+" ingredient")
				}
			case ActionTranscoded, ActionRepackaged:
				if p := act.Parameters; p != nil {
					if found, tested := v.actionIngredientFound(m, p, "parentOf"); tested && !found {
						v.log.Failure(status.AssertionActionIngredientMismatch, uri, act.Action+" action must reference a parentOf ingredient")
					}
				}
			case ActionRedacted:
				if p := act.Parameters; p != nil {
					v.checkRedactedAction(m, p, uri)
				}
			}
			if act.Action == ActionCreated && act.DigitalSourceType == nil {
				v.log.Failure(status.AssertionActionMalformed, uri, "c2pa.created action must have a digitalSourceType")
			}
			if act.Action == ActionTranslated && (act.Parameters == nil || act.Parameters.SourceLanguage == "" || act.Parameters.TargetLanguage == "") {
				v.log.Failure(status.AssertionActionMalformed, uri, "c2pa.translated action must have sourceLanguage and targetLanguage parameters")
			}
		}
	}
}

// actionIngredientFound reports whether the action's ingredient reference
// (ingredient, else ingredients) names an ingredient assertion of m with the
// wanted relationship; tested is false when the action names none.
func (v *validator) actionIngredientFound(m *Manifest, p *actionParameters, want string) (found, tested bool) {
	var refs []HashedURI
	if p.Ingredient != nil {
		refs = []HashedURI{*p.Ingredient}
	} else if p.Ingredients != nil {
		refs = *p.Ingredients
	} else {
		return false, false
	}
	ings := m.ingredients()
	for _, r := range refs {
		label := assertionLabelFromURI(r.URL)
		for _, di := range ings {
			if di.a.Label == label && di.ing.Relationship == want {
				return true, true
			}
		}
	}
	return false, true
}

// checkRedactedAction checks a c2pa.redacted action's redacted URI: it must
// name an assertion its manifest's claim references.
func (v *validator) checkRedactedAction(m *Manifest, p *actionParameters, uri string) {
	var tested, ok bool
	if p.Redacted != nil {
		if im := v.store.Manifest(manifestLabelFromURI(*p.Redacted)); im != nil {
			tested = true
			label := assertionLabelFromURI(*p.Redacted)
			for _, r := range im.Claim.Assertions() {
				if strings.Contains(r.URL, label) {
					ok = true
				}
			}
			if strings.Contains(*p.Redacted, labelDataboxes) {
				for _, r := range m.Claim.Redacted {
					if r == *p.Redacted {
						ok = true
					}
				}
			}
		}
	}
	switch {
	case !tested:
		v.log.Failure(status.AssertionActionRedactionMismatch, uri, "redaction uri must be a valid reference")
	case !ok:
		v.log.Failure(status.AssertionNotRedacted, uri, "The assertion was not redacted")
	}
}

// checkUpdateRules applies the update-manifest rules of c2pa-rs
// verify_internal (allowed actions, thumbnails, exactly one parent), or the
// single-parent rule of standard manifests.
func (v *validator) checkUpdateRules(m *Manifest) {
	parents := 0
	for _, di := range m.ingredients() {
		if di.ing.Relationship == "parentOf" {
			parents++
		}
	}
	muri := jumbf.ManifestURI(m.Label)
	if !m.Update() {
		if parents > 1 {
			v.log.Failure(status.ManifestMultipleParents, muri, "too many ingredient parents")
		}
		return
	}
	all, _, _ := actionsAssertions(m)
	for _, a := range all {
		aw, ok := decodeActions(a)
		if !ok {
			continue
		}
		for _, act := range aw.Actions {
			if !updateActions[act.Action] {
				v.log.Failure(status.ManifestUpdateInvalid, muri, "update manifests contains disallowed actions assertion")
			}
		}
	}
	thumbs := 0
	for _, a := range m.Assertions {
		if strings.Contains(a.Label, "c2pa.thumbnail.claim") {
			thumbs++
		}
	}
	if thumbs > 1 {
		v.log.Failure(status.ManifestUpdateInvalid, muri, "update manifests cannot contain thumbnail assertions")
	}
	switch {
	case parents == 0:
		v.log.Failure(status.ManifestUpdateWrongParents, muri, "update manifest must have ingredient with parentOf relationship")
	case parents > 1:
		v.log.Failure(status.ManifestUpdateInvalid, muri, "update manifests can have one 1 ingredient ")
	}
}
