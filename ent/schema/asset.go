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
		field.String("signed_sha256").
			Optional().
			Nillable().
			Comment("Lower-case hex SHA-256 of the signed output."),
		field.String("signed_cid").
			Optional().
			Nillable().
			Comment("IPFS CIDv1 of the signed output."),
		field.Int64("signed_size").
			Optional().
			Nillable(),
		field.Enum("status").
			NamedValues(
				"Pending", "PENDING",
				"Scanned", "SCANNED",
				"Signed", "SIGNED",
				"Error", "ERROR",
				"Expired", "EXPIRED",
			).
			Default("PENDING").
			Annotations(entgql.OrderField("STATUS")),
		field.Time("expires_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("EXPIRES_AT")),
		field.Time("signed_at").
			Optional().
			Nillable().
			Comment("When the signed output was stored; retention counts from it.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("original_purged_at").
			Optional().
			Nillable().
			Comment("When retention deleted the original's blob; set once, by the sweeper that claimed it.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("signed_purged_at").
			Optional().
			Nillable().
			Comment("When retention deleted the signed output's blob; set once, by the sweeper that claimed it.").
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
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
		// The Numbers API finds a registered asset by its nid (its CID).
		index.Fields("account_id", "cid"),
		index.Fields("account_id", "status"),
		index.Fields("expires_at"),
		index.Fields("status", "signed_at"),
		// Analytics (provgraph/analytics) counts, sums and groups an
		// account's assets over a time range from this index alone.
		index.Fields("account_id", "created_at", "media_type", "size"),
	}
}

// Annotations of the Asset.
func (Asset) Annotations() []schema.Annotation {
	return listAnnotations("assets")
}
