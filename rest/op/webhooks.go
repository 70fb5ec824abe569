package op

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"provgraph/apierror"
	"provgraph/ent"
	"provgraph/ent/webhook"
)

// Events are the webhook events of the OP Protocol, named as webhooks.Service
// names them; a webhook registered without events receives all three.
var Events = []string{"verify.complete", "sign.complete", "batch.complete"}

// maxWebhookBody bounds the JSON body of POST /webhooks.
const maxWebhookBody = 64 << 10

// webhookRequest is the body of POST /webhooks.
type webhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// webhookInfo describes a webhook; Secret only in the answer to its
// creation.
type webhookInfo struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"createdAt"`
	Secret    string    `json:"secret,omitempty"`
}

func infoOf(w *ent.Webhook) webhookInfo {
	events := w.Events
	if len(events) == 0 {
		events = Events
	}
	return webhookInfo{ID: strconv.Itoa(w.ID), URL: w.URL, Events: events, Active: w.Active, CreatedAt: w.CreatedAt.UTC()}
}

// createWebhook answers POST /webhooks (201) with the signing secret,
// shown this once.
func (h *handler) createWebhook(c *call) error {
	var req webhookRequest
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, maxWebhookBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return fmt.Errorf("%w: want a JSON body {\"url\": …, \"events\": […]}: %v", apierror.ErrInvalidInput, err)
	}
	if req.URL == "" {
		return invalidFieldErr("url", "is required")
	}
	if len(req.Events) == 0 {
		req.Events = Events
	}
	for _, e := range req.Events {
		if !slices.Contains(Events, e) {
			return invalidFieldErr("events", fmt.Sprintf("unknown event %q; known: verify.complete, sign.complete, batch.complete", e))
		}
	}
	w, secret, err := h.d.Webhooks.Create(c.ctx, req.URL, req.Events)
	if err != nil {
		return err
	}
	info := infoOf(w)
	info.Secret = secret
	return c.ok(http.StatusCreated, info)
}

// webhooks answers GET /webhooks: the account's webhooks, oldest first.
func (h *handler) webhooks(c *call) error {
	ws, err := h.d.Client.Webhook.Query().Order(ent.Asc(webhook.FieldID)).All(c.ctx)
	if err != nil {
		return fmt.Errorf("op: listing webhooks: %w", err)
	}
	out := make([]webhookInfo, len(ws))
	for i, w := range ws {
		out[i] = infoOf(w)
	}
	return c.ok(http.StatusOK, out)
}

// deleteWebhook answers DELETE /webhooks/{id}; another account's webhook
// is not_found.
func (h *handler) deleteWebhook(c *call) error {
	id, err := strconv.Atoi(c.r.PathValue("id"))
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: no webhook %q", apierror.ErrNotFound, c.r.PathValue("id"))
	}
	if err := h.d.Webhooks.Delete(c.ctx, id); err != nil {
		return err
	}
	return c.ok(http.StatusOK, map[string]any{"id": strconv.Itoa(id), "deleted": true})
}
