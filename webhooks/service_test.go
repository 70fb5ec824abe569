package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
	"provgraph/outbound"
	"provgraph/queue"
	"provgraph/webhooks"
)

// waitFor bounds every wait on a delivery.
const waitFor = time.Minute

// fixture is a started queue with the webhooks service on a fresh
// database, and two accounts.
type fixture struct {
	d      *db.DB
	client *ent.Client
	events *events.Service
	svc    *webhooks.Service
	// mine and theirs are the viewer contexts of the two accounts.
	mine, theirs context.Context
}

// loopbackOnly is the policy of the tests: 127.0.0.1 is reachable, as
// PROVGRAPH_OUTBOUND_ALLOW=127.0.0.1 would make it.
func loopbackOnly(t *testing.T) outbound.Policy {
	hosts, prefixes, err := outbound.ParseAllow("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return outbound.Policy{AllowHosts: hosts, AllowPrefixes: prefixes}
}

func newFixture(t *testing.T, url string, policy outbound.Policy, opts webhooks.Options) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, url)
	client := d.Client()
	q, err := queue.New(ctx, d, queue.Options{Workers: 4, JobTimeout: time.Minute, RescueAfter: time.Minute, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ev := events.NewService(client, events.NewBroker())
	if opts.Backoff == 0 {
		opts.Backoff = 10 * time.Millisecond
	}
	svc := webhooks.NewService(client, q, ev, policy, opts)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	caller := func(name string) context.Context {
		acc, err := accounts.NewService(client).CreateAccount(ctx, name, account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		return tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: tenant.AllScopes()})
	}
	return &fixture{d: d, client: client, events: ev, svc: svc, mine: caller("mine"), theirs: caller("theirs")}
}

// outcomes streams the final outcomes (EventDelivered, EventFailed) of the
// caller's messages.
func (f *fixture) outcomes(t *testing.T, ctx context.Context) <-chan *ent.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	ch, err := f.events.Subscribe(ctx, []string{webhooks.EventDelivered, webhooks.EventFailed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// await returns the next outcome of a message to webhook w.
func await(t *testing.T, outcomes <-chan *ent.Event, w *ent.Webhook) *ent.Event {
	t.Helper()
	timeout := time.After(waitFor)
	for {
		select {
		case e := <-outcomes:
			if e.SubjectID == strconv.Itoa(w.ID) {
				return e
			}
		case <-timeout:
			t.Fatalf("no outcome for webhook %d within %s", w.ID, waitFor)
		}
	}
}

// request is one POST a receiver got.
type request struct {
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint on 127.0.0.1 that answers with statuses
// in turn (the last one from then on) and passes on what it got.
type receiver struct {
	*httptest.Server
	got chan request
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	r := &receiver{got: make(chan request, 64)}
	var n atomic.Int32
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		i := min(int(n.Add(1))-1, len(statuses)-1)
		r.got <- request{header: req.Header.Clone(), body: body}
		w.WriteHeader(statuses[i])
	}))
	t.Cleanup(r.Close)
	return r
}

// received drains what the receiver got so far.
func (r *receiver) received() []request {
	var out []request
	for {
		select {
		case req := <-r.got:
			out = append(out, req)
		default:
			return out
		}
	}
}

