package notarai

import (
	"context"
	"net/http"
	"strings"

	"provgraph/accounts"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
	"provgraph/rest/ratelimit"
)

// errNoKey is the refusal of a request without an API key.
var errNoKey = accounts.ErrInvalidKey

// route registers fn for pattern behind the key check: the caller needs
// scope (none when empty: fn checks with need), each request counts
// against the per-key request limit, and the X-RateLimit-* headers report
// the account's monthly quota of meter (quota.Scan or quota.Sign) or, for
// routes without one, the request limit.
func (a *api) route(pattern string, scope tenant.Scope, meter string, fn routeFunc) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		a.serve(w, r, scope, meter, false, fn)
	})
}

// public registers fn for pattern without the key check: a request
// without a key is served anonymously, one with a key must pass it and
// hold scope.
func (a *api) public(pattern string, scope tenant.Scope, fn routeFunc) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		a.serve(w, r, scope, "", true, fn)
	})
}

func (a *api) serve(w http.ResponseWriter, r *http.Request, scope tenant.Scope, meter string, public bool, fn routeFunc) {
	ctx := r.Context()
	header := r.Header.Get("Authorization")
	var usage quota.Usage
	if header != "" || !public {
		v, err := a.authenticate(ctx, header)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if scope != "" && !v.Has(scope) {
			a.fail(w, r, missingScope(scope))
			return
		}
		ctx = tenant.NewContext(ctx, v)
		if usage, err = a.d.Quota.TakeRequest(ctx); err != nil {
			a.fail(w, r, err)
			return
		}
		r = r.WithContext(ctx)
	}
	rep, err := fn(r)
	if _, authed := tenant.FromContext(ctx); authed {
		if meter != "" {
			if u, ok := a.monthly(ctx, meter); ok {
				usage = u
			}
		}
		if _, refused := retryAfter(err); !refused {
			ratelimit.SetHeaders(w.Header(), usage)
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.write(w, rep.status, rep.body)
}

// authenticate checks "Authorization: Bearer <key>".
func (a *api) authenticate(ctx context.Context, header string) (tenant.Viewer, error) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
		return tenant.Viewer{}, errNoKey
	}
	return a.d.Accounts.Authenticate(ctx, strings.TrimSpace(key))
}

// missingScope is the INSUFFICIENT_SCOPE refusal for scope.
func missingScope(scope tenant.Scope) error {
	return &Error{Code: CodeInsufficientScope, Status: http.StatusForbidden,
		Message: "this API key lacks the " + string(scope) + " scope"}
}

// need refuses a caller in ctx that lacks scope, for routes whose scope
// depends on the request.
func need(ctx context.Context, scope tenant.Scope) error {
	if v, _ := tenant.FromContext(ctx); !v.Has(scope) {
		return missingScope(scope)
	}
	return nil
}

// monthly is where the caller's account stands on its plan's monthly
// quota of meter (the quota the assets and signing services charge).
func (a *api) monthly(ctx context.Context, meter string) (quota.Usage, bool) {
	if a.d.Quota == nil {
		return quota.Usage{}, false
	}
	acct, err := a.d.Accounts.Viewer(ctx)
	if err != nil || acct.MonthlyAssetQuota <= 0 {
		return quota.Usage{}, false
	}
	u, err := a.d.Quota.Peek(ctx, quota.Account(acct.ID).Limit(meter, quota.Month, acct.MonthlyAssetQuota))
	return u, err == nil
}
