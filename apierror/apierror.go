package apierror

import (
	"errors"

	"provgraph/ent"
	"provgraph/ent/schema/tenant"
)

// Code is the stable, machine-readable class of an API error.
//
//	Code             When
//	UNAUTHENTICATED  no API key, an unknown or malformed key, a revoked key
//	FORBIDDEN        the key lacks the scope the operation needs
//	NOT_FOUND        the object does not exist in the caller's account
//	INVALID_INPUT    the input failed validation or violates a constraint
//	RATE_LIMITED     the caller exceeded a rate limit or quota
//	RECORD_NOT_PENDING      the record's state does not allow the operation (e.g. signing an asset not scanned yet)
//	FILE_TOO_LARGE          an uploaded file exceeds the size limit; nothing was stored
//	UNSUPPORTED_MEDIA_TYPE  an uploaded file's bytes are of no accepted media type
//	INVALID_FILE            an uploaded file is of an accepted type but its structure is unreadable
//	INTERNAL         anything else; details are logged, never returned
type Code string

// The codes, as documented on Code.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	InvalidInput    Code = "INVALID_INPUT"
	RateLimited     Code = "RATE_LIMITED"
	NotPending      Code = "RECORD_NOT_PENDING"
	FileTooLarge    Code = "FILE_TOO_LARGE"
	UnsupportedType Code = "UNSUPPORTED_MEDIA_TYPE"
	InvalidFile     Code = "INVALID_FILE"
	Internal        Code = "INTERNAL"
)

// Sentinel errors that services wrap (with %w) to give an error its code.
var (
	// ErrUnauthenticated means the caller could not be identified.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden means the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound means the object is not in the caller's account.
	ErrNotFound = errors.New("not found")
	// ErrInvalidInput means the request itself is wrong.
	ErrInvalidInput = errors.New("invalid input")
	// ErrRateLimited means the caller must slow down.
	ErrRateLimited = errors.New("rate limited")
	// ErrNotPending means the record's state does not allow the operation.
	ErrNotPending = errors.New("record not in the required state")
	// ErrFileTooLarge means an uploaded file exceeds the size limit.
	ErrFileTooLarge = errors.New("file too large")
	// ErrUnsupportedMediaType means an uploaded file's bytes are of no
	// accepted media type (whatever its name says).
	ErrUnsupportedMediaType = errors.New("unsupported media type")
	// ErrInvalidFile means an uploaded file's structure cannot be read.
	ErrInvalidFile = errors.New("invalid file")
)

// InvalidFieldError reports one input field that failed validation.
type InvalidFieldError struct {
	// Field is the input field, as the API names it.
	Field string
	// Reason says what is wrong with it, for a human.
	Reason string
}

// Error implements error.
func (e *InvalidFieldError) Error() string { return "invalid " + e.Field + ": " + e.Reason }

// Unwrap makes an InvalidFieldError match ErrInvalidInput.
func (e *InvalidFieldError) Unwrap() error { return ErrInvalidInput }

// CodeOf classifies err. Errors it does not know are Internal.
func CodeOf(err error) Code {
	var invalidField *InvalidFieldError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrUnauthenticated):
		return Unauthenticated
	case errors.Is(err, ErrForbidden), errors.Is(err, tenant.ErrCrossTenant):
		return Forbidden
	case errors.Is(err, ErrNotFound), ent.IsNotFound(err), ent.IsNotSingular(err):
		return NotFound
	case errors.Is(err, ErrInvalidInput), errors.As(err, &invalidField),
		ent.IsValidationError(err), ent.IsConstraintError(err):
		return InvalidInput
	case errors.Is(err, ErrRateLimited):
		return RateLimited
	case errors.Is(err, ErrNotPending):
		return NotPending
	case errors.Is(err, ErrFileTooLarge):
		return FileTooLarge
	case errors.Is(err, ErrUnsupportedMediaType):
		return UnsupportedType
	case errors.Is(err, ErrInvalidFile):
		return InvalidFile
	default:
		return Internal
	}
}

// Message is the human message returned with err: its own text, except for
// internal errors, whose text may leak internals and is replaced.
func Message(err error) string {
	switch CodeOf(err) {
	case Internal:
		return "internal error"
	case NotFound:
		var nf *ent.NotFoundError
		if errors.As(err, &nf) {
			return "not found"
		}
	case InvalidInput:
		var ce *ent.ConstraintError
		if errors.As(err, &ce) {
			return "invalid input: conflicts with existing data"
		}
	}
	return err.Error()
}
