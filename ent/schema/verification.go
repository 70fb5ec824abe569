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
		field.String("public_id").
			NotEmpty().
			Unique().
			Immutable().
			Comment("Unguessable id of the public verification page and badge; the graph ID stays private to the account."),
		field.Int("asset_id").
			Optional().
			Nillable(),
		field.Int("declaration_id").
			Optional().
			Nillable(),
		field.String("file_name").
			Optional().
			Comment("Name of the uploaded file when there is no stored asset."),
		field.String("media_type").
			Optional(),
		field.String("sha256").
			Optional().
			Comment("Hash of the verified bytes, as sha256:<hex>."),
		field.Enum("status").
			NamedValues(
				"Pending", "PENDING",
				"Complete", "COMPLETE",
				"Error", "ERROR",
			).
			Default("COMPLETE"),
		field.Enum("trust_tier").
			NamedValues(
				"Verified", "VERIFIED",
				"SignedUntrusted", "SIGNED_UNTRUSTED",
				"Tampered", "TAMPERED",
				"Invalid", "INVALID",
				"NoCredentials", "NO_CREDENTIALS",
			).
			Annotations(entgql.OrderField("TRUST_TIER")),
		field.String("label").
			Optional().
			Comment("Short human label of the outcome."),
		field.Text("description").
			Optional(),
		field.Enum("confidence").
			NamedValues(
				"High", "HIGH",
				"Medium", "MEDIUM",
				"Low", "LOW",
			).
			Default("LOW"),
		field.String("edge_case").
			Optional().
			Comment("Name of the edge case that decided the tier, if any."),
		field.Bool("ai_declared").
			Default(false).
			Comment("Whether the active manifest declares AI involvement (an AI digitalSourceType)."),
		field.JSON("report", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
		field.Time("completed_at").
			Optional().
			Nillable(),
		field.Time("expires_at").
			Optional().
			Nillable().
			Comment("When a cached verification is forgotten; nil for the public record of a signed asset."),
	}
}

// Edges of the Verification.
func (Verification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("asset", Asset.Type).
			Ref("verifications").
			Field("asset_id").
			Unique(),
		edge.To("declaration", Declaration.Type).
			Field("declaration_id").
			Unique(),
	}
}

// Indexes of the Verification.
func (Verification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("asset_id"),
		index.Fields("expires_at"),
		// Analytics groups an account's verifications of a time range by
		// tier from this index alone.
		index.Fields("account_id", "created_at", "trust_tier"),
	}
}

// Annotations of the Verification.
func (Verification) Annotations() []schema.Annotation {
	return listAnnotations("verifications")
}