// attempts returns the delivery rows of w, oldest first.
func attempts(t *testing.T, f *fixture, w *ent.Webhook) []*ent.WebhookDelivery {
	t.Helper()
	conn, err := f.svc.Deliveries(f.mine, w.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []*ent.WebhookDelivery
	for _, e := range slices.Backward(conn.Edges) {
		out = append(out, e.Node)
	}
	return out
}

// TestDelivery records a job.completed event and follows its batch.complete
// message to the end: retried until accepted, stopped at the cap on
// attempts, and refused at connect time for a name that resolves to a
// loopback address the policy does not allow.
func TestDelivery(t *testing.T) {
	tests := []struct {
		name        string
		allow       bool   // the policy allows 127.0.0.1
		host        string // how the webhook URL names the receiver
		statuses    []int  // the receiver's answers in turn
		maxAttempts int
		outcome     string
		want        []int // the response status of every attempt (0: none)
		wantError   string
	}{
		{"retried until accepted", true, "127.0.0.1", []int{500, 500, 200}, 8, webhooks.EventDelivered, []int{500, 500, 200}, "status 500"},
		{"cap on attempts", true, "127.0.0.1", []int{500}, 3, webhooks.EventFailed, []int{500, 500, 500}, "status 500"},
		{"redirect not followed", true, "127.0.0.1", []int{http.StatusFound}, 1, webhooks.EventFailed, []int{302}, "status 302"},
		{"loopback name refused at connect time", false, "localhost", []int{200}, 2, webhooks.EventFailed, []int{0, 0}, "not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, url string) {
				policy := outbound.Policy{}
				if tt.allow {
					policy = loopbackOnly(t)
				}
				f := newFixture(t, url, policy, webhooks.Options{MaxAttempts: tt.maxAttempts})
				rcv := newReceiver(t, tt.statuses...)
				target := strings.Replace(rcv.URL, "127.0.0.1", tt.host, 1) + "/hooks/provgraph"
				w, secret, err := f.svc.Create(f.mine, target, []string{"batch.complete"})
				if err != nil {
					t.Fatal(err)
				}
				outcomes := f.outcomes(t, f.mine)
				e, err := f.events.Record(f.mine, "job.completed", 4242, map[string]any{"totalAssets": 3})
				if err != nil {
					t.Fatal(err)
				}

				final := await(t, outcomes, w)
				msgID := "msg_" + strconv.Itoa(e.ID) + "_" + strconv.Itoa(w.ID)
				if final.Kind != tt.outcome || final.Payload["messageId"] != msgID ||
					fmt.Sprint(final.Payload["attempts"]) != strconv.Itoa(len(tt.want)) {
					t.Errorf("outcome %s %v, want %s after %d attempts", final.Kind, final.Payload, tt.outcome, len(tt.want))
				}

				answered := 0 // attempts that reached the receiver
				for _, status := range tt.want {
					if status != 0 {
						answered++
					}
				}
				reqs := rcv.received()
				if len(reqs) != answered {
					t.Fatalf("the receiver got %d requests, want %d", len(reqs), answered)
				}
				for i, req := range reqs {
					if err := webhooks.Verify(secret, req.header, req.body, 0); err != nil {
						t.Errorf("request %d: %v", i+1, err)
					}
					if got := req.header.Get(webhooks.HeaderID); got != msgID {
						t.Errorf("request %d: webhook-id %q, want %q", i+1, got, msgID)
					}
					if ct := req.header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("request %d: Content-Type %q", i+1, ct)
					}
					var p webhooks.Payload
					if err := json.Unmarshal(req.body, &p); err != nil {
						t.Fatal(err)
					}
					if p.Event != "batch.complete" || p.WebhookID != strconv.Itoa(w.ID) || p.Timestamp.Sub(e.CreatedAt).Abs() > time.Millisecond ||
						p.Data["subjectId"] != "4242" || p.Data["eventId"] != strconv.Itoa(e.ID) || p.Data["totalAssets"] != float64(3) {
						t.Errorf("request %d: payload %+v", i+1, p)
					}
				}

				rows := attempts(t, f, w)
				if len(rows) != len(tt.want) {
					t.Fatalf("%d delivery rows, want %d", len(rows), len(tt.want))
				}
				for i, row := range rows {
					status := 0
					if row.ResponseStatus != nil {
						status = *row.ResponseStatus
					}
					ok := status >= 200 && status < 300
					lastTry := i == len(rows)-1
					if row.Attempt != i+1 || status != tt.want[i] || row.Succeeded != ok || row.LatencyMs == nil ||
						row.MessageID != msgID || row.Event != "batch.complete" || row.Payload["event"] != "batch.complete" {
						t.Errorf("attempt %d: %+v", i+1, row)
					}
					if !ok && !strings.Contains(row.Error, tt.wantError) {
						t.Errorf("attempt %d: error %q, want it to mention %q", i+1, row.Error, tt.wantError)
					}
					if (row.NextAttemptAt != nil) != (!ok && !lastTry) {
						t.Errorf("attempt %d: next attempt at %v", i+1, row.NextAttemptAt)
					}
				}

				// The webhook goes with its delivery records.
				if err := f.svc.Delete(f.mine, w.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := f.svc.Deliveries(f.mine, w.ID, nil, nil); apierror.CodeOf(err) != apierror.NotFound {
					t.Errorf("deliveries of a deleted webhook: %v", err)
				}
			})
		})
	}
}

