package jobs

import (
	"context"
	"fmt"
	"time"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/ent/jobitem"
)

// Cancel stops a queued or running job of the caller's account: its items
// not yet started become CANCELLED and never run (their River jobs find
// them so and do nothing); items already running finish and are counted.
// A finished job is returned unchanged.
func (s *Service) Cancel(ctx context.Context, id int) (*ent.Job, error) {
	ownTx := ent.TxFromContext(ctx) == nil
	var j *ent.Job
	var inputs []string
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		client := db.ClientFrom(ctx, s.client)
		var err error
		if j, err = client.Job.Get(ctx, id); err != nil {
			return fmt.Errorf("job %d: %w", id, err)
		}
		if terminal(j.Status) {
			return nil
		}
		if err := s.events.Lock(ctx); err != nil {
			return err
		}
		now := time.Now()
		n, err := client.Job.Update().
			Where(job.ID(id), job.StatusIn(job.StatusQueued, job.StatusProcessing)).
			SetStatus(job.StatusCancelled).
			SetCompletedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			j, err = client.Job.Get(ctx, id) // it finished meanwhile
			return err
		}
		queued := client.JobItem.Query().
			Where(jobitem.JobID(id), jobitem.StatusEQ(jobitem.StatusQueued))
		if inputs, err = queued.Clone().Select(jobitem.FieldInputBlobKey).Strings(ctx); err != nil {
			return err
		}
		if _, err := client.JobItem.Update().
			Where(jobitem.JobID(id), jobitem.StatusEQ(jobitem.StatusQueued)).
			SetStatus(jobitem.StatusCancelled).
			SetCompletedAt(now).
			Save(ctx); err != nil {
			return err
		}
		if j, err = client.Job.Get(ctx, id); err != nil {
			return err
		}
		_, err = s.events.Record(ctx, EventCancelled, j.ID, Snapshot(j))
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, key := range inputs {
		s.discard(ctx, key)
	}
	if ownTx {
		j = j.Unwrap()
	}
	return j, nil
}
