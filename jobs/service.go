package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/contrib/entgql"

	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/events"
	"provgraph/queue"
	"provgraph/quota"
	"provgraph/signing"
	"provgraph/storage"
	"provgraph/verifications"
)

// Options configure a Service.
type Options struct {
	// Retention is how long a job stays readable after it is created.
	Retention time.Duration
	// MaxFileBytes bounds every uploaded file.
	MaxFileBytes int64
	// MaxAttempts is how often an item is tried before it fails for an
	// internal error (a refused file fails at once).
	MaxAttempts int
	// Quota, when set, counts every file or asset of a job, for each of
	// its steps, when the job is created; its items then run Prepaid.
	Quota *quota.Service
	// Logger receives the items' internal errors.
	Logger *slog.Logger
}

// Service creates, runs, cancels and reads jobs.
type Service struct {
	client  *ent.Client
	store   *storage.Store
	q       *queue.Queue
	events  *events.Service
	assets  *assets.Service
	signing *signing.Service
	verify  *verifications.Service
	opts    Options
	log     *slog.Logger
}

// Deps are the services jobs call.
type Deps struct {
	Client        *ent.Client
	Store         *storage.Store
	Queue         *queue.Queue
	Events        *events.Service
	Assets        *assets.Service
	Signing       *signing.Service
	Verifications *verifications.Service
}

// NewService returns a Service and registers its item worker on the
// queue, which must not be started yet.
func NewService(d Deps, o Options) *Service {
	if o.Retention <= 0 {
		o.Retention = 7 * 24 * time.Hour
	}
	if o.MaxAttempts < 1 {
		o.MaxAttempts = 5
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{client: d.Client, store: d.Store, q: d.Queue, events: d.Events, assets: d.Assets,
		signing: d.Signing, verify: d.Verifications, opts: o, log: o.Logger}
	queue.Register(d.Queue, &itemWorker{s: s})
	return s
}

// Get returns a job of the caller's account.
func (s *Service) Get(ctx context.Context, id int) (*ent.Job, error) {
	j, err := db.ClientFrom(ctx, s.client).Job.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	return j, nil
}

// List pages through the caller's jobs, newest first, optionally of one
// status or kind.
func (s *Service) List(ctx context.Context, status *job.Status, kind *job.Kind,
	after *entgql.Cursor[int], first *int, before *entgql.Cursor[int], last *int) (*ent.JobConnection, error) {
	q := s.client.Job.Query()
	if status != nil {
		q.Where(job.StatusEQ(*status))
	}
	if kind != nil {
		q.Where(job.KindEQ(*kind))
	}
	return q.Paginate(ctx, after, first, before, last, ent.WithJobOrder([]*ent.JobOrder{
		{Direction: entgql.OrderDirectionDesc, Field: ent.JobOrderFieldCreatedAt},
	}))
}
