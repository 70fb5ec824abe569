package events_test

import (
	"context"
	"testing"

	"provgraph/accounts"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
)

// TestSubscribeSlowReader checks that a subscriber that stops reading
// while many events are recorded is caught up from the table, in order and
// without gaps, instead of being dropped; and that kinds filter.
func TestSubscribeSlowReader(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		d := dbtest.Open(t, url)
		ctx := context.Background()
		acc, err := accounts.NewService(d.Client()).CreateAccount(ctx, "a", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		viewer := tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: tenant.AllScopes()})
		var opts []events.Option
		if d.Dialect == "postgres" {
			opts = append(opts, events.WithNotify())
		}
		broker := events.NewBroker()
		svc := events.NewService(d.Client(), broker, opts...)
		if d.Dialect == "postgres" {
			l, err := events.Listen(ctx, url, d.Client(), broker, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
		}
		subCtx, cancel := context.WithCancel(viewer)
		defer cancel()
		sub, err := svc.Subscribe(subCtx, []string{"b"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for i := range 300 { // far more than a subscriber's buffer
			kind := "a"
			if i%3 != 0 {
				kind = "b"
			}
			e, err := svc.Record(viewer, kind, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if kind == "b" {
				want = append(want, e.ID)
			}
		}
		got := receive(t, sub, len(want))
		for i := range want {
			if got[i].ID != want[i] {
				t.Fatalf("event %d: got ID %d, want %d", i, got[i].ID, want[i])
			}
		}
	})
}
