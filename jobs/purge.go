package jobs

import (
	"context"
	"fmt"
	"time"

	"provgraph/ent/job"
	"provgraph/ent/jobitem"
	"provgraph/ent/schema/tenant"
)

// purgeBatch bounds the jobs one PurgeExpired call removes.
const purgeBatch = 500

// PurgeExpired removes the jobs of every account whose expiry has passed,
// with their items and any input blob an item still holds, and reports how
// many jobs it removed. The retention sweeper calls it.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	ctx = tenant.WithSystem(ctx)
	ids, err := s.client.Job.Query().
		Where(job.ExpiresAtLT(time.Now())).
		Limit(purgeBatch).
		IDs(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	inputs, err := s.client.JobItem.Query().
		Where(jobitem.JobIDIn(ids...), jobitem.InputBlobKeyNEQ("")).
		Select(jobitem.FieldInputBlobKey).
		Strings(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purging: %w", err)
	}
	if _, err := s.client.JobItem.Delete().Where(jobitem.JobIDIn(ids...)).Exec(ctx); err != nil {
		return 0, fmt.Errorf("jobs: purging items: %w", err)
	}
	n, err := s.client.Job.Delete().Where(job.IDIn(ids...)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purging: %w", err)
	}
	for _, key := range inputs {
		s.discard(ctx, key)
	}
	return n, nil
}
