package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// JobItem is the work of a job on one asset.
type JobItem struct{ ent.Schema }

// Mixin of the JobItem.
func (JobItem) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the JobItem.
func (JobItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("job_id").
			Immutable(),
		field.Int("asset_id").
			Optional().
			Nillable(),
		field.Enum("status").
			NamedValues(runStatuses...).
			Default("QUEUED").
			Annotations(entgql.OrderField("STATUS")),
		field.String("file_name").
			Optional().
			MaxLen(1024),
		field.String("input_blob_key").
			Optional().
			Comment("The uploaded file a verify item checks; removed once checked.").
			Annotations(entgql.Skip()),
		field.Int("attempts").
			NonNegative().
			Default(0),
		field.Text("error").
			Optional(),
		field.Time("started_at").
			Optional().
			Nillable(),
		field.Time("completed_at").
			Optional().
			Nillable(),
		field.JSON("result", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
	}
}

// Edges of the JobItem.
func (JobItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("job", Job.Type).
			Ref("items").
			Field("job_id").
			Unique().
			Required().
			Immutable(),
		edge.From("asset", Asset.Type).
			Ref("job_items").
			Field("asset_id").
			Unique(),
	}
}

// Indexes of the JobItem.
func (JobItem) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("job_id", "status"),
		index.Fields("asset_id"),
	}
}

// Annotations of the JobItem.
func (JobItem) Annotations() []schema.Annotation {
	return listAnnotations("jobItems", hasScope("JOBS_READ"))
}
