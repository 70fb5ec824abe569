package c2pa

import (
	"testing"

	"provgraph/c2pa/status"
)

func TestValidationState(t *testing.T) {
	ok := []status.Entry{{Code: status.ClaimSignatureValidated}, {Code: status.ClaimSignatureInsideValidity}}
	trusted := append([]status.Entry{{Code: status.SigningCredentialTrusted}}, ok...)
	fail := func(c status.Code) []status.Entry { return []status.Entry{{Code: c, Kind: status.Failure}} }
	for _, tt := range []struct {
		name     string
		success  []status.Entry
		failures []status.Entry
		delta    []status.Entry
		want     string
	}{
		{"trusted", trusted, nil, nil, StateTrusted},
		{"valid untrusted", ok, fail(status.SigningCredentialUntrusted), nil, StateValid},
		{"valid cawg tolerated", trusted, fail(status.CAWGX509CredentialUntrusted), nil, StateValid},
		{"no signature validation", []status.Entry{{Code: status.ClaimSignatureValidated}}, nil, nil, StateInvalid},
		{"hash mismatch", trusted, fail(status.AssertionDataHashMismatch), nil, StateInvalid},
		{"ingredient failure", trusted, nil, fail(status.IngredientManifestMismatch), StateInvalid},
		{"ingredient untrusted tolerated", trusted, nil, fail(status.SigningCredentialUntrusted), StateValid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vr := &ValidationResults{ActiveManifest: StatusCodes{Success: tt.success, Failure: tt.failures}}
			if tt.delta != nil {
				vr.IngredientDeltas = []IngredientDelta{{ValidationDeltas: StatusCodes{Failure: tt.delta}}}
			}
			if got := vr.State(); got != tt.want {
				t.Errorf("State() = %s, want %s", got, tt.want)
			}
		})
	}
}
