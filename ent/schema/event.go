package schema

import (
	"context"
	"errors"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// errEventAppendOnly rejects updates of events.
var errEventAppendOnly = errors.New("schema: events are append-only")

// Event is an append-only record of something that happened in an account:
// the audit log, the source of subscriptions and webhooks. Its ID grows
// monotonically, so a subscriber resumes after the last ID it saw.
type Event struct{ ent.Schema }

// Mixin of the Event.
func (Event) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Event.
func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.String("kind").
			NotEmpty().
			Immutable().
			Comment("Dotted name of what happened, e.g. collection.created.").
			Annotations(entgql.OrderField("KIND")),
		field.String("subject_id").
			Optional().
			Immutable().
			Comment("Global ID of the node the event is about."),
		field.JSON("payload", map[string]any{}).
			Optional().
			Immutable().
			Annotations(entgql.Type("Map")),
	}
}

// Indexes of the Event.
func (Event) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "kind")}
}

// Hooks of the Event: once written, an event never changes.
func (Event) Hooks() []ent.Hook {
	return []ent.Hook{
		func(next ent.Mutator) ent.Mutator {
			return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
				if m.Op().Is(ent.OpUpdate | ent.OpUpdateOne) {
					return nil, errEventAppendOnly
				}
				return next.Mutate(ctx, m)
			})
		},
	}
}

// Annotations of the Event.
func (Event) Annotations() []schema.Annotation {
	return listAnnotations("events")
}
