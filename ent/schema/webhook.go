package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Webhook is an HTTPS endpoint that receives the account's events, signed
// with its secret.
type Webhook struct{ ent.Schema }

// Mixin of the Webhook.
func (Webhook) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").
			NotEmpty().
			MaxLen(2048),
		field.Strings("events").
			Comment("Event kinds delivered; empty means all."),
		field.String("secret").
			Sensitive().
			NotEmpty().
			Annotations(entgql.Skip()),
		field.Bool("active").
			Default(true),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).
			Annotations(entgql.RelayConnection()),
	}
}

// Annotations of the Webhook: webhooks are managed by admins.
func (Webhook) Annotations() []schema.Annotation {
	return listAnnotations("webhooks", hasScope("ADMIN"))
}
