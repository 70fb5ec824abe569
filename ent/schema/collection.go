package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Collection groups assets under a name, e.g. a campaign or a shoot. An
// asset may be in several collections.
type Collection struct{ ent.Schema }

// Mixin of the Collection.
func (Collection) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Collection.
func (Collection) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Text("description").
			Optional(),
	}
}

// Edges of the Collection.
func (Collection) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("assets", Asset.Type).
			Annotations(entgql.RelayConnection()),
	}
}

// Annotations of the Collection.
func (Collection) Annotations() []schema.Annotation {
	return append(listAnnotations("collections"),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()))
}
