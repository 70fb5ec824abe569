package webhooks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/webhookdelivery"
	"provgraph/events"
	"provgraph/outbound"
	"provgraph/queue"
)

// maxURLLength is the longest webhook URL stored.
const maxURLLength = 2048

// Options configure a Service.
type Options struct {
	// MaxAttempts caps the attempts to deliver one message; zero means 8.
	MaxAttempts int
	// Backoff is the wait before the second attempt, doubled before each
	// further one (see RetryWait); zero means 10s.
	Backoff time.Duration
	// Timeout bounds one attempt, the response included; zero means 10s.
	Timeout time.Duration
	// Logger receives the outcome of attempts; nil discards it.
	Logger *slog.Logger
}

// Service manages the webhooks of the caller's account and delivers the
// account's events to them.
type Service struct {
	client *ent.Client
	queue  *queue.Queue
	events *events.Service
	policy outbound.Policy
	http   *http.Client
	opts   Options
}

// NewService returns a Service over client that validates URLs against
// policy. It registers the delivery worker and its backoff on q, which
// must not be started yet, and hooks into ev so that every event it
// records with a webhook name queues a delivery to each webhook of the
// account subscribed to it, in the event's transaction.
func NewService(client *ent.Client, q *queue.Queue, ev *events.Service, policy outbound.Policy, opts Options) *Service {
	if opts.MaxAttempts < 1 {
		opts.MaxAttempts = 8
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 10 * time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	policy.Timeout = opts.Timeout
	hc := policy.Client()
	// A redirect is an answer like any other non-2xx: following it would
	// send the signed message somewhere the account did not register.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s := &Service{client: client, queue: q, events: ev, policy: policy, http: hc, opts: opts}
	queue.Register(q, &deliveryWorker{s: s})
	q.SetRetry(deliveryKind, func(attempt int) time.Duration { return RetryWait(s.opts.Backoff, attempt) })
	ev.AddHook(s.enqueue)
	return s
}

// Create registers rawURL for the named events (all of them when names is
// empty) and returns the webhook with its secret, which is not shown again.
func (s *Service) Create(ctx context.Context, rawURL string, names []string) (*ent.Webhook, string, error) {
	if err := s.checkURL(rawURL); err != nil {
		return nil, "", err
	}
	names, err := checkNames(names)
	if err != nil {
		return nil, "", err
	}
	secret, err := newSecret()
	if err != nil {
		return nil, "", err
	}
	w, err := db.ClientFrom(ctx, s.client).Webhook.Create().
		SetURL(rawURL).
		SetEvents(names).
		SetSecret(secret).
		Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("webhooks: creating: %w", err)
	}
	return w, secret, nil
}

// checkURL accepts http and https URLs with a host. A host given as an
// address the policy refuses is refused here; a name is checked on every
// connection, against the addresses it then resolves to.
func (s *Service) checkURL(rawURL string) error {
	invalid := func(reason string) error { return &apierror.InvalidFieldError{Field: "url", Reason: reason} }
	if len(rawURL) > maxURLLength {
		return invalid(fmt.Sprintf("longer than %d bytes", maxURLLength))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return invalid("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return invalid("the scheme must be http or https")
	}
	host := u.Hostname()
	if host == "" {
		return invalid("no host")
	}
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil && !s.policy.Allowed(host, addr) {
		return invalid("private, loopback and link-local addresses are not allowed")
	}
	return nil
}

// Delete removes a webhook of the caller's account with its delivery
// records; its messages not delivered yet are dropped by their next
// attempt.
func (s *Service) Delete(ctx context.Context, id int) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context) error {
		c := db.ClientFrom(ctx, s.client)
		if _, err := s.get(ctx, c, id); err != nil {
			return err
		}
		if _, err := c.WebhookDelivery.Delete().Where(webhookdelivery.WebhookID(id)).Exec(ctx); err != nil {
			return fmt.Errorf("webhooks: deleting the deliveries of %d: %w", id, err)
		}
		if err := c.Webhook.DeleteOneID(id).Exec(ctx); err != nil {
			return fmt.Errorf("webhooks: deleting %d: %w", id, err)
		}
		return nil
	})
}

// RotateSecret gives a webhook of the caller's account a new secret and
// returns it; messages are signed with it from their next attempt on.
func (s *Service) RotateSecret(ctx context.Context, id int) (*ent.Webhook, string, error) {
	secret, err := newSecret()
	if err != nil {
		return nil, "", err
	}
	w, err := db.ClientFrom(ctx, s.client).Webhook.UpdateOneID(id).SetSecret(secret).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, "", fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, "", fmt.Errorf("webhooks: rotating the secret of %d: %w", id, err)
	}
	return w, secret, nil
}

// Deliveries pages through the attempts to deliver to a webhook of the
// caller's account, newest first.
func (s *Service) Deliveries(ctx context.Context, webhookID int, first *int, after *entgql.Cursor[int]) (*ent.WebhookDeliveryConnection, error) {
	c := db.ClientFrom(ctx, s.client)
	if _, err := s.get(ctx, c, webhookID); err != nil {
		return nil, err
	}
	conn, err := c.WebhookDelivery.Query().
		Where(webhookdelivery.WebhookID(webhookID)).
		Paginate(ctx, after, first, nil, nil, ent.WithWebhookDeliveryOrder([]*ent.WebhookDeliveryOrder{{
			Direction: entgql.OrderDirectionDesc,
			Field:     ent.WebhookDeliveryOrderFieldCreatedAt,
		}}))
	if err != nil {
		return nil, fmt.Errorf("webhooks: deliveries of %d: %w", webhookID, err)
	}
	return conn, nil
}

// get loads a webhook of the caller's account.
func (s *Service) get(ctx context.Context, c *ent.Client, id int) (*ent.Webhook, error) {
	w, err := c.Webhook.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("webhooks: loading %d: %w", id, err)
	}
	return w, nil
}

// maxBackoff caps the wait between two attempts.
const maxBackoff = time.Hour

// RetryWait is the wait after failed attempt number attempt (from 1):
// base·2^(attempt-1), at most an hour.
func RetryWait(base time.Duration, attempt int) time.Duration {
	wait := base
	for i := 1; i < attempt && wait < maxBackoff; i++ {
		wait *= 2
	}
	return min(wait, maxBackoff)
}
