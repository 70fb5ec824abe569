package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// runStatuses are the states of a job and of each of its items.
var runStatuses = []string{
	"Queued", "QUEUED",
	"Processing", "PROCESSING",
	"Completed", "COMPLETED",
	"Failed", "FAILED",
	"Cancelled", "CANCELLED",
}

// Job is a bulk operation over many assets. Its counts are kept up to date
// as its items finish, so that a client can show progress without counting.
type Job struct{ ent.Schema }

// Mixin of the Job.
func (Job) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Job.
func (Job) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			NamedValues(
				"Scan", "SCAN",
				"Sign", "SIGN",
				"Verify", "VERIFY",
				"Workflow", "WORKFLOW",
			).
			Annotations(entgql.OrderField("KIND")),
		field.Enum("status").
			NamedValues(runStatuses...).
			Default("QUEUED").
			Annotations(entgql.OrderField("STATUS")),
		field.Int("workflow_id").
			Optional().
			Nillable(),
		field.Int("collection_id").
			Optional().
			Nillable().
			Comment("The collection a scan job adds its assets to, or a sign job signs.").
			Annotations(entgql.Skip()),
		field.Int("total_assets").
			NonNegative().
			Default(0),
		field.Int("completed_assets").
			NonNegative().
			Default(0),
		field.Int("failed_assets").
			NonNegative().
			Default(0),
		field.JSON("params", map[string]any{}).
			Optional().
			Comment("What the job was asked to do (e.g. the declaration of a sign job).").
			Annotations(entgql.Skip()),
		field.Text("error").
			Optional(),
		field.Time("started_at").
			Optional().
			Nillable(),
		field.Time("completed_at").
			Optional().
			Nillable(),
		field.Time("expires_at").
			Optional().
			Nillable(),
	}
}

// Edges of the Job.
func (Job) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("workflow", Workflow.Type).
			Ref("jobs").
			Field("workflow_id").
			Unique(),
		edge.To("items", JobItem.Type).
			Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Job.
func (Job) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "status"),
		index.Fields("workflow_id"),
		index.Fields("expires_at"),
	}
}

// Annotations of the Job.
func (Job) Annotations() []schema.Annotation {
	// The jobs query is declared in schema/jobs.graphql, with its status
	// and kind arguments.
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder()}
}
