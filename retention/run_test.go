package retention_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/retention"
)

// recordHandler hands every log record to a channel.
type recordHandler struct{ records chan<- slog.Record }

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.records <- r
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

// TestRunSweepsAndStops checks that Run sweeps as soon as it starts, logs
// what it purged, and returns once its context is done.
func TestRunSweepsAndStops(t *testing.T) {
	e := newEnv(t, dbtest.SQLiteURL(t))
	acc := e.account(t, account.PlanStarter)
	t0 := time.Now()
	a := e.asset(t, acc, "signed.jpg", t0)

	records := make(chan slog.Record, 16)
	sw := retention.NewSweeper(e.client, e.store, retention.Options{
		Interval: time.Hour, // only the first sweep runs within the test
		Now:      func() time.Time { return t0.Add(time.Hour) },
		Logger:   slog.New(recordHandler{records}),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		sw.Run(ctx)
	}()
	r := <-records
	if r.Message != "retention: swept" {
		t.Fatalf("first log record %q, want the sweep's", r.Message)
	}
	r.Attrs(func(at slog.Attr) bool {
		if at.Key == "originals" && at.Value.Int64() != 1 {
			t.Errorf("logged %d originals, want 1", at.Value.Int64())
		}
		return true
	})
	cancel()
	<-done
	if got := e.reload(t, a); got.OriginalPurgedAt == nil || e.exists(t, a.OriginalBlobKey) {
		t.Errorf("original not purged: %+v", got)
	}
}
