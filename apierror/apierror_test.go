package apierror_test

import (
	"errors"
	"fmt"
	"testing"

	"provgraph/apierror"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
)

func TestCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want apierror.Code
	}{
		{"wrapped unauthenticated", fmt.Errorf("key: %w", apierror.ErrUnauthenticated), apierror.Unauthenticated},
		{"forbidden", apierror.ErrForbidden, apierror.Forbidden},
		{"cross tenant", tenant.ErrCrossTenant, apierror.Forbidden},
		{"ent not found", &ent.NotFoundError{}, apierror.NotFound},
		{"invalid field", &apierror.InvalidFieldError{Field: "name", Reason: "empty"}, apierror.InvalidInput},
		{"ent validation", &ent.ValidationError{Name: "name"}, apierror.InvalidInput},
		{"rate limited", apierror.ErrRateLimited, apierror.RateLimited},
		{"not pending", fmt.Errorf("asset 1: %w", apierror.ErrNotPending), apierror.NotPending},
		{"no viewer is internal", tenant.ErrNoViewer, apierror.Internal},
		{"unknown", errors.New("disk on fire"), apierror.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apierror.CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
	if got := apierror.Message(errors.New("pq: password leaked")); got != "internal error" {
		t.Errorf("internal message leaked: %q", got)
	}
}
