package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Scan is the result of scanning an asset for provenance and AI-generation
// metadata (C2PA, XMP, IPTC, generator fingerprints).
type Scan struct{ ent.Schema }

// Mixin of the Scan.
func (Scan) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Scan.
func (Scan) Fields() []ent.Field {
	return []ent.Field{
		field.Int("asset_id").
			Immutable(),
		// In GraphQL as hasC2PA and hasXMP (schema/assets.graphql), the
		// names clients know.
		field.Bool("has_c2pa").
			Default(false).
			Annotations(entgql.Skip(entgql.SkipType)),
		field.Bool("has_xmp").
			Default(false).
			Annotations(entgql.Skip(entgql.SkipType)),
		field.String("ai_model").
			Optional().
			Comment("The generator the metadata names, when it names one."),
		field.Enum("verdict").
			Comment("The scanner's verdict on a machine-readable AI marking (scan.Verdict).").
			NamedValues(
				"DeclaredAI", "DECLARED_AI",
				"HintedAI", "HINTED_AI",
				"NoAIMarking", "NO_AI_MARKING",
			).
			Default("NO_AI_MARKING").
			Annotations(entgql.OrderField("VERDICT")),
		field.Text("reason").
			Optional().
			Comment("Why the scanner reached its verdict, for a human."),
		field.JSON("warnings", []string{}).
			Optional().
			Comment("Malformed or unread parts of the file; the scan covers the rest."),
		field.JSON("raw_fields", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
		field.JSON("report", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
	}
}

// Edges of the Scan.
func (Scan) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("asset", Asset.Type).
			Ref("scans").
			Field("asset_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the Scan.
func (Scan) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("asset_id"),
		// Analytics groups an account's scans of a time range by verdict
		// and model from this index alone.
		index.Fields("account_id", "created_at", "verdict", "ai_model"),
	}
}

// Annotations of the Scan.
func (Scan) Annotations() []schema.Annotation {
	return listAnnotations("scans")
}
