package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"provgraph/ent/schema/tenant"
)

// APIKey authenticates a caller as its account. A key reads
// pg_live_<key id>_<secret>: only the key id and a SHA-256 hash of the
// secret are stored, so a leaked database does not leak usable keys.
type APIKey struct{ ent.Schema }

// Mixin of the APIKey.
func (APIKey) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the APIKey.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			MaxLen(200).
			Default("").
			Annotations(entgql.OrderField("NAME")),
		field.String("key_id").
			NotEmpty().
			Unique().
			Immutable().
			Comment("Public identifier embedded in the key; the lookup key when authenticating."),
		field.String("prefix").
			NotEmpty().
			Immutable().
			Comment("Leading characters of the key, shown so a user can recognise it."),
		field.Bytes("secret_hash").
			Sensitive().
			Immutable().
			Annotations(entgql.Skip()),
		field.JSON("scopes", []tenant.Scope{}).
			Annotations(entgql.Type("[APIKeyScope!]")),
		field.Time("revoked_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("REVOKED_AT")),
		field.Time("last_used_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("LAST_USED_AT")),
		field.Int("op_requests_per_minute").
			Optional().
			Nillable().
			NonNegative().
			Comment("The key's own OP Protocol API requests per minute; null: the key tier's."),
		field.Int("op_signs_per_day").
			Optional().
			Nillable().
			NonNegative().
			Comment("The key's own OP Protocol API files signed per day; null: the key tier's."),
		field.Int("op_verifies_per_day").
			Optional().
			Nillable().
			NonNegative().
			Comment("The key's own OP Protocol API files verified per day; null: the key tier's."),
	}
}

// Indexes of the APIKey.
func (APIKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "revoked_at")}
}

// Annotations of the APIKey: listing keys is an admin operation.
func (APIKey) Annotations() []schema.Annotation {
	return listAnnotations("apiKeys", hasScope("ADMIN"))
}
