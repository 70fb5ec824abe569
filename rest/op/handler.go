package op

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"provgraph/accounts"
	"provgraph/assets"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/jobs"
	"provgraph/quota"
	"provgraph/signing"
	"provgraph/storage"
	"provgraph/verifications"
	"provgraph/webhooks"
)

// APIVersion is the version the responses' meta name.
const APIVersion = "v1"

// HeaderAPIKey carries the caller's API key; without it a call is
// anonymous and limited by its client IP.
const HeaderAPIKey = "X-OP-API-Key"

// Deps are the services the API calls.
type Deps struct {
	// Client reads the caller's webhooks, assets and job items, scoped
	// to the caller's account.
	Client        *ent.Client
	Accounts      *accounts.Service
	Assets        *assets.Service
	Signing       *signing.Service
	Verifications *verifications.Service
	// Downloads mints the tokens of the API's download and anonymous
	// batch ids.
	Downloads *download.Signer
	Storage   *storage.Store
	Jobs      *jobs.Service
	Webhooks  *webhooks.Service
	// Quota counts the per-tier limits in the database.
	Quota  *quota.Service
	Logger *slog.Logger
}

// Options are the API's settings.
type Options struct {
	// PublicURL is the externally visible base URL of the server (the
	// API's links add /op/api/v1).
	PublicURL string
	// Anonymous are the limits of each client IP calling without a key.
	Anonymous Limits
	// Key are the limits of each API key, except those the key carries of
	// its own (createAPIKey's opLimits).
	Key Limits
	// DownloadTTL is how long a signed file stays downloadable (1 hour).
	DownloadTTL time.Duration
}

// handler serves the API.
type handler struct {
	d    Deps
	o    Options
	log  *slog.Logger
	base string // PublicURL + the mount prefix
}

// Prefix is where the API is mounted.
const Prefix = "/op/api/v1"

// NewHandler returns the API's handler, to be mounted with
// http.StripPrefix(Prefix, …):
//
//	GET    /health               service status
//	POST   /sign                 sign a file (multipart file)
//	GET    /download/{id}        a signed file, for DownloadTTL
//	POST   /verify               verify a file (multipart file)
//	GET    /trust/{verifyId}     a verification's trust, light
//	GET    /badge/{verifyId}     its badge: ?format=svg|html|json&theme&size
//	POST   /batch/verify         verify files in the background (multipart files)
//	POST   /batch/sign           sign files in the background (multipart files)
//	GET    /batch/{batchId}      a batch and its results
//	POST   /webhooks             register a webhook (key required)
//	GET    /webhooks             the account's webhooks
//	DELETE /webhooks/{id}        remove one
func NewHandler(d Deps, o Options) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DownloadTTL <= 0 {
		o.DownloadTTL = time.Hour
	}
	h := &handler{d: d, o: o, log: d.Logger, base: o.PublicURL + Prefix}
	mux := http.NewServeMux()
	mux.Handle("GET /health", h.route(route{peek: true}, h.health))
	mux.Handle("POST /sign", h.route(route{scope: tenant.ScopeSign, owner: true, failure: CodeSignFailed}, h.sign))
	mux.Handle("GET /download/{id}", h.route(route{}, h.download))
	mux.Handle("POST /verify", h.route(route{scope: tenant.ScopeVerifyRead, owner: true, failure: CodeVerifyFailed}, h.verify))
	mux.Handle("GET /trust/{verifyId}", h.route(route{}, h.trust))
	mux.Handle("GET /badge/{verifyId}", h.route(route{}, h.badge))
	mux.Handle("POST /batch/verify", h.route(route{scope: tenant.ScopeVerifyRead, owner: true, failure: CodeVerifyFailed}, h.batchVerify))
	mux.Handle("POST /batch/sign", h.route(route{scope: tenant.ScopeSign, owner: true, failure: CodeSignFailed}, h.batchSign))
	mux.Handle("GET /batch/{batchId}", h.route(route{owner: true}, h.batch))
	mux.Handle("POST /webhooks", h.route(route{scope: tenant.ScopeAdmin, keyOnly: true}, h.createWebhook))
	mux.Handle("GET /webhooks", h.route(route{scope: tenant.ScopeAdmin, keyOnly: true}, h.webhooks))
	mux.Handle("DELETE /webhooks/{id}", h.route(route{scope: tenant.ScopeAdmin, keyOnly: true}, h.deleteWebhook))
	mux.Handle("/", h.route(route{}, func(*call) error { return errNoRoute }))
	return mux
}

