package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Declaration is the AI-use disclosure of EU AI Act Article 50 made for an
// asset: which model was involved, how the content was modified, why, and
// who reviewed it. It is written into the signed manifest as an assertion.
type Declaration struct{ ent.Schema }

// Mixin of the Declaration.
func (Declaration) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Declaration.
func (Declaration) Fields() []ent.Field {
	return []ent.Field{
		field.Int("asset_id").
			Optional().
			Nillable(),
		field.String("ai_model").
			Optional(),
		field.String("custom_model").
			Optional().
			Comment("A model not in the known list, named by the declarant."),
		field.Enum("modification_type").
			NamedValues(
				"Generation", "GENERATION",
				"SubstantialAlteration", "SUBSTANTIAL_ALTERATION",
				"MinorEdit", "MINOR_EDIT",
			).
			Comment("The article50 modification type, upper-cased."),
		field.Text("modification_description").
			Optional(),
		field.String("purpose").
			Optional(),
		field.Text("purpose_context").
			Optional(),
		field.Bool("human_review").
			Default(false),
		field.String("reviewer_name").
			Optional(),
		field.String("organization").
			Optional(),
		field.String("certificate_blob_key").
			Optional().
			Comment("Blob key of the Article 50 audit certificate (PDF).").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Declaration.
func (Declaration) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("asset", Asset.Type).
			Ref("declarations").
			Field("asset_id").
			Unique(),
	}
}

// Indexes of the Declaration.
func (Declaration) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("asset_id"),
		// Analytics groups an account's declarations of a time range by
		// purpose and modification type. (Not a partial index on the
		// signing declarations: PostgreSQL rewrites the predicate, and
		// the schema diff would never settle.)
		index.Fields("account_id", "created_at", "purpose", "modification_type"),
	}
}

// Annotations of the Declaration.
func (Declaration) Annotations() []schema.Annotation {
	return append(listAnnotations("declarations"),
		entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate()))
}
