package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/ent/webhook"
)

// deliveryKind is the River job kind of a delivery.
const deliveryKind = "webhook_delivery"

// maxResponseBytes is how much of a receiver's answer is read (and
// discarded) before the connection is let go.
const maxResponseBytes = 64 << 10

// Payload is the body of every delivery, as OP Protocol documents it.
type Payload struct {
	// Event is the webhook event name, e.g. batch.complete.
	Event string `json:"event"`
	// Data is the payload of the recorded event, with its "eventId" and,
	// when it is about a node, "subjectId" (a global ID) added.
	Data map[string]any `json:"data"`
	// Timestamp is when the event was recorded.
	Timestamp time.Time `json:"timestamp"`
	// WebhookID is the global ID of the webhook, as the API shows it.
	WebhookID string `json:"webhookId"`
}

// deliveryArgs are the arguments of one message's job: the same on every
// attempt, so that the message ID is too.
type deliveryArgs struct {
	MessageID string `json:"message_id"`
	WebhookID int    `json:"webhook_id"`
	AccountID int    `json:"account_id"`
	EventID   int    `json:"event_id"`
	Event     string `json:"event"`
}

// Kind implements river.JobArgs.
func (deliveryArgs) Kind() string { return deliveryKind }

// deliveryWorker makes one attempt per run; River retries failed ones.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	s *Service
}

// Work implements river.Worker.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	return w.s.deliver(ctx, job)
}

// enqueue is the events hook: in the transaction that records e, it queues
// a message to every active webhook of e's account subscribed to e.
func (s *Service) enqueue(ctx context.Context, e *ent.Event) error {
	name, ok := nameOf(e.Kind)
	if !ok {
		return nil
	}
	hooks, err := db.ClientFrom(ctx, s.client).Webhook.Query().
		Where(webhook.AccountID(e.AccountID), webhook.Active(true)).
		All(ctx)
	if err != nil {
		return fmt.Errorf("webhooks: finding the webhooks of %s: %w", e.Kind, err)
	}
	var jobs []river.InsertManyParams
	for _, w := range hooks {
		if len(w.Events) > 0 && !slices.Contains(w.Events, name) {
			continue
		}
		jobs = append(jobs, river.InsertManyParams{
			Args: deliveryArgs{
				MessageID: "msg_" + strconv.Itoa(e.ID) + "_" + strconv.Itoa(w.ID),
				WebhookID: w.ID,
				AccountID: e.AccountID,
				EventID:   e.ID,
				Event:     name,
			},
			InsertOpts: &river.InsertOpts{MaxAttempts: s.opts.MaxAttempts},
		})
	}
	return s.queue.InsertMany(ctx, jobs)
}

// outcome is what one attempt came to.
type outcome struct {
	status  int // 0 when there was no response
	latency time.Duration
	err     error
}

// deliver makes one attempt and records it; a failed attempt returns its
// error so that River retries, until the last, which records EventFailed.
func (s *Service) deliver(ctx context.Context, job *river.Job[deliveryArgs]) error {
	a := job.Args
	ctx = tenant.NewContext(ctx, tenant.Viewer{AccountID: a.AccountID})
	w, err := s.client.Webhook.Get(ctx, a.WebhookID)
	switch {
	case ent.IsNotFound(err):
		return river.JobCancel(fmt.Errorf("webhooks: %s: webhook %d was deleted", a.MessageID, a.WebhookID))
	case err != nil:
		return fmt.Errorf("webhooks: %s: loading webhook %d: %w", a.MessageID, a.WebhookID, err)
	case !w.Active:
		return river.JobCancel(fmt.Errorf("webhooks: %s: webhook %d is inactive", a.MessageID, a.WebhookID))
	}
	e, err := s.client.Event.Get(ctx, a.EventID)
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("webhooks: %s: event %d is gone", a.MessageID, a.EventID))
	}
	if err != nil {
		return fmt.Errorf("webhooks: %s: loading event %d: %w", a.MessageID, a.EventID, err)
	}
	body, err := json.Marshal(payloadOf(w, e, a.Event))
	if err != nil {
		return fmt.Errorf("webhooks: %s: encoding: %w", a.MessageID, err)
	}
	out := s.post(ctx, w, a.MessageID, body)
	last := job.Attempt >= job.MaxAttempts
	if err := s.record(ctx, job, body, out, last); err != nil {
		return err
	}
	log := s.opts.Logger.With(slog.String("message", a.MessageID), slog.Int("attempt", job.Attempt),
		slog.Int("status", out.status), slog.Duration("latency", out.latency))
	if out.err != nil {
		log.WarnContext(ctx, "webhook attempt failed", slog.String("error", out.err.Error()), slog.Bool("last", last))
		return out.err
	}
	log.InfoContext(ctx, "webhook delivered")
	return nil
}

