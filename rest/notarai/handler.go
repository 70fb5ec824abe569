package notarai

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"provgraph/accounts"
	"provgraph/assets"
	"provgraph/collections"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/jobs"
	"provgraph/quota"
	"provgraph/rest/ratelimit"
	"provgraph/signing"
	"provgraph/verifications"
	"provgraph/workflows"
)

// Prefix is where the API is mounted.
const Prefix = "/notarai/api/v1"

// idPurpose derives the key of the UUIDs from the instance secret.
const idPurpose = "notarai-ids"

// DefaultMaxFileBytes is NotarAI's limit of one uploaded file when
// Options.MaxFileBytes is zero.
const DefaultMaxFileBytes = 20 << 20

// Deps are the services the API calls.
type Deps struct {
	// Client reads what no service lists (lists with limit and offset),
	// always under the caller's tenant.
	Client        *ent.Client
	Accounts      *accounts.Service
	Assets        *assets.Service
	Collections   *collections.Service
	Signing       *signing.Service
	Verifications *verifications.Service
	Jobs          *jobs.Service
	Workflows     *workflows.Service
	// Downloads holds the instance secret the record, collection, job and
	// workflow UUIDs are keyed with (see IDs), the same on every instance.
	Downloads *download.Signer
	// Quota counts each request against the per-key request limit and is
	// read for the X-RateLimit-* headers; nil counts nothing.
	Quota *quota.Service
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// Options configure the API.
type Options struct {
	// MaxFileBytes is the largest file accepted; 0 means
	// DefaultMaxFileBytes. The assets service's own limit applies too.
	MaxFileBytes int64
}

// api is the NotarAI handler.
type api struct {
	d    Deps
	o    Options
	ids  *IDs
	log  *slog.Logger
	mux  *http.ServeMux
	self http.Handler
}

// NewHandler returns the API, to be mounted with its prefix stripped:
//
//	POST /scans                              scan             upload and scan files
//	POST /sign                               sign             sign one record, or up to 50
//	GET  /verify/{id}                        public | verify.read  a record's provenance
//	GET  /verify/collection/{id}             verify.read      the records of a collection
//	POST /sign-jobs                          sign             sign records in the background
//	GET  /sign-jobs                          jobs.read
//	GET  /sign-jobs/{id}                     jobs.read        ?items=true lists the items
//	POST /scan-jobs                          scan             scan files in the background
//	GET  /scan-jobs                          jobs.read        ?collectionId=
//	GET  /scan-jobs/{id}                     jobs.read        ?items=true
//	POST /collections                        scan
//	GET  /collections                        jobs.read
//	GET  /collections/{id}                   jobs.read
//	POST /collections/{id}/assets            scan (upload) | jobs.read (assign by ID)
//	POST /collections/{id}/scans             scan             a scan job into the collection
//	POST /collections/{id}/sign              sign             a sign job over the collection
//	GET  /workflows                          workflows.read
//	POST /workflows/{id}                     workflows.read   run on uploaded files
//	POST /workflows/{id}/run-collection      workflows.read   run on a collection
//
// Lists take limit (1–100, default 20) and offset; job lists status too.
func NewHandler(d Deps, o Options) http.Handler {
	ids := IDsOf(d.Downloads)
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = DefaultMaxFileBytes
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a := &api{d: d, o: o, ids: ids, log: d.Logger, mux: http.NewServeMux()}
	a.route("POST /scans", tenant.ScopeScan, quota.Scan, a.scans)
	a.route("POST /sign", tenant.ScopeSign, quota.Sign, a.sign)
	a.public("GET /verify/{id}", tenant.ScopeVerifyRead, a.verifyRecord)
	a.route("GET /verify/collection/{id}", tenant.ScopeVerifyRead, "", a.verifyCollection)
	a.route("POST /sign-jobs", tenant.ScopeSign, quota.Sign, a.createSignJob)
	a.route("GET /sign-jobs", tenant.ScopeJobsRead, "", a.listJobs(jobSign))
	a.route("GET /sign-jobs/{id}", tenant.ScopeJobsRead, "", a.getJob(jobSign))
	a.route("POST /scan-jobs", tenant.ScopeScan, quota.Scan, a.createScanJob)
	a.route("GET /scan-jobs", tenant.ScopeJobsRead, "", a.listJobs(jobScan))
	a.route("GET /scan-jobs/{id}", tenant.ScopeJobsRead, "", a.getJob(jobScan))
	a.route("POST /collections", tenant.ScopeScan, "", a.createCollection)
	a.route("GET /collections", tenant.ScopeJobsRead, "", a.listCollections)
	a.route("GET /collections/{id}", tenant.ScopeJobsRead, "", a.getCollection)
	a.route("POST /collections/{id}/assets", "", quota.Scan, a.addCollectionAssets)
	a.route("POST /collections/{id}/scans", tenant.ScopeScan, quota.Scan, a.scanIntoCollection)
	a.route("POST /collections/{id}/sign", tenant.ScopeSign, quota.Sign, a.signCollection)
	a.route("GET /workflows", tenant.ScopeWorkflowsRead, "", a.listWorkflows)
	a.route("POST /workflows/{id}", tenant.ScopeWorkflowsRead, quota.Scan, a.runWorkflow)
	a.route("POST /workflows/{id}/run-collection", tenant.ScopeWorkflowsRead, quota.Sign, a.runWorkflowOnCollection)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, r, &Error{Code: CodeNotFound, Status: http.StatusNotFound, Message: "no such route: " + r.Method + " " + r.URL.Path})
	})
	return a.mux
}

// reply is what a route answers: a status and a JSON body.
type reply struct {
	status int
	body   any
}

// ok is a 200 reply.
func ok(body any) reply { return reply{http.StatusOK, body} }

// routeFunc serves one route for an authenticated (or, on public routes,
// anonymous) caller in the request's context.
type routeFunc func(r *http.Request) (reply, error)

// write sends body as JSON with status.
func (a *api) write(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

// errorBody is the error envelope.
type errorBody struct {
	Error string `json:"error"`
	Code  Code   `json:"code"`
}

// fail answers err in the error envelope, with Retry-After and the
// X-RateLimit-* headers of a quota refusal; an internal error is logged.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, status, msg := classify(err)
	if ex, ok := retryAfter(err); ok {
		ratelimit.SetHeaders(w.Header(), quota.Usage{Limit: ex.Limit, Remaining: ex.Remaining, Reset: ex.Reset})
		w.Header().Set("Retry-After", strconv.Itoa(ex.RetryAfterSeconds()))
	}
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "notarai: internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	a.write(w, status, errorBody{Error: msg, Code: code})
}
