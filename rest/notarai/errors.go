package notarai

import (
	"errors"
	"net/http"
	"strconv"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/quota"
)

// Code is a NotarAI error code, the code field of the error envelope.
type Code string

// The error codes of the NotarAI API and their statuses:
//
//	Code                    Status  When (provgraph code mapped)
//	INVALID_REQUEST         400     malformed request, failed validation (INVALID_INPUT, INVALID_FILE)
//	UNAUTHORIZED            401     no key, unknown or malformed key (UNAUTHENTICATED)
//	INSUFFICIENT_SCOPE      403     the key lacks the route's scope (FORBIDDEN)
//	KEY_REVOKED             403     the key was revoked (accounts.ErrRevokedKey)
//	NOT_FOUND               404     no such record, job, collection or workflow in the caller's account, or no such route (NOT_FOUND)
//	METHOD_NOT_ALLOWED      405     the route exists for other methods (no provgraph code)
//	FILE_TOO_LARGE          413     a file or the request body exceeds its limit (FILE_TOO_LARGE)
//	UNSUPPORTED_MEDIA_TYPE  415     a file's bytes are of no accepted type (UNSUPPORTED_MEDIA_TYPE)
//	RECORD_NOT_PENDING      422     the record's state does not allow the operation (RECORD_NOT_PENDING)
//	RATE_LIMITED            429     a plan quota or rate limit is reached; Retry-After says when to retry (RATE_LIMITED)
//	INTERNAL_ERROR          500     anything else; logged, never detailed (INTERNAL)
const (
	CodeInvalidRequest       Code = "INVALID_REQUEST"
	CodeUnauthorized         Code = "UNAUTHORIZED"
	CodeInsufficientScope    Code = "INSUFFICIENT_SCOPE"
	CodeKeyRevoked           Code = "KEY_REVOKED"
	CodeNotFound             Code = "NOT_FOUND"
	CodeMethodNotAllowed     Code = "METHOD_NOT_ALLOWED"
	CodeFileTooLarge         Code = "FILE_TOO_LARGE"
	CodeUnsupportedMediaType Code = "UNSUPPORTED_MEDIA_TYPE"
	CodeRecordNotPending     Code = "RECORD_NOT_PENDING"
	CodeRateLimited          Code = "RATE_LIMITED"
	CodeInternal             Code = "INTERNAL_ERROR"
)

// codes maps provgraph's codes onto NotarAI's, with the HTTP status of each.
var codes = map[apierror.Code]struct {
	code   Code
	status int
}{
	apierror.InvalidInput:    {CodeInvalidRequest, http.StatusBadRequest},
	apierror.InvalidFile:     {CodeInvalidRequest, http.StatusBadRequest},
	apierror.Unauthenticated: {CodeUnauthorized, http.StatusUnauthorized},
	apierror.Forbidden:       {CodeInsufficientScope, http.StatusForbidden},
	apierror.NotFound:        {CodeNotFound, http.StatusNotFound},
	apierror.FileTooLarge:    {CodeFileTooLarge, http.StatusRequestEntityTooLarge},
	apierror.UnsupportedType: {CodeUnsupportedMediaType, http.StatusUnsupportedMediaType},
	apierror.NotPending:      {CodeRecordNotPending, http.StatusUnprocessableEntity},
	apierror.RateLimited:     {CodeRateLimited, http.StatusTooManyRequests},
	apierror.Internal:        {CodeInternal, http.StatusInternalServerError},
}

// Error is an error the API answers with its own code, message and
// status, for the failures no service reports (an unknown route, a
// malformed ID).
type Error struct {
	Code    Code
	Status  int
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

// invalid is an INVALID_REQUEST about the request itself.
func invalid(msg string) error {
	return &apierror.InvalidFieldError{Field: "request", Reason: msg}
}

// invalidField is an INVALID_REQUEST about one field.
func invalidField(field, reason string) error {
	return &apierror.InvalidFieldError{Field: field, Reason: reason}
}

// errNotFound is NOT_FOUND for an ID that names nothing of the caller's.
var errNotFound = &Error{Code: CodeNotFound, Status: http.StatusNotFound, Message: "not found"}

// classify returns the code, status and message err is answered with.
func classify(err error) (Code, int, string) {
	var own *Error
	if errors.As(err, &own) {
		return own.Code, own.Status, own.Message
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return CodeFileTooLarge, http.StatusRequestEntityTooLarge,
			"the request body is larger than the limit of " + strconv.FormatInt(tooBig.Limit, 10) + " bytes"
	}
	if errors.Is(err, accounts.ErrRevokedKey) {
		return CodeKeyRevoked, http.StatusForbidden, "the API key has been revoked"
	}
	c := codes[apierror.CodeOf(err)]
	if c.code == "" {
		c = codes[apierror.Internal]
	}
	msg := apierror.Message(err)
	if c.code == CodeUnauthorized {
		msg = "a valid API key is required: Authorization: Bearer <key>"
	}
	return c.code, c.status, msg
}

// itemError is the message of an error reported inside a 200 response,
// for one file or record of a batch.
func itemError(err error) string {
	_, _, msg := classify(err)
	return msg
}

// retryAfter returns the Retry-After seconds and the limit that refused,
// when err is a quota refusal.
func retryAfter(err error) (*quota.ExceededError, bool) {
	var ex *quota.ExceededError
	return ex, errors.As(err, &ex)
}
