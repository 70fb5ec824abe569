package schema

import (
	"context"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema/field"

	"provgraph/ent/schema/tenant"
)

// Account is a tenant: every other entity belongs to exactly one account.
// Its plan decides quotas and how long assets are retained.
type Account struct{ ent.Schema }

// Mixin of the Account.
func (Account) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}}
}

// Fields of the Account.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("plan").
			NamedValues(
				"Starter", "STARTER",
				"Business", "BUSINESS",
				"Enterprise", "ENTERPRISE",
			).
			Default("STARTER"),
		field.Int("monthly_asset_quota").
			NonNegative().
			Default(1000).
			Comment("Assets the account may process per calendar month; 0 means unlimited."),
		field.Int64("storage_quota_bytes").
			NonNegative().
			Default(5 << 30).
			Comment("Bytes of blobs the account may keep; 0 means unlimited."),
		field.Int("retention_days").
			NonNegative().
			Default(30).
			Comment("Days uploaded assets are kept before they expire; 0 keeps them forever."),
	}
}

// Interceptors of the Account: a caller only ever sees its own account.
func (Account) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{filterByAccount("id")}
}

// Hooks of the Account: accounts are created by the system only (bootstrap,
// provisioning); a caller may update its own account.
func (Account) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				if tenant.IsSystem(ctx) {
					return next.Mutate(ctx, m)
				}
				v, ok := tenant.FromContext(ctx)
				if !ok {
					return nil, tenant.ErrNoViewer
				}
				if m.Op().Is(ent.OpCreate) {
					return nil, tenant.ErrCrossTenant
				}
				m.(wherer).WhereP(sql.FieldEQ("id", v.AccountID))
				return next.Mutate(ctx, m)
			})
		},
	}
}
