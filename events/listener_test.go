package events_test

import (
	"context"
	"os"
	"testing"
	"time"

	"provgraph/accounts"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
)

// TestListenerAcrossInstances records events through one service and
// receives them on another over LISTEN/NOTIFY, as two instances on one
// database do, in ID order and with a gap after a lost connection
// replayed from the table.
func TestListenerAcrossInstances(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("LISTEN/NOTIFY is PostgreSQL's; set " + dbtest.EnvURL)
	}
	url := dbtest.PostgresURL(t)
	a := dbtest.Open(t, url) // instance A records
	b := dbtest.Open(t, url) // instance B listens and serves the subscriber
	ctx := context.Background()
	acc, err := accounts.NewService(a.Client()).CreateAccount(ctx, "a", account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	other, err := accounts.NewService(a.Client()).CreateAccount(ctx, "b", account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	viewer := tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: tenant.AllScopes()})
	otherViewer := tenant.NewContext(ctx, tenant.Viewer{AccountID: other.ID, Scopes: tenant.AllScopes()})

	recA := events.NewService(a.Client(), events.NewBroker(), events.WithNotify())
	brokerB := events.NewBroker()
	svcB := events.NewService(b.Client(), brokerB, events.WithNotify())
	l, err := events.Listen(ctx, url, b.Client(), brokerB, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	subCtx, cancel := context.WithCancel(viewer)
	defer cancel()
	sub, err := svcB.Subscribe(subCtx, []string{"job.progress"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for i := range 20 {
		if _, err := recA.Record(otherViewer, "job.progress", 0, nil); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := recA.Record(viewer, "asset.scanned", 0, nil); err != nil {
				t.Fatal(err)
			}
		}
		e, err := recA.Record(viewer, "job.progress", 0, map[string]any{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e.ID)
	}
	got := receive(t, sub, len(want))
	for i := range want {
		if got[i].ID != want[i] || got[i].AccountID != acc.ID || got[i].Kind != "job.progress" {
			t.Fatalf("event %d: got %d (account %d, %s), want %d", i, got[i].ID, got[i].AccountID, got[i].Kind, want[i])
		}
	}
	if got[3].Payload["i"] != float64(3) {
		t.Fatalf("payload of the fourth event: %v", got[3].Payload)
	}

	// Cut the listener's connection; what is recorded until it is back
	// must still arrive, from the table.
	var cut int
	if err := b.SQL.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%') AS t`).Scan(&cut); err != nil || cut != 1 {
		t.Fatalf("cutting the listener's connection: %d cut, %v", cut, err)
	}
	want = want[:0]
	for range 5 {
		e, err := recA.Record(viewer, "job.progress", 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e.ID)
	}
	got = receive(t, sub, len(want))
	for i := range want {
		if got[i].ID != want[i] {
			t.Fatalf("after reconnecting, event %d: got %d, want %d", i, got[i].ID, want[i])
		}
	}
}

func receive(t *testing.T, sub <-chan *ent.Event, n int) []*ent.Event {
	t.Helper()
	var got []*ent.Event
	timeout := time.After(20 * time.Second)
	for len(got) < n {
		select {
		case e, ok := <-sub:
			if !ok {
				t.Fatalf("subscription closed after %d of %d events", len(got), n)
			}
			got = append(got, e)
		case <-timeout:
			t.Fatalf("received %d of %d events", len(got), n)
		}
	}
	return got
}