// TestDeliveriesPaging reads the attempts of a message one page at a time,
// newest first.
func TestDeliveriesPaging(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, loopbackOnly(t), webhooks.Options{MaxAttempts: 3})
		rcv := newReceiver(t, 503)
		w, _, err := f.svc.Create(f.mine, rcv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		outcomes := f.outcomes(t, f.mine)
		if _, err := f.events.Record(f.mine, "asset.scanned", 7, nil); err != nil {
			t.Fatal(err)
		}
		await(t, outcomes, w)
		var seen []int
		var after *ent.Cursor
		for range 4 {
			one := 1
			conn, err := f.svc.Deliveries(f.mine, w.ID, &one, after)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range conn.Edges {
				seen = append(seen, e.Node.Attempt)
			}
			if !conn.PageInfo.HasNextPage {
				break
			}
			after = conn.PageInfo.EndCursor
		}
		if !slices.Equal(seen, []int{3, 2, 1}) {
			t.Errorf("attempts page by page: %v, want [3 2 1]", seen)
		}
	})
}

// TestSubscriptions checks which webhooks an event is queued for: the
// account's active ones subscribed to its name or to everything.
func TestSubscriptions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, loopbackOnly(t), webhooks.Options{})
		rcv := newReceiver(t, 200)
		create := func(ctx context.Context, names ...string) *ent.Webhook {
			w, _, err := f.svc.Create(ctx, rcv.URL, names)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		batch := create(f.mine, "batch.complete", "batch.complete")
		create(f.mine, "sign.complete")
		all := create(f.mine)
		inactive := create(f.mine)
		if err := f.client.Webhook.UpdateOne(inactive).SetActive(false).Exec(f.mine); err != nil {
			t.Fatal(err)
		}
		create(f.theirs)
		if !slices.Equal(batch.Events, []string{"batch.complete"}) || all.Events == nil || len(all.Events) != 0 {
			t.Errorf("events stored: %v and %v", batch.Events, all.Events)
		}

		tests := []struct {
			kind string
			want []int
		}{
			{"job.completed", []int{batch.ID, all.ID}},
			{"collection.created", nil},
			{webhooks.EventDelivered, nil},
		}
		for _, tt := range tests {
			t.Run(tt.kind, func(t *testing.T) {
				e, err := f.events.Record(f.mine, tt.kind, 0, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got := queuedFor(t, f, e.ID); !slices.Equal(got, tt.want) {
					t.Errorf("queued for webhooks %v, want %v", got, tt.want)
				}
			})
		}
	})
}

