package jobs

import (
	"context"
	"time"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/ent/jobitem"
)

// outcome is how an item ended: err nil for success.
type outcome struct {
	assetID *int
	result  map[string]any
	err     error
}

// finish records the item's outcome and counts it on its job, in the
// transaction of ctx: the job completes (or fails, when every item failed)
// with its last item. It records EventProgress, and EventCompleted or
// EventFailed at the end. errItemDone when another attempt finished the
// item first.
func (s *Service) finish(ctx context.Context, it *ent.JobItem, o outcome) error {
	if err := s.events.Lock(ctx); err != nil {
		return err
	}
	client := db.ClientFrom(ctx, s.client)
	now := time.Now()
	upd := client.JobItem.Update().
		Where(jobitem.ID(it.ID), jobitem.StatusEQ(jobitem.StatusProcessing)).
		SetCompletedAt(now).
		SetNillableAssetID(o.assetID)
	if o.result != nil {
		upd.SetResult(o.result)
	}
	if o.err != nil {
		upd.SetStatus(jobitem.StatusFailed).
			SetError(string(apierror.CodeOf(o.err)) + ": " + apierror.Message(o.err))
	} else {
		upd.SetStatus(jobitem.StatusCompleted)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return errItemDone
	}
	ju := client.Job.UpdateOneID(it.JobID)
	if o.err != nil {
		ju.AddFailedAssets(1)
	} else {
		ju.AddCompletedAssets(1)
	}
	j, err := ju.Save(ctx)
	if err != nil {
		return err
	}
	end := ""
	if !terminal(j.Status) && j.CompletedAssets+j.FailedAssets >= j.TotalAssets {
		status, kind := job.StatusCompleted, EventCompleted
		if j.CompletedAssets == 0 {
			status, kind = job.StatusFailed, EventFailed
		}
		upd := client.Job.UpdateOne(j).SetStatus(status).SetCompletedAt(now)
		if status == job.StatusFailed {
			upd.SetError("every item failed")
		}
		if j, err = upd.Save(ctx); err != nil {
			return err
		}
		end = kind
	}
	snap := Snapshot(j)
	if _, err := s.events.Record(ctx, EventProgress, j.ID, snap); err != nil {
		return err
	}
	if end != "" {
		if _, err := s.events.Record(ctx, end, j.ID, snap); err != nil {
			return err
		}
	}
	return nil
}
