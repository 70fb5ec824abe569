package numbers

import (
	"errors"
	"net/http"
	"strings"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/ent/schema/tenant"
)

// The scope each route needs: computing a NID reads a file as a scan
// does, registering scans it, and C2PA signs.
const (
	scopeNid      = tenant.ScopeScan
	scopeRegister = tenant.ScopeScan
	scopeC2PA     = tenant.ScopeSign
)

// tokenKeyword is the scheme of the Authorization header, compared
// without regard to case: "Authorization: token <key>".
const tokenKeyword = "token"

// route authenticates the request's token, checks that its key holds
// scope, counts the request against the key's per-minute limit, and then
// runs h with the caller in the context. An error from h is written as
// the API's error body.
func (a *api) route(scope tenant.Scope, h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v, err := a.authenticate(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if !v.Has(scope) {
			a.writeError(w, r, errNoPermission)
			return
		}
		ctx = tenant.NewContext(ctx, v)
		if _, err := a.d.Quota.TakeRequest(ctx); err != nil {
			a.writeError(w, r, err)
			return
		}
		if err := h(w, r.WithContext(ctx)); err != nil {
			a.writeError(w, r.WithContext(ctx), err)
		}
	})
}

// authenticate reads "Authorization: token <key>" the way the Numbers API
// does: another scheme, or no header, is a request without credentials.
func (a *api) authenticate(r *http.Request) (tenant.Viewer, error) {
	fields := strings.Fields(r.Header.Get("Authorization"))
	switch {
	case len(fields) == 0 || !strings.EqualFold(fields[0], tokenKeyword):
		return tenant.Viewer{}, errNoCredentials
	case len(fields) == 1:
		return tenant.Viewer{}, errTokenMissing
	case len(fields) > 2:
		return tenant.Viewer{}, errTokenSpaces
	}
	v, err := a.d.Accounts.Authenticate(r.Context(), fields[1])
	switch {
	case errors.Is(err, accounts.ErrRevokedKey):
		return tenant.Viewer{}, errRevoked
	case errors.Is(err, accounts.ErrInvalidKey):
		return tenant.Viewer{}, errInvalidToken
	case err != nil:
		return tenant.Viewer{}, err
	}
	return v, nil
}

// The refusals of authentication, with the Numbers API's messages. A
// revoked key is known but refused (FORBIDDEN, 403), as a key without the
// scope is.
var (
	errNoCredentials = &refusal{"Authentication credentials were not provided.", apierror.ErrUnauthenticated}
	errTokenMissing  = &refusal{"Invalid token header. No credentials provided.", apierror.ErrUnauthenticated}
	errTokenSpaces   = &refusal{"Invalid token header. Token string should not contain spaces.", apierror.ErrUnauthenticated}
	errInvalidToken  = &refusal{"Invalid token.", apierror.ErrUnauthenticated}
	errRevoked       = &refusal{"This token has been revoked.", apierror.ErrForbidden}
	errNoPermission  = &refusal{"You do not have permission to perform this action.", apierror.ErrForbidden}
)
