package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"provgraph/analytics"
	"provgraph/apierror"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
)

// exportHandler serves GET /export/assets.{ndjson,csv}?from=&to=&collectionId=:
// the caller's assets (from and to RFC 3339, to exclusive), one line each,
// streamed as the database returns them. It needs an API key with scope
// jobs.read (or admin). Errors found before the first line are JSON
// ({"error": {"code", "message"}}) with their HTTP status; an error
// afterwards aborts the connection, so that a client never takes a cut
// export for a whole one.
func exportHandler(an *analytics.Service, format analytics.Format, q *quota.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v, ok := tenant.FromContext(ctx)
		if !ok {
			err := authError(ctx)
			if err == nil {
				err = fmt.Errorf("%w: send Authorization: Bearer <API key>", apierror.ErrUnauthenticated)
			}
			writeJSONError(w, err)
			return
		}
		if !v.Has(tenant.ScopeJobsRead) {
			writeJSONError(w, fmt.Errorf("%w: the export needs scope %s", apierror.ErrForbidden, tenant.ScopeJobsRead))
			return
		}
		if _, err := q.TakeRequest(ctx); err != nil {
			writeJSONError(w, err)
			return
		}
		f, err := exportFilter(r)
		if err != nil {
			writeJSONError(w, err)
			return
		}
		out := &exportWriter{w: w, format: format}
		n, err := an.Export(ctx, f, format, out)
		switch {
		case err == nil:
		case !out.started:
			if apierror.CodeOf(err) == apierror.Internal {
				log.ErrorContext(ctx, "export: querying", slog.String("request_id", RequestID(ctx)), slog.String("error", err.Error()))
			}
			writeJSONError(w, err)
		case errors.Is(ctx.Err(), context.Canceled):
			log.InfoContext(ctx, "export: client gone", slog.String("request_id", RequestID(ctx)), slog.Int("rows", n))
		default:
			log.ErrorContext(ctx, "export: streaming", slog.String("request_id", RequestID(ctx)),
				slog.Int("rows", n), slog.String("error", err.Error()))
			panic(http.ErrAbortHandler)
		}
	})
}

// exportFilter reads the query parameters of an export.
func exportFilter(r *http.Request) (analytics.Filter, error) {
	q := r.URL.Query()
	parseTime := func(name string) (*time.Time, error) {
		s := q.Get(name)
		if s == "" {
			return nil, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, &apierror.InvalidFieldError{Field: name, Reason: "not an RFC 3339 time"}
		}
		return &t, nil
	}
	from, err := parseTime("from")
	if err != nil {
		return analytics.Filter{}, err
	}
	to, err := parseTime("to")
	if err != nil {
		return analytics.Filter{}, err
	}
	var col *int
	if s := q.Get("collectionId"); s != "" {
		id, err := strconv.Atoi(s)
		if err != nil {
			return analytics.Filter{}, &apierror.InvalidFieldError{Field: "collectionId", Reason: "not an ID of this graph"}
		}
		col = &id
	}
	return analytics.NewFilter(from, to, "", col)
}

// exportWriter sets the headers of an export on its first write and
// remembers that the response has started.
type exportWriter struct {
	w       http.ResponseWriter
	format  analytics.Format
	started bool
}

func (e *exportWriter) Write(p []byte) (int, error) {
	if !e.started {
		e.started = true
		h := e.w.Header()
		h.Set("Content-Type", e.format.ContentType())
		h.Set("Content-Disposition", `attachment; filename="assets.`+string(e.format)+`"`)
		h.Set("Cache-Control", "private, no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		e.w.WriteHeader(http.StatusOK)
	}
	return e.w.Write(p)
}

// Flush sends what was written so far to the client.
func (e *exportWriter) Flush() {
	if e.started {
		_ = http.NewResponseController(e.w).Flush()
	}
}

// httpStatus maps API error codes onto HTTP statuses.
var httpStatus = map[apierror.Code]int{
	apierror.Unauthenticated: http.StatusUnauthorized,
	apierror.Forbidden:       http.StatusForbidden,
	apierror.NotFound:        http.StatusNotFound,
	apierror.InvalidInput:    http.StatusBadRequest,
	apierror.RateLimited:     http.StatusTooManyRequests,
}

// writeJSONError answers with err as {"error": {"code", "message"}} and the
// HTTP status of its code (500 for internal errors, whose text is hidden).
func writeJSONError(w http.ResponseWriter, err error) {
	code := apierror.CodeOf(err)
	status, ok := httpStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	var ra retryAfterer
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, ra.RetryAfterSeconds())))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": string(code), "message": apierror.Message(err)}})
}
