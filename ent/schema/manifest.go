package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Manifest is one C2PA manifest found in, or written into, an asset. Its
// ingredients are the manifests of the assets it was made from.
type Manifest struct{ ent.Schema }

// Mixin of the Manifest.
func (Manifest) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Manifest.
func (Manifest) Fields() []ent.Field {
	return []ent.Field{
		field.Int("asset_id").
			Immutable(),
		field.String("label").
			NotEmpty().
			Comment("The C2PA manifest label (a URN)."),
		field.String("claim_generator").
			Optional(),
		field.String("title").
			Optional(),
		field.String("signer").
			Optional().
			Comment("Common name of the signing certificate's subject."),
		field.Time("signed_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("SIGNED_AT")),
		field.Bool("is_active").
			Default(false).
			Comment("Whether this is the active manifest of its asset's store."),
		field.Enum("validation_state").
			NamedValues(
				"Unknown", "UNKNOWN",
				"Invalid", "INVALID",
				"Valid", "VALID",
				"Trusted", "TRUSTED",
			).
			Default("UNKNOWN"),
		field.String("store_blob_key").
			Optional().
			Comment("Blob key of the raw manifest store (JUMBF) as found in the asset.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Manifest.
func (Manifest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("asset", Asset.Type).
			Ref("manifests").
			Field("asset_id").
			Unique().
			Required().
			Immutable(),
		edge.To("ingredients", Manifest.Type).
			From("ingredient_of").
			Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Manifest.
func (Manifest) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("asset_id"),
		index.Fields("account_id", "label"),
	}
}

// Annotations of the Manifest.
func (Manifest) Annotations() []schema.Annotation {
	return listAnnotations("manifests")
}
