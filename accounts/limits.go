package accounts

import (
	"context"
	"fmt"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
)

// OPLimits are an API key's own limits on the OP Protocol API; a nil field
// keeps the key tier's, 0 lifts that limit.
type OPLimits struct {
	RequestsPerMinute *int
	SignsPerDay       *int
	VerifiesPerDay    *int
}

// SetOPLimits gives a key of the caller's account its own OP Protocol
// limits (the fields set; the others keep the tier's).
func (s *Service) SetOPLimits(ctx context.Context, keyID int, l OPLimits) (*ent.APIKey, error) {
	for name, v := range map[string]*int{"requestsPerMinute": l.RequestsPerMinute, "signsPerDay": l.SignsPerDay, "verifiesPerDay": l.VerifiesPerDay} {
		if v != nil && *v < 0 {
			return nil, &apierror.InvalidFieldError{Field: "opLimits." + name, Reason: "must not be negative"}
		}
	}
	key, err := db.ClientFrom(ctx, s.client).APIKey.UpdateOneID(keyID).
		SetNillableOpRequestsPerMinute(l.RequestsPerMinute).
		SetNillableOpSignsPerDay(l.SignsPerDay).
		SetNillableOpVerifiesPerDay(l.VerifiesPerDay).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("api key %d: %w", keyID, err)
	}
	return key, nil
}
