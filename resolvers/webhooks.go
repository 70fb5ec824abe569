package resolvers

import (
	"provgraph/ent"
	"provgraph/graph"
)

// webhookSecret maps a webhook and its new secret onto the GraphQL type
// that is the only place the secret is shown.
func webhookSecret(w *ent.Webhook, secret string, err error) (*graph.WebhookSecret, error) {
	if err != nil {
		return nil, err
	}
	return &graph.WebhookSecret{ID: w.ID, URL: w.URL, Events: w.Events, Secret: secret, Webhook: w}, nil
}
