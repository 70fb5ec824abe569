package numbers

import (
	"fmt"
	"log/slog"
	"net/http"

	"provgraph/accounts"
	"provgraph/assets"
	"provgraph/ent"
	"provgraph/outbound"
	"provgraph/quota"
	"provgraph/signing"
)

// Prefix is where the server mounts the API; the paths of NewHandler's
// handler are relative to it.
const Prefix = "/numbers/api/v3"

// Deps are the services the API calls.
type Deps struct {
	// Accounts authenticates the token of every request.
	Accounts *accounts.Service
	// Assets stores and scans registered files; its size limit is the
	// limit of every file the API reads.
	Assets *assets.Service
	// Signing signs registered assets and mints their download URLs.
	Signing *signing.Service
	// Client reads assets by NID, scoped to the caller's account.
	Client *ent.Client
	// Quota counts every request against the per-key request limit that
	// GraphQL shares; nil counts nothing.
	Quota *quota.Service
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// Options are the API's settings.
type Options struct {
	// Fetch is the policy the fileURL of POST /nid is fetched under: the
	// private addresses it may reach (PROVGRAPH_OUTBOUND_ALLOW) and its
	// timeout. Its MaxBytes is replaced by the assets service's file
	// limit.
	Fetch outbound.Policy
}

// api is the handler state shared by the routes.
type api struct {
	d     Deps
	fetch outbound.Policy
	log   *slog.Logger
}

// NewHandler returns the API with its paths relative to Prefix, which
// the server strips:
//
//	POST /nid                  the NID of an uploaded or fetched file
//	POST /assets/              register an asset; its id is its NID
//	POST /assets/{nid}/c2pa/   sign the asset with C2PA; the signed file's URL and CID
func NewHandler(d Deps, o Options) http.Handler {
	a := &api{d: d, fetch: o.Fetch, log: d.Logger}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.fetch.MaxBytes = d.Assets.MaxFileBytes()
	mux := http.NewServeMux()
	routes := map[string]http.Handler{
		"/nid":                   a.route(scopeNid, a.nid),
		"/assets/{$}":            a.route(scopeRegister, a.register),
		"/assets/{nid}/c2pa/{$}": a.route(scopeC2PA, a.c2pa),
	}
	for path, h := range routes {
		mux.Handle(http.MethodPost+" "+path, h)
		mux.HandleFunc(path, methodNotAllowed)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeDetail(w, http.StatusNotFound, detailNotFound)
	})
	return mux
}

// methodNotAllowed answers another method than POST on a route.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", http.MethodPost)
	writeDetail(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %q not allowed.", r.Method))
}
