package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Asset is one uploaded file: the original as stored, and the signed output
// once it has been signed.
type Asset struct{ ent.Schema }

// Mixin of the Asset.
func (Asset) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Asset.
func (Asset) Fields() []ent.Field {
	return []ent.Field{
		field.String("file_name").
			NotEmpty().
			MaxLen(1024).
			Annotations(entgql.OrderField("FILE_NAME")),
		field.String("media_type").
			NotEmpty().
			MaxLen(255),
		field.Int64("size").
			NonNegative().
			Annotations(entgql.OrderField("SIZE")),
		field.String("sha256").
			MinLen(64).
			MaxLen(64).
			Comment("Lower-case hex SHA-256 of the original bytes."),
		field.String("cid").
			Optional().
			Comment("IPFS CIDv1 of the original bytes."),
		field.String("original_blob_key").
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("signed_blob_key").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Enum("status").
			NamedValues(
				"Pending", "PENDING",
				"Scanned", "SCANNED",
				"Signed", "SIGNED",
				"Error", "ERROR",
			).
			Default("PENDING").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("expires_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("EXPIRES_AT")),
	}
}

// Edges of the Asset.
func (Asset) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("manifests", Manifest.Type).
			Annotations(entgql.RelayConnection()),
		edge.To("scans", Scan.Type).
			Annotations(entgql.RelayConnection()),
		edge.To("declarations", Declaration.Type).
			Annotations(entgql.RelayConnection()),
		edge.To("verifications", Verification.Type).
			Annotations(entgql.RelayConnection()),
		edge.To("job_items", JobItem.Type).
			Annotations(entgql.Skip()),
		edge.From("collections", Collection.Type).
			Ref("assets").
			Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Asset.
func (Asset) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "sha256"),
		index.Fields("account_id", "status"),
		index.Fields("expires_at"),
	}
}

// Annotations of the Asset.
func (Asset) Annotations() []schema.Annotation {
	return listAnnotations("assets")
}
