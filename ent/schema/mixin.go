package schema

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"
	"github.com/vektah/gqlparser/v2/ast"

	gen "provgraph/ent"
	"provgraph/ent/intercept"
	"provgraph/ent/schema/tenant"
)

// TimeMixin gives an entity its creation and last-update times.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Default(time.Now).
			Immutable().
			Annotations(
				entgql.OrderField("CREATED_AT"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
		field.Time("updated_at").
			Default(time.Now).
			UpdateDefault(time.Now).
			Annotations(
				entgql.OrderField("UPDATED_AT"),
				entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
			),
	}
}

// AccountMixin makes an entity belong to an account (its tenant) and
// enforces tenant isolation in one place: every query through it is
// filtered to the caller's account, every create is stamped with it, and
// every update or delete only reaches the caller's rows. The account is
// implicit in the API, so neither the field nor the edge is exposed in
// GraphQL.
type AccountMixin struct{ mixin.Schema }

// Fields of the AccountMixin.
func (AccountMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Edges of the AccountMixin.
func (AccountMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).
			Field("account_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes of the AccountMixin: lists are read per account, newest first.
func (AccountMixin) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "created_at"),
	}
}

// Interceptors of the AccountMixin.
func (AccountMixin) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterByAccount("account_id")}
}

// Hooks of the AccountMixin.
func (AccountMixin) Hooks() []ent.Hook {
	return []ent.Hook{scopeMutationToAccount("account_id")}
}

// wherer is implemented by every generated mutation.
type wherer interface {
	WhereP(...func(*sql.Selector))
}

// filterByAccount restricts every query (including edge traversals and eager
// loads) to rows whose column equals the caller's account. Without a caller
// it fails closed.
func filterByAccount(column string) ent.Interceptor {
	return intercept.TraverseFunc(func(ctx context.Context, q intercept.Query) error {
		if tenant.IsSystem(ctx) {
			return nil
		}
		v, ok := tenant.FromContext(ctx)
		if !ok {
			return tenant.ErrNoViewer
		}
		q.WhereP(sql.FieldEQ(column, v.AccountID))
		return nil
	})
}

// scopeMutationToAccount sets the caller's account on creates and restricts
// updates and deletes to the caller's rows, so that another tenant's row
// is simply not found.
func scopeMutationToAccount(column string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if tenant.IsSystem(ctx) {
				return next.Mutate(ctx, m)
			}
			v, ok := tenant.FromContext(ctx)
			if !ok {
				return nil, tenant.ErrNoViewer
			}
			if err := checkLinkedNodes(ctx, m); err != nil {
				return nil, err
			}
			if m.Op().Is(ent.OpCreate) {
				if cur, ok := m.Field(column); ok && cur != v.AccountID {
					return nil, tenant.ErrCrossTenant
				}
				if err := m.SetField(column, v.AccountID); err != nil {
					return nil, fmt.Errorf("tenant: stamping %s: %w", m.Type(), err)
				}
				return next.Mutate(ctx, m)
			}
			w, ok := m.(wherer)
			if !ok {
				return nil, fmt.Errorf("tenant: mutation %T cannot be filtered", m)
			}
			w.WhereP(sql.FieldEQ(column, v.AccountID))
			return next.Mutate(ctx, m)
		})
	}
}

// checkLinkedNodes makes sure that every node a mutation links to (an
// edge added, a foreign key set) is visible to the caller, so that no row
// can reference another account's rows. The lookup goes through the same
// tenant filter as every query: another account's node is not found.
func checkLinkedNodes(ctx context.Context, m ent.Mutation) error {
	c, ok := m.(interface{ Client() *gen.Client })
	if !ok {
		return fmt.Errorf("tenant: mutation %T has no client", m)
	}
	for _, name := range m.AddedEdges() {
		if name == "account" {
			continue
		}
		for _, id := range m.AddedIDs(name) {
			nid, ok := id.(int)
			if !ok {
				return fmt.Errorf("tenant: %s.%s: unexpected ID type %T", m.Type(), name, id)
			}
			if _, err := c.Client().Noder(ctx, nid); err != nil {
				return fmt.Errorf("%s.%s: %w", m.Type(), name, err)
			}
		}
	}
	return nil
}

// listAnnotations are the GraphQL annotations of an entity that is a Relay
// node with its own top-level, filterable and orderable connection, exposed
// on Query as name and guarded by directives.
func listAnnotations(name string, directives ...entgql.Directive) []schema.Annotation {
	q := entgql.QueryField(name)
	if len(directives) > 0 {
		q = q.Directives(directives...)
	}
	return []schema.Annotation{entgql.RelayConnection(), q, entgql.MultiOrder()}
}

// hasScope is the @hasScope directive on a generated query field.
func hasScope(scope string) entgql.Directive {
	return entgql.NewDirective("hasScope", &ast.Argument{
		Name:  "scope",
		Value: &ast.Value{Raw: scope, Kind: ast.EnumValue},
	})
}
