package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"provgraph/db"
)

// ErrNotStarted is returned by Insert before Start.
var ErrNotStarted = errors.New("queue: not started")

// Options configure a Queue.
type Options struct {
	// Workers is how many jobs this instance works at once; 0 makes an
	// instance that only queues jobs (an API node), for others to work.
	Workers int
	// JobTimeout cancels the context of a job that runs longer.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before it is taken
	// for one of a crashed instance and made available again.
	RescueAfter time.Duration
	// PollInterval is how often an idle instance looks for new jobs.
	PollInterval time.Duration
	// Logger receives River's logs.
	Logger *slog.Logger
}

// Queue is the River client of one instance, with the workers registered
// before Start.
type Queue struct {
	db      *db.DB
	opts    Options
	workers *river.Workers
	pool    *sql.DB // River's own pool: d.SQL, or one SQLite connection
	driver  riverdriver.Driver[*sql.Tx]
	client  *river.Client[*sql.Tx]
	retry   map[string]func(attempt int) time.Duration
}

// New returns a Queue over d and applies River's migrations (serialised by
// an advisory lock on PostgreSQL, so that instances starting together do
// not race). Register the workers, then Start.
func New(ctx context.Context, d *db.DB, opts Options) (*Queue, error) {
	if opts.Workers < 0 {
		opts.Workers = 0
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	q := &Queue{db: d, opts: opts, workers: river.NewWorkers(), retry: map[string]func(int) time.Duration{}}
	switch d.Dialect {
	case dialect.Postgres:
		q.pool = d.SQL
		q.driver = riverdatabasesql.New(d.SQL)
	case dialect.SQLite:
		// River's SQLite driver wants a single connection for its own
		// work; the server's pool stays as it is, and inserts go through
		// the server's transactions.
		own, err := db.OpenSQLite(ctx, d.URL)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		own.SQL.SetMaxOpenConns(1)
		q.pool = own.SQL
		q.driver = riversqlite.New(own.SQL)
	default:
		return nil, fmt.Errorf("queue: unsupported dialect %q", d.Dialect)
	}
	if err := q.migrate(ctx); err != nil {
		q.closePool()
		return nil, err
	}
	return q, nil
}

// migrationLock is the advisory lock key River's migrations run under.
const migrationLock = 0x70677271 // "pgrq"

func (q *Queue) migrate(ctx context.Context) error {
	m, err := rivermigrate.New(q.driver, &rivermigrate.Config{Logger: q.opts.Logger})
	if err != nil {
		return fmt.Errorf("queue: migrations: %w", err)
	}
	if q.db.Dialect != dialect.Postgres {
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("queue: migrating: %w", err)
		}
		return nil
	}
	// River's migrations add enum values and use them, which PostgreSQL
	// refuses inside one transaction, so each version runs in its own; a
	// session lock held on a connection of its own keeps other instances
	// out until all have run.
	conn, err := q.pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("queue: migrations: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("queue: migration lock: %w", err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}()
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrating: %w", err)
	}
	return nil
}

// Register adds the worker of one job kind; call it before Start.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) {
	river.AddWorker(q.workers, w)
}

// Start builds the River client and starts working jobs until Stop (with
// no Workers, it only inserts).
func (q *Queue) Start(ctx context.Context) error {
	var queues map[string]river.QueueConfig
	if q.opts.Workers > 0 {
		queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: q.opts.Workers}}
	}
	c, err := river.NewClient(q.driver, &river.Config{
		Queues:               queues,
		Workers:              q.workers,
		JobTimeout:           q.opts.JobTimeout,
		RescueStuckJobsAfter: q.opts.RescueAfter,
		FetchPollInterval:    q.opts.PollInterval,
		FetchCooldown:        min(q.opts.PollInterval, 20*time.Millisecond),
		Logger:               q.opts.Logger,
		RetryPolicy:          &retryPolicy{waits: q.retry},
	})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if q.opts.Workers > 0 {
		if err := c.Start(ctx); err != nil {
			return fmt.Errorf("queue: starting: %w", err)
		}
	}
	q.client = c
	return nil
}

// Stop lets running jobs finish (until ctx is done, when they are
// cancelled) and stops the client.
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil || q.opts.Workers == 0 {
		q.client = nil
		q.closePool()
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	q.client = nil
	q.closePool()
	return err
}

// Kill stops the client at once, cancelling running jobs without letting
// them finish: what a crashed instance leaves behind, for tests.
func (q *Queue) Kill() {
	if q.client != nil && q.opts.Workers > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.client.StopAndCancel(ctx)
		q.client = nil
	}
	q.closePool()
}

func (q *Queue) closePool() {
	if q.pool != nil && q.pool != q.db.SQL {
		_ = q.pool.Close()
	}
	q.pool = nil
}

// Insert queues a job: in the transaction of ctx (db.SQLTx) when there is
// one, so that it exists only if that transaction commits.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if q.client == nil {
		return ErrNotStarted
	}
	var err error
	if tx := db.SQLTx(ctx); tx != nil {
		_, err = q.client.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = q.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("queue: inserting %s: %w", args.Kind(), err)
	}
	return nil
}

// InsertMany queues several jobs at once, like Insert.
func (q *Queue) InsertMany(ctx context.Context, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	if q.client == nil {
		return ErrNotStarted
	}
	var err error
	if tx := db.SQLTx(ctx); tx != nil {
		_, err = q.client.InsertManyTx(ctx, tx, params)
	} else {
		_, err = q.client.InsertMany(ctx, params)
	}
	if err != nil {
		return fmt.Errorf("queue: inserting %d jobs: %w", len(params), err)
	}
	return nil
}

// SetRetry makes failed jobs of kind wait wait(attempt) before their next
// attempt instead of River's default backoff; call it before Start.
func (q *Queue) SetRetry(kind string, wait func(attempt int) time.Duration) {
	q.retry[kind] = wait
}

// retryPolicy is River's default backoff, except for the kinds given to
// SetRetry.
type retryPolicy struct {
	river.DefaultClientRetryPolicy
	waits map[string]func(attempt int) time.Duration
}

// NextRetry implements river.ClientRetryPolicy.
func (p *retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	if wait, ok := p.waits[job.Kind]; ok {
		return time.Now().Add(wait(job.Attempt))
	}
	return p.DefaultClientRetryPolicy.NextRetry(job)
}
