package accounts

import (
	"fmt"

	"provgraph/apierror"
)

var (
	// ErrInvalidKey means the presented API key is malformed or unknown.
	ErrInvalidKey = fmt.Errorf("%w: invalid API key", apierror.ErrUnauthenticated)
	// ErrRevokedKey means the presented API key was revoked.
	ErrRevokedKey = fmt.Errorf("%w: API key revoked", apierror.ErrUnauthenticated)
	// ErrNoScopes means a key was requested without any scope.
	ErrNoScopes = &apierror.InvalidFieldError{Field: "scopes", Reason: "at least one scope is required"}
)