// route is what a route needs of its caller.
type route struct {
	// scope is required of an API key.
	scope tenant.Scope
	// keyOnly refuses anonymous callers.
	keyOnly bool
	// owner makes an anonymous caller act for the public account, which
	// then owns what it creates.
	owner bool
	// peek reports the request limit without counting the request.
	peek bool
	// failure is the code of an internal error.
	failure Code
}

// call is one request on its way through a route.
type call struct {
	h   *handler
	w   http.ResponseWriter
	r   *http.Request
	ctx context.Context
	// viewer is the caller: the key's, or the public account's for an
	// anonymous call of an owner route.
	viewer    tenant.Viewer
	anonymous bool
	subject   quota.Subject
	limits    Limits
	usage     quota.Usage
	failure   Code
}

// route authenticates the caller, counts the request, checks the scope
// and runs fn, writing fn's error in the error envelope.
func (h *handler) route(rt route, fn func(c *call) error) http.Handler {
	if rt.failure == "" {
		rt.failure = CodeInternal
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{h: h, w: w, r: r, ctx: r.Context(), failure: rt.failure}
		if err := c.begin(rt); err != nil {
			c.fail(err)
			return
		}
		if err := fn(c); err != nil {
			c.fail(err)
		}
	})
}

// begin resolves the caller and its tier, counts the request against the
// tier's per-minute limit and checks the route's scope. A caller whose
// key is refused is counted as an anonymous one.
func (c *call) begin(rt route) error {
	var authErr error
	if key := c.r.Header.Get(HeaderAPIKey); key != "" {
		v, own, err := c.h.d.Accounts.AuthenticateWithOPLimits(c.ctx, key)
		if err == nil {
			c.viewer = v
			c.subject = quota.APIKey(v.AccountID, v.APIKeyID)
			c.limits = withOwn(c.h.o.Key, own)
			c.ctx = tenant.NewContext(c.ctx, v)
		}
		authErr = err
	} else if rt.keyOnly {
		authErr = errNoKey
	}
	if c.viewer.AccountID == 0 {
		c.anonymous = true
		c.subject = quota.ClientIP(clientIP(c.r))
		c.limits = c.h.o.Anonymous
	}
	n := 1
	if rt.peek {
		n = 0
	}
	if err := c.count(countRequest, quota.Minute, c.limits.RequestsPerMinute, n); err != nil {
		return err
	}
	if authErr != nil {
		return authErr
	}
	if !c.anonymous {
		if rt.scope != "" && !c.viewer.Has(rt.scope) {
			return &scopeError{scope: rt.scope}
		}
		return nil
	}
	if rt.owner {
		v, err := c.h.d.Accounts.Public(c.ctx)
		if err != nil {
			return err
		}
		// What an anonymous caller does is counted by its IP's limits
		// above, not by the public account's plan.
		v.Scopes = []tenant.Scope{tenant.ScopeSign, tenant.ScopeVerifyRead}
		c.viewer = v
		c.ctx = tenant.NewContext(quota.Prepaid(c.ctx), v)
	}
	return nil
}

// envelope is a successful response.
type envelope struct {
	OK   bool `json:"ok"`
	Data any  `json:"data"`
}

// ok writes data in the success envelope.
func (c *call) ok(status int, data any) error {
	c.writeJSON(status, envelope{OK: true, Data: data})
	return nil
}

func (c *call) writeJSON(status int, v any) {
	h := c.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	if err := json.NewEncoder(c.w).Encode(v); err != nil {
		c.h.log.WarnContext(c.ctx, "op: writing response", slog.String("error", err.Error()))
	}
}

// health answers GET /health.
func (h *handler) health(c *call) error {
	return c.ok(http.StatusOK, map[string]any{"status": "ok", "apiVersion": APIVersion, "time": time.Now().UTC()})
}
