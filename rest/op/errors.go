package op

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"provgraph/apierror"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
	"provgraph/rest/ratelimit"
)

// Code is an error code of the OP Protocol's error envelope.
//
//	Code             Status  When
//	invalid_file     400     no file, or a file that cannot be read, of no accepted media type, or that cannot carry Content Credentials
//	file_too_large   400     a file (50 MB) or a batch (20 files, 200 MB) over the limit
//	invalid_request  400     any other invalid input (webhook URL or events, badge options)
//	unauthorized     401     no API key where one is required, or an invalid or revoked key
//	forbidden        403     the API key lacks the scope the route needs
//	not_found        404     unknown route or object, another account's object, an expired verification or download
//	rate_limited     429     a rate limit is reached; details.retryAfter and Retry-After say when to retry
//	sign_failed      500     signing failed (details are logged, never returned)
//	verify_failed    500     verifying failed
//	internal_error   500     any other internal failure
type Code string

// The codes, as documented on Code.
const (
	CodeInvalidFile    Code = "invalid_file"
	CodeFileTooLarge   Code = "file_too_large"
	CodeInvalidRequest Code = "invalid_request"
	CodeUnauthorized   Code = "unauthorized"
	CodeForbidden      Code = "forbidden"
	CodeNotFound       Code = "not_found"
	CodeRateLimited    Code = "rate_limited"
	CodeSignFailed     Code = "sign_failed"
	CodeVerifyFailed   Code = "verify_failed"
	CodeInternal       Code = "internal_error"
)

// codes maps the services' error codes onto the OP Protocol's, with their
// HTTP statuses. An internal error takes the code of its route (failure).
var codes = map[apierror.Code]struct {
	code   Code
	status int
}{
	apierror.InvalidFile:     {CodeInvalidFile, http.StatusBadRequest},
	apierror.UnsupportedType: {CodeInvalidFile, http.StatusBadRequest},
	apierror.FileTooLarge:    {CodeFileTooLarge, http.StatusBadRequest},
	apierror.InvalidInput:    {CodeInvalidRequest, http.StatusBadRequest},
	apierror.NotPending:      {CodeInvalidRequest, http.StatusBadRequest},
	apierror.Unauthenticated: {CodeUnauthorized, http.StatusUnauthorized},
	apierror.Forbidden:       {CodeForbidden, http.StatusForbidden},
	apierror.NotFound:        {CodeNotFound, http.StatusNotFound},
	apierror.RateLimited:     {CodeRateLimited, http.StatusTooManyRequests},
}

// fileError is an invalid request on a route that takes files: the OP
// Protocol calls every problem with the upload invalid_file.
type fileError struct{ err error }

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// errorBody is the error envelope.
type errorBody struct {
	OK    bool      `json:"ok"`
	Error errorInfo `json:"error"`
}

type errorInfo struct {
	Code    Code           `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// fail writes err in the error envelope: its code from the table, its
// message, and details (the field at fault, when to retry).
func (c *call) fail(err error) {
	ac := apierror.CodeOf(err)
	m, ok := codes[ac]
	if !ok {
		m.code, m.status = c.failure, http.StatusInternalServerError
	}
	var fe *fileError
	if errors.As(err, &fe) && (ac == apierror.InvalidInput || ac == apierror.NotPending) {
		m.code = CodeInvalidFile
	}
	info := errorInfo{Code: m.code, Message: apierror.Message(err), Details: map[string]any{}}
	var field *apierror.InvalidFieldError
	if errors.As(err, &field) {
		info.Details["field"], info.Details["reason"] = field.Field, field.Reason
	}
	var exceeded *quota.ExceededError
	if errors.As(err, &exceeded) {
		secs := exceeded.RetryAfterSeconds()
		info.Details["retryAfter"] = secs
		c.w.Header().Set("Retry-After", strconv.Itoa(secs))
		ratelimit.SetHeaders(c.w.Header(), quota.Usage{Limit: exceeded.Limit, Reset: exceeded.Reset})
	}
	if m.status == http.StatusInternalServerError {
		c.h.log.ErrorContext(c.ctx, "op: internal error", slog.String("method", c.r.Method),
			slog.String("path", c.r.URL.Path), slog.String("error", err.Error()))
	}
	c.writeJSON(m.status, errorBody{Error: info})
}

// errNoKey refuses a route that needs an API key.
var errNoKey = fmt.Errorf("%w: this route needs an API key in X-OP-API-Key", apierror.ErrUnauthenticated)

// errNoRoute answers a path or method the API does not have.
var errNoRoute = fmt.Errorf("%w: no such route", apierror.ErrNotFound)

// scopeError refuses a key without the scope a route needs.
type scopeError struct{ scope tenant.Scope }

func (e *scopeError) Error() string {
	return fmt.Sprintf("forbidden: this API key lacks the %q scope", e.scope)
}
func (e *scopeError) Unwrap() error { return apierror.ErrForbidden }

// invalidFieldErr reports an invalid query parameter or body field.
func invalidFieldErr(field, reason string) error {
	return &apierror.InvalidFieldError{Field: field, Reason: reason}
}
