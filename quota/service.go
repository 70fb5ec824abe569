package quota

import (
	"context"
	"fmt"
	"time"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/usagecounter"
)

// Options are the per-key limits of the Take calls; zero means no limit.
type Options struct {
	// KeyRequestsPerMinute caps the operations (GraphQL) or requests
	// (REST) one API key makes in a clock minute.
	KeyRequestsPerMinute int
	// KeyScansPerDay caps the assets one API key scans in a UTC day.
	KeyScansPerDay int
	// KeySignsPerDay caps the assets one API key signs in a UTC day.
	KeySignsPerDay int
	// KeyVerifiesPerDay caps the files one API key verifies in a UTC day.
	KeyVerifiesPerDay int
	// Now is the clock windows are computed from; nil means time.Now.
	Now func() time.Time
}

// Service counts usage in the usage_counters table and enforces limits on
// it. It is safe for concurrent use, and any number of instances may share
// one database.
type Service struct {
	client *ent.Client
	opts   Options
}

// NewService returns a Service counting through client.
func NewService(client *ent.Client, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{client: client, opts: opts}
}

// now is the current instant in UTC, without a monotonic reading, as
// counters store it.
func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// Sweep deletes the counters whose window has ended and returns how many
// it deleted. Counters of ended windows are never read again; sweeping
// only keeps the table small.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	n, err := db.ClientFrom(ctx, s.client).UsageCounter.Delete().
		Where(usagecounter.ExpiresAtLTE(s.now())).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("quota: sweeping counters: %w", err)
	}
	return n, nil
}