// queuedFor returns the webhooks a delivery job was queued for about event
// eventID, read from River's job table.
func queuedFor(t *testing.T, f *fixture, eventID int) []int {
	t.Helper()
	args := "args::text"
	if f.d.Dialect == dialect.SQLite {
		args = "json(args)" // River's SQLite driver stores JSONB
	}
	rows, err := f.d.SQL.QueryContext(context.Background(), "SELECT "+args+" FROM river_job WHERE kind = 'webhook_delivery'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var args struct {
			WebhookID int `json:"webhook_id"`
			EventID   int `json:"event_id"`
		}
		if err := json.Unmarshal(raw, &args); err != nil {
			t.Fatal(err)
		}
		if args.EventID == eventID {
			ids = append(ids, args.WebhookID)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// TestCreate checks what a webhook may be registered for.
func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, outbound.Policy{}, webhooks.Options{})
		tests := []struct {
			name  string
			url   string
			names []string
			field string // the invalid input field, "" when accepted
		}{
			{"public https", "https://hooks.example.com/provgraph", []string{"verify.complete", "job.failed"}, ""},
			{"a name, checked at connect time", "http://localhost:8080/hook", nil, ""},
			{"loopback address", "http://127.0.0.1:8080/hook", nil, "url"},
			{"loopback IPv6", "http://[::1]/hook", nil, "url"},
			{"private address", "https://10.1.2.3/hook", nil, "url"},
			{"link-local address", "http://169.254.169.254/latest/meta-data", nil, "url"},
			{"another scheme", "ftp://hooks.example.com/", nil, "url"},
			{"no host", "http:///hook", nil, "url"},
			{"too long", "https://hooks.example.com/" + strings.Repeat("a", 2048), nil, "url"},
			{"unknown event", "https://hooks.example.com/", []string{"batch.complete", "batch.done"}, "events"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w, secret, err := f.svc.Create(f.mine, tt.url, tt.names)
				if tt.field != "" {
					var invalid *apierror.InvalidFieldError
					if !errors.As(err, &invalid) || invalid.Field != tt.field || apierror.CodeOf(err) != apierror.InvalidInput {
						t.Fatalf("Create = %v, want invalid %s", err, tt.field)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(secret, "whsec_") || len(secret) != len("whsec_")+44 || w.Secret != secret || w.URL != tt.url || !w.Active {
					t.Errorf("webhook %+v, secret %q", w, secret)
				}
			})
		}
	})
}

// TestOtherAccount checks that a webhook of another account is not found.
func TestOtherAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, outbound.Policy{}, webhooks.Options{})
		w, _, err := f.svc.Create(f.mine, "https://hooks.example.com/", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, delivErr := f.svc.Deliveries(f.theirs, w.ID, nil, nil)
		_, _, rotateErr := f.svc.RotateSecret(f.theirs, w.ID)
		for name, err := range map[string]error{
			"deliveries": delivErr,
			"rotate":     rotateErr,
			"delete":     f.svc.Delete(f.theirs, w.ID),
		} {
			if !errors.Is(err, webhooks.ErrNotFound) || apierror.CodeOf(err) != apierror.NotFound {
				t.Errorf("%s of another account's webhook: %v, want NOT_FOUND", name, err)
			}
		}
		if n, err := f.client.Webhook.Query().Count(f.theirs); err != nil || n != 0 {
			t.Errorf("the other account lists %d webhooks (%v)", n, err)
		}
		if _, err := f.client.Webhook.Get(f.mine, w.ID); err != nil {
			t.Errorf("the webhook is gone for its account: %v", err)
		}
	})
}

// TestRotateSecret checks that messages are signed with the new secret
// once it is rotated.
func TestRotateSecret(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url, loopbackOnly(t), webhooks.Options{})
		rcv := newReceiver(t, 200)
		w, old, err := f.svc.Create(f.mine, rcv.URL, []string{"sign.complete"})
		if err != nil {
			t.Fatal(err)
		}
		rotated, secret, err := f.svc.RotateSecret(f.mine, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rotated.ID != w.ID || secret == old || !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("rotated %d to %q (was %q)", rotated.ID, secret, old)
		}
		outcomes := f.outcomes(t, f.mine)
		if _, err := f.events.Record(f.mine, "asset.signed", 9, map[string]any{"assetId": 9}); err != nil {
			t.Fatal(err)
		}
		if e := await(t, outcomes, w); e.Kind != webhooks.EventDelivered {
			t.Fatalf("outcome %s", e.Kind)
		}
		reqs := rcv.received()
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		if err := webhooks.Verify(secret, reqs[0].header, reqs[0].body, 0); err != nil {
			t.Errorf("with the new secret: %v", err)
		}
		if err := webhooks.Verify(old, reqs[0].header, reqs[0].body, 0); !errors.Is(err, webhooks.ErrSignature) {
			t.Errorf("with the old secret: %v, want ErrSignature", err)
		}
	})
}