// payloadOf is the body of a message about e to w.
func payloadOf(w *ent.Webhook, e *ent.Event, name string) Payload {
	data := make(map[string]any, len(e.Payload)+2)
	for k, v := range e.Payload {
		data[k] = v
	}
	data["eventId"] = strconv.Itoa(e.ID)
	if e.SubjectID != "" {
		data["subjectId"] = e.SubjectID
	}
	return Payload{Event: name, Data: data, Timestamp: e.CreatedAt.UTC(), WebhookID: strconv.Itoa(w.ID)}
}

// post makes one signed attempt. Its timestamp is the attempt's, so that a
// receiver's tolerance applies to each attempt and not to the first.
func (s *Service) post(ctx context.Context, w *ent.Webhook, msgID string, body []byte) outcome {
	start := time.Now()
	sig, err := Sign(w.Secret, msgID, start, body)
	if err != nil {
		return outcome{err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return outcome{err: fmt.Errorf("webhooks: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "provgraph-webhooks")
	req.Header.Set(HeaderID, msgID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(start.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	resp, err := s.http.Do(req)
	if err != nil {
		return outcome{latency: time.Since(start), err: fmt.Errorf("webhooks: %w", err)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
	_ = resp.Body.Close()
	out := outcome{status: resp.StatusCode, latency: time.Since(start)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		out.err = fmt.Errorf("%w: status %d", ErrRejected, resp.StatusCode)
	}
	return out
}

// record writes the attempt's WebhookDelivery row and, after the final
// outcome, EventDelivered or EventFailed, in one transaction.
func (s *Service) record(ctx context.Context, job *river.Job[deliveryArgs], body []byte, out outcome, last bool) error {
	a := job.Args
	var payload map[string]any
	if err := json.Unmarshal(body, &payload); err != nil {
		return fmt.Errorf("webhooks: %s: %w", a.MessageID, err)
	}
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		create := db.ClientFrom(ctx, s.client).WebhookDelivery.Create().
			SetWebhookID(a.WebhookID).
			SetMessageID(a.MessageID).
			SetEvent(a.Event).
			SetSucceeded(out.err == nil).
			SetPayload(payload).
			SetAttempt(job.Attempt).
			SetLatencyMs(int(out.latency.Milliseconds()))
		if out.status != 0 {
			create.SetResponseStatus(out.status)
		}
		if out.err != nil {
			create.SetError(out.err.Error())
			if !last {
				create.SetNextAttemptAt(time.Now().Add(RetryWait(s.opts.Backoff, job.Attempt)))
			}
		}
		if _, err := create.Save(ctx); err != nil {
			return err
		}
		if out.err != nil && !last {
			return nil
		}
		kind := EventDelivered
		if out.err != nil {
			kind = EventFailed
		}
		summary := map[string]any{"messageId": a.MessageID, "event": a.Event, "attempts": job.Attempt}
		if out.status != 0 {
			summary["responseStatus"] = out.status
		}
		_, err := s.events.Record(ctx, kind, a.WebhookID, summary)
		return err
	})
	if err != nil {
		return fmt.Errorf("webhooks: %s: recording attempt %d: %w", a.MessageID, job.Attempt, err)
	}
	return nil
}
