package resolvers

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"provgraph/apierror"
	"provgraph/ent/schema/tenant"
	"provgraph/graph"
)

// NewSchema returns the executable GraphQL schema over r.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return graph.NewExecutableSchema(graph.Config{
		Resolvers: r,
		Directives: graph.DirectiveRoot{
			HasScope: hasScope,
		},
	})
}

// hasScope implements @hasScope: the field resolves only when the caller's
// key holds scope.
func hasScope(ctx context.Context, _ any, next graphql.Resolver, scope tenant.Scope) (any, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, apierror.ErrUnauthenticated
	}
	if !v.Has(scope) {
		return nil, fmt.Errorf("%w: this API key lacks the %q scope", apierror.ErrForbidden, scope)
	}
	return next(ctx)
}
