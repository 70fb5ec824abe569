package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"provgraph/accounts"
	"provgraph/analytics"
	"provgraph/assets"
	"provgraph/collections"
	"provgraph/db"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/events"
	"provgraph/jobs"
	"provgraph/quota"
	"provgraph/rest/notarai"
	"provgraph/rest/numbers"
	"provgraph/rest/op"
	"provgraph/signing"
	"provgraph/storage"
	"provgraph/verifications"
	"provgraph/web"
	"provgraph/webhooks"
	"provgraph/workflows"
)

// readyTimeout bounds the database ping of /readyz.
const readyTimeout = 2 * time.Second

// Deps are the services the HTTP layer calls.
type Deps struct {
	// DB is pinged by /readyz.
	DB *db.DB
	// Client is the ent client GraphQL reads through.
	Client *ent.Client
	// Accounts authenticates API keys and manages accounts.
	Accounts *accounts.Service
	// Assets stores and scans uploads.
	Assets *assets.Service
	// Collections backs the collection mutations.
	Collections *collections.Service
	// Events records events and feeds subscriptions.
	Events *events.Service
	// Storage holds blobs (uploads, signed outputs); the upload and
	// download routes of later issues use it.
	Storage *storage.Store
	// Signing signs assets and mints their download URLs.
	Signing *signing.Service
	// Verifications validates files and keeps the verifications.
	Verifications *verifications.Service
	// Downloads checks the tokens of download URLs.
	Downloads *download.Signer
	// Webhooks manages webhooks and reads their delivery attempts.
	Webhooks *webhooks.Service
	// Jobs creates, cancels, reads and streams background jobs.
	Jobs *jobs.Service
	// Workflows keeps and runs workflows.
	Workflows *workflows.Service
	// Analytics answers the analytics query and the exports.
	Analytics *analytics.Service
	// Quota counts requests (and scans, signs and verifies) in the
	// database, so that every instance enforces the same limits; nil
	// enforces none.
	Quota *quota.Service
	// Logger receives access logs and internal errors.
	Logger *slog.Logger
}

// Options are the limits and settings of the HTTP layer.
type Options struct {
	// MaxUploadBytes caps every request body.
	MaxUploadBytes int64
	// MaxFileBytes caps a file checked on the public /verify page.
	MaxFileBytes int64
	// MaxQueryDepth caps GraphQL selection nesting.
	MaxQueryDepth int
	// MaxComplexity caps the GraphQL complexity score.
	MaxComplexity int
	// PublicURL is the externally visible base URL, if known.
	PublicURL string
	// RateLimit is the sustained requests per second allowed per API key;
	// zero disables rate limiting.
	RateLimit float64
	// RateBurst is how many requests a key may make at once.
	RateBurst int
	// OP configures the OP Protocol v1 API under /op/api/v1.
	OP op.Options
	// Notarai configures the NotarAI v1 API under /notarai/api/v1.
	Notarai notarai.Options
	// Numbers configures the Numbers Protocol v3 API under /numbers/api/v3.
	Numbers numbers.Options
}

// New returns the HTTP handler of the server:
//
//	GET  /          GraphiQL, served from the binary
//	     /graphql   GraphQL over POST, GET, multipart and WebSocket
//	GET  /healthz   the process is up
//	GET  /readyz    the database answers
//	GET  /download/{token}            a signed output or certificate (token = signed URL)
//	GET  /badge/{verifyId}.{svg,html,json}  the badge of a public verification
//	GET  /export/assets.{ndjson,csv}        the caller's assets for BI tools (scope jobs.read)
//	     /op/api/v1/, /notarai/api/v1/, /numbers/api/v3/  the REST APIs (packages rest/…)
//	GET  /openapi.json, /api-docs/          their merged OpenAPI document and its page
//	GET, POST /verify, GET /verify/{id}[/report.json|/thumbnail], GET /jobs/{id}, GET /web/
//	                the public pages (package web)
func New(d Deps, o Options) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", guardUploads(o.MaxUploadBytes, newGraphQLHandler(d, o)))
	mux.Handle("GET /{$}", graphiQLPage("/graphql"))
	mux.Handle("GET /static/", staticAssets())
	mux.Handle("GET /download/{token}", downloadHandler(d.Downloads, d.Storage, d.Logger))
	mux.Handle("GET /badge/{file}", badgeHandler(d.Verifications, d.Logger))
	mountREST(mux, d, o)
	mux.Handle("GET /export/assets.ndjson", exportHandler(d.Analytics, analytics.FormatNDJSON, d.Quota, d.Logger))
	mux.Handle("GET /export/assets.csv", exportHandler(d.Analytics, analytics.FormatCSV, d.Quota, d.Logger))
	web.New(web.Deps{Verifications: d.Verifications, Accounts: d.Accounts, Quota: d.Quota, Logger: d.Logger},
		web.Options{MaxFileBytes: o.MaxFileBytes, AnonymousPerMinute: web.DefaultAnonymousPerMinute, AnonymousPerDay: web.DefaultAnonymousPerDay}).Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := d.DB.Ping(ctx); err != nil {
			d.Logger.WarnContext(ctx, "readyz: database ping failed", slog.String("error", err.Error()))
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})

	var h http.Handler = mux
	h = withAuth(d.Accounts, d.Logger, h)
	h = withBodyLimit(o.MaxUploadBytes, h)
	h = withRecovery(d.Logger, h)
	h = withLogging(d.Logger, h)
	h = withRequestID(h)
	return h
}
