package trust

import (
	"errors"

	"provgraph/c2pa/status"
)

// Errors a caller branches on.
var (
	// ErrUntrusted: the chain does not reach any anchor of the store.
	ErrUntrusted = errors.New("trust: certificate untrusted")
	// ErrBadList: a trust list or anchor bundle cannot be read.
	ErrBadList = errors.New("trust: unreadable trust list")
)

// ProfileError is a certificate-profile violation. Code is
// signingCredential.invalid, or signingCredential.expired for validity;
// Explanation is c2pa-rs's wording.
type ProfileError struct {
	Code        status.Code
	Explanation string
}

// Error returns the c2pa-rs explanation.
func (e *ProfileError) Error() string { return "trust: " + e.Explanation }

func invalid(explanation string) *ProfileError {
	return &ProfileError{Code: status.SigningCredentialInvalid, Explanation: explanation}
}
