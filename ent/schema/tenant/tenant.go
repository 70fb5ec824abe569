package tenant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// ErrNoViewer is returned by the data layer when a query or mutation runs
// without a caller in its context and outside of a system context. It means
// a code path forgot to authenticate, so it is treated as an internal error.
var ErrNoViewer = errors.New("tenant: no caller in context")

// ErrCrossTenant is returned when a mutation tries to write a row that
// belongs to another account than the caller's.
var ErrCrossTenant = errors.New("tenant: row belongs to another account")

// Scope is a permission granted to an API key.
type Scope string

// The scopes an API key can hold. Admin implies every other scope.
const (
	ScopeScan          Scope = "scan"
	ScopeSign          Scope = "sign"
	ScopeVerifyRead    Scope = "verify.read"
	ScopeJobsRead      Scope = "jobs.read"
	ScopeWorkflowsRead Scope = "workflows.read"
	ScopeAdmin         Scope = "admin"
)

// AllScopes lists every scope, in the order they are documented.
func AllScopes() []Scope {
	return []Scope{ScopeScan, ScopeSign, ScopeVerifyRead, ScopeJobsRead, ScopeWorkflowsRead, ScopeAdmin}
}

// graphqlNames maps scopes to their GraphQL enum values: GraphQL names
// cannot hold the dot used in the stored form.
var graphqlNames = map[Scope]string{
	ScopeScan:          "SCAN",
	ScopeSign:          "SIGN",
	ScopeVerifyRead:    "VERIFY_READ",
	ScopeJobsRead:      "JOBS_READ",
	ScopeWorkflowsRead: "WORKFLOWS_READ",
	ScopeAdmin:         "ADMIN",
}

// Valid reports whether s is one of the known scopes.
func (s Scope) Valid() bool {
	_, ok := graphqlNames[s]
	return ok
}

// ParseScope accepts a scope in its stored form ("verify.read") or as a
// GraphQL enum value ("VERIFY_READ").
func ParseScope(v string) (Scope, error) {
	for s, name := range graphqlNames {
		if v == string(s) || v == name {
			return s, nil
		}
	}
	return "", fmt.Errorf("tenant: unknown scope %q", v)
}

// MarshalGQL writes the scope as its GraphQL enum value.
func (s Scope) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(graphqlNames[s]))
}

// UnmarshalGQL reads a GraphQL enum value.
func (s *Scope) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("tenant: scope must be a string, got %T", v)
	}
	p, err := ParseScope(str)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// Viewer is the authenticated caller of a request.
type Viewer struct {
	// AccountID is the tenant every query is scoped to.
	AccountID int
	// APIKeyID is the key the caller authenticated with.
	APIKeyID int
	// Scopes are the permissions of that key.
	Scopes []Scope
}

// Has reports whether the viewer holds scope s; admin holds every scope.
func (v Viewer) Has(s Scope) bool {
	return slices.Contains(v.Scopes, s) || slices.Contains(v.Scopes, ScopeAdmin)
}

type viewerKey struct{}

type systemKey struct{}

// NewContext returns a context that carries v as the caller.
func NewContext(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the caller carried by ctx.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(Viewer)
	return v, ok
}

// WithSystem returns a context in which tenant isolation is lifted: for the
// few code paths that act before there is a caller (authenticating a key,
// bootstrapping the first account, background maintenance). Never derive it
// from a request context handed to user-controlled code.
func WithSystem(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey{}, true)
}

// IsSystem reports whether ctx was made by WithSystem.
func IsSystem(ctx context.Context) bool {
	b, _ := ctx.Value(systemKey{}).(bool)
	return b
}
