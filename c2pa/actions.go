package c2pa

import (
	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/status"
)

// Action labels with rules attached.
const (
	ActionCreated    = "c2pa.created"
	ActionOpened     = "c2pa.opened"
	ActionPlaced     = "c2pa.placed"
	ActionRemoved    = "c2pa.removed"
	ActionTranslated = "c2pa.translated"
)

// updateActions are the only actions an update manifest may carry.
var updateActions = map[string]bool{"c2pa.edited.metadata": true, ActionOpened: true, "c2pa.published": true, "c2pa.redacted": true}

type actionsWire struct {
	Actions []actionWire `cbor:"actions"`
}

type actionWire struct {
	Action            *string                    `cbor:"action"`
	Parameters        map[string]cbor.RawMessage `cbor:"parameters,omitempty"`
	DigitalSourceType string                     `cbor:"digitalSourceType,omitempty"`
}

func isActionsLabel(base string) bool { return base == "c2pa.actions" || base == "c2pa.actions.v2" }

// checkActions applies c2pa-rs's v2 action rules (C2PA-NOTES §6.1).
func (v *validator) checkActions(m *Manifest) {
	first := true
	for _, a := range m.Assertions {
		if !isActionsLabel(a.BaseLabel()) || a.Kind != KindCBOR {
			continue
		}
		uri := m.AssertionURI(a.Label)
		var aw actionsWire
		if err := claimDecMode.Unmarshal(a.Data, &aw); err != nil {
			v.log.Failure(status.AssertionActionMalformed, uri, err.Error())
			first = false
			continue
		}
		for i, act := range aw.Actions {
			if act.Action == nil {
				v.log.Failure(status.AssertionActionMalformed, uri, "action without a name")
				continue
			}
			name := *act.Action
			inception := name == ActionCreated || name == ActionOpened
			switch {
			case m.Update():
				if !updateActions[name] {
					v.log.Failure(status.ManifestUpdateInvalid, uri, "action not allowed in an update manifest: "+name)
				}
			case first && i == 0 && !inception:
				v.log.Failure(status.AssertionActionMalformed, uri, "first action must be c2pa.created or c2pa.opened")
			case inception && (!first || i != 0):
				v.log.Failure(status.AssertionActionMalformed, uri, name+" must be the first action")
			}
			switch name {
			case ActionCreated:
				if act.DigitalSourceType == "" {
					v.log.Failure(status.AssertionActionMalformed, uri, "c2pa.created needs a digitalSourceType")
				}
			case ActionOpened, ActionPlaced, ActionRemoved:
				want := "componentOf"
				if name == ActionOpened {
					want = "parentOf"
				}
				refs := actionIngredientRefs(act.Parameters)
				if len(refs) == 0 {
					v.log.Failure(status.AssertionActionIngredientMismatch, uri, name+" has no ingredient")
					continue
				}
				for _, r := range refs {
					ia := m.Assertion(assertionLabelFromURI(r.URL))
					if ia == nil {
						v.log.Failure(status.AssertionActionIngredientMismatch, uri, "ingredient not found: "+r.URL)
						continue
					}
					ing, err := decodeIngredient(ia)
					if err != nil || ing.Relationship != want {
						v.log.Failure(status.AssertionActionIngredientMismatch, uri, name+" ingredient must be "+want)
					}
				}
			case ActionTranslated:
				_, src := act.Parameters["sourceLanguage"]
				_, dst := act.Parameters["targetLanguage"]
				if !src || !dst {
					v.log.Failure(status.AssertionActionMalformed, uri, "c2pa.translated needs sourceLanguage and targetLanguage")
				}
			}
		}
		first = false
	}
}

func actionIngredientRefs(params map[string]cbor.RawMessage) []HashedURI {
	var out []HashedURI
	if raw, ok := params["ingredients"]; ok {
		_ = claimDecMode.Unmarshal(raw, &out)
	}
	if raw, ok := params["ingredient"]; ok {
		var h HashedURI
		if claimDecMode.Unmarshal(raw, &h) == nil {
			out = append(out, h)
		}
	}
	return out
}
