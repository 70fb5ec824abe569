package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookDelivery is one attempt to deliver an event to a webhook.
type WebhookDelivery struct{ ent.Schema }

// Mixin of the WebhookDelivery.
func (WebhookDelivery) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{}, AccountMixin{}}
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").
			Immutable(),
		field.String("message_id").
			NotEmpty().
			Comment("The webhook-id header: the same on every attempt of one message."),
		field.String("event").
			NotEmpty(),
		field.Bool("succeeded").
			Default(false),
		field.Text("error").
			Optional(),
		field.JSON("payload", map[string]any{}).
			Optional().
			Annotations(entgql.Type("Map")),
		field.Int("attempt").
			Positive().
			Default(1),
		field.Int("response_status").
			Optional().
			Nillable(),
		field.Int("latency_ms").
			Optional().
			Nillable(),
		field.Time("next_attempt_at").
			Optional().
			Nillable().
			Annotations(entgql.OrderField("NEXT_ATTEMPT_AT")),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).
			Ref("deliveries").
			Field("webhook_id").
			Unique().
			Required().
			Immutable(),
	}
}

// Indexes of the WebhookDelivery.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "created_at"),
		index.Fields("next_attempt_at"),
		index.Fields("message_id"),
	}
}

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return listAnnotations("webhookDeliveries", hasScope("ADMIN"))
}
