package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Workflow is a named, reusable pipeline (e.g. scan, then declare, then
// sign) that a job runs over a batch of assets.
type Workflow struct{ ent.Schema }

// Mixin of the Workflow.
func (Workflow) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Workflow.
func (Workflow) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Strings("steps").
			Comment("Step kinds in order: scan, sign, verify."),
		field.JSON("declaration_template", map[string]any{}).
			Optional().
			Comment("Declaration fields applied to every asset the workflow signs.").
			Annotations(entgql.Type("Map")),
		field.Int("collection_id").
			Optional().
			Nillable().
			Comment("The collection the workflow's scanned assets are added to.").
			Annotations(entgql.Skip()),
		field.Bool("enabled").
			Default(true),
	}
}

// Edges of the Workflow.
func (Workflow) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("jobs", Job.Type).
			Annotations(entgql.RelayConnection()),
	}
}

// Annotations of the Workflow.
func (Workflow) Annotations() []schema.Annotation {
	return listAnnotations("workflows", hasScope("WORKFLOWS_READ"))
}
