package numbers

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"provgraph/apierror"
)

// The Numbers API answers every error with {"detail": "<message>"}, or,
// for input that failed validation, with the messages of each field at
// fault: {"<field>": ["<message>"]}. The status of an error follows from
// its apierror code:
//
//	code                    status  detail
//	UNAUTHENTICATED         401     Invalid token. (and WWW-Authenticate: Token)
//	FORBIDDEN               403     You do not have permission to perform this action.
//	NOT_FOUND               404     Not found.
//	INVALID_INPUT           400     the error's message, or its field's
//	RECORD_NOT_PENDING      400     the error's message
//	FILE_TOO_LARGE          400     the file field's message
//	UNSUPPORTED_MEDIA_TYPE  400     the file field's message
//	INVALID_FILE            400     the file field's message
//	RATE_LIMITED            429     Request was throttled. Expected available in N seconds. (and Retry-After: N)
//	INTERNAL                500     A server error occurred. (the error is logged, not returned)
var statusOf = map[apierror.Code]int{
	apierror.Unauthenticated: http.StatusUnauthorized,
	apierror.Forbidden:       http.StatusForbidden,
	apierror.NotFound:        http.StatusNotFound,
	apierror.InvalidInput:    http.StatusBadRequest,
	apierror.NotPending:      http.StatusBadRequest,
	apierror.FileTooLarge:    http.StatusBadRequest,
	apierror.UnsupportedType: http.StatusBadRequest,
	apierror.InvalidFile:     http.StatusBadRequest,
	apierror.RateLimited:     http.StatusTooManyRequests,
	apierror.Internal:        http.StatusInternalServerError,
}

// The fixed details.
const (
	detailNotFound   = "Not found."
	detailForbidden  = "You do not have permission to perform this action."
	detailInternal   = "A server error occurred."
	detailUnsupMedia = "Unsupported media type in request."
)

// refusal is an error answered with the API's own message, its status
// given by the apierror code of err.
type refusal struct {
	detail string
	err    error
}

func (e *refusal) Error() string { return e.detail }
func (e *refusal) Unwrap() error { return e.err }

// fieldError is input that failed validation in one field, answered as
// {"<field>": ["<message>"]}.
type fieldError struct {
	field, message string
}

func (e *fieldError) Error() string { return e.field + ": " + e.message }

// Unwrap makes a fieldError INVALID_INPUT.
func (e *fieldError) Unwrap() error { return apierror.ErrInvalidInput }

// invalid is the error of a field with a formatted message.
func invalid(field, format string, args ...any) error {
	return &fieldError{field: field, message: fmt.Sprintf(format, args...)}
}

// errUnsupportedMedia refuses a body of a content type the route does not
// parse; it is answered with 415.
var errUnsupportedMedia = errors.New(detailUnsupMedia)

// retryAfterer is an error that says when to try again
// (*quota.ExceededError).
type retryAfterer interface{ RetryAfterSeconds() int }

// writeError answers the request with err in the API's error body.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errUnsupportedMedia) {
		writeDetail(w, http.StatusUnsupportedMediaType, detailUnsupMedia)
		return
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		writeJSON(w, http.StatusBadRequest, map[string][]string{fe.field: {fe.message}})
		return
	}
	var inv *apierror.InvalidFieldError
	if errors.As(err, &inv) {
		writeJSON(w, http.StatusBadRequest, map[string][]string{inv.Field: {inv.Reason}})
		return
	}
	code := apierror.CodeOf(err)
	status := statusOf[code]
	detail := apierror.Message(err)
	var ref *refusal
	switch {
	case errors.As(err, &ref):
		detail = ref.detail
	case code == apierror.Unauthenticated:
		detail = errInvalidToken.detail
	case code == apierror.Forbidden:
		detail = detailForbidden
	case code == apierror.NotFound:
		detail = detailNotFound
	case code == apierror.Internal:
		a.log.ErrorContext(r.Context(), "numbers: request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		detail = detailInternal
	}
	switch code {
	case apierror.Unauthenticated:
		w.Header().Set("WWW-Authenticate", "Token")
	case apierror.RateLimited:
		secs := 1
		var ra retryAfterer
		if errors.As(err, &ra) {
			secs = ra.RetryAfterSeconds()
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		detail = fmt.Sprintf("Request was throttled. Expected available in %d seconds.", secs)
	}
	writeDetail(w, status, detail)
}

// writeDetail writes {"detail": detail}.
func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail})
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"`+detailInternal+`"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
