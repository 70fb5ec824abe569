package queue_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/queue"
)

type pingArgs struct{ N int }

func (pingArgs) Kind() string { return "test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	seen  chan int
	fails atomic.Int32
}

func (w *pingWorker) Work(ctx context.Context, j *river.Job[pingArgs]) error {
	if j.Args.N < 0 && w.fails.Add(1) <= 2 {
		return errors.New("failing on purpose")
	}
	w.seen <- j.Args.N
	return nil
}

// TestQueue checks on both drivers that a job inserted in a committed
// transaction is worked, one of a rolled-back transaction never is, and a
// failing job is retried with the backoff set for its kind.
func TestQueue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		d := dbtest.Open(t, url)
		ctx := context.Background()
		q, err := queue.New(ctx, d, queue.Options{Workers: 2, JobTimeout: time.Minute, RescueAfter: 2 * time.Minute, PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		w := &pingWorker{seen: make(chan int, 10)}
		queue.Register(q, w)
		q.SetRetry("test_ping", func(int) time.Duration { return 10 * time.Millisecond })
		if err := q.Insert(ctx, pingArgs{N: 0}, nil); !errors.Is(err, queue.ErrNotStarted) {
			t.Fatalf("Insert before Start = %v", err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = q.Stop(context.Background()) })
		client := d.Client()
		if err := db.WithTx(ctx, client, func(ctx context.Context) error {
			return q.Insert(ctx, pingArgs{N: 1}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("rollback")
		if err := db.WithTx(ctx, client, func(ctx context.Context) error {
			if err := q.Insert(ctx, pingArgs{N: 2}, nil); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if err := q.Insert(ctx, pingArgs{N: -1}, nil); err != nil {
			t.Fatal(err)
		}
		got := map[int]bool{}
		timeout := time.After(30 * time.Second)
		for len(got) < 2 {
			select {
			case n := <-w.seen:
				got[n] = true
			case <-timeout:
				t.Fatalf("worked %v, want 1 and -1", got)
			}
		}
		if !got[1] || !got[-1] || got[2] {
			t.Fatalf("worked %v, want 1 and -1 (not the rolled-back 2)", got)
		}
		if n := w.fails.Load(); n != 3 {
			t.Errorf("the failing job ran %d times, want 3 (two failures, then success)", n)
		}
		select {
		case n := <-w.seen:
			t.Fatalf("job %d worked after the others", n)
		case <-time.After(300 * time.Millisecond):
		}
	})
}
