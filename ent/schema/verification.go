package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Verification is the assessment of a file's provenance: either a stored
// asset or a file uploaded only to be verified (then only its name and hash
// are kept).
type Verification struct{ ent.Schema }

// Mixin of the Verification.
func (Verification) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Verification.
func (Verification) Fields() []ent.Field {
	return []ent.Field{
		field.Int("asset_id").
			Optional().
			Nillable(),
		field.String("file_name").
			Optional().
			Comment("Name of the uploaded file when there is no stored asset."),
		field.String("sha256").
			Optional(),
		field.Enum("trust_tier").
			NamedValues(
				"Verified", "VERIFIED",
				"Trusted", "TRUSTED",
				"Untrusted", "UNTRUSTED",
				"Invalid", "INVALID",
				"NoManifest", "NO_MANIFEST",
			).
			Annotations(entgql.OrderField("TRUST_TIER")),
		field.String("label").
			Optional().
			Comment("Short human label of the outcome."),
		field.Text("description").
			Optional(),
		field.Float("confidence").
			Min(0).
			Max(1).
			Default(0),
		field.String("edge_case").
			Optional().
			Comment("Name of the edge case that decided the tier, if any."),
		field.JSON("report", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
		field.Time("expires_at").
			Optional().
			Nillable(),
	}
}

// Edges of the Verification.
func (Verification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("asset", Asset.Type).
			Ref("verifications").
			Field("asset_id").
			Unique(),
	}
}

// Indexes of the Verification.
func (Verification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("asset_id"),
		index.Fields("expires_at"),
	}
}

// Annotations of the Verification.
func (Verification) Annotations() []schema.Annotation {
	return listAnnotations("verifications")
}
