package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// UsageCounter counts what an account (or one of its keys) used in one
// window — a month of signs, a minute of requests — so that every
// instance on one database enforces the same quotas. Rows are written by
// the quota package with an atomic upsert and never exposed in GraphQL.
type UsageCounter struct{ ent.Schema }

// Fields of the UsageCounter.
func (UsageCounter) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id").
			Immutable(),
		field.String("name").
			NotEmpty().
			Immutable().
			Comment("What is counted, e.g. sign:month or key:12:minute."),
		field.Time("window_start").
			Immutable(),
		field.Int("count").
			NonNegative().
			Default(0),
		field.Time("expires_at").
			Comment("When the row may be swept."),
	}
}

// Indexes of the UsageCounter.
func (UsageCounter) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "name", "window_start").Unique(),
		index.Fields("expires_at"),
	}
}

// Annotations of the UsageCounter.
func (UsageCounter) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
