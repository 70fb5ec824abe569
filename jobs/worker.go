package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/ent/jobitem"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
	"provgraph/signing"
)

// ItemArgs is the River job of one item.
type ItemArgs struct {
	ItemID    int `json:"item_id"`
	AccountID int `json:"account_id"`
}

// Kind implements river.JobArgs.
func (ItemArgs) Kind() string { return "provgraph.job_item" }

type itemWorker struct {
	river.WorkerDefaults[ItemArgs]
	s *Service
}

// Work runs one item on behalf of its account. A refused input fails the
// item at once; an internal error is returned for River to retry, until
// the last attempt fails the item.
func (w *itemWorker) Work(ctx context.Context, rj *river.Job[ItemArgs]) error {
	s := w.s
	ctx = tenant.NewContext(ctx, tenant.Viewer{AccountID: rj.Args.AccountID, Scopes: tenant.AllScopes()})
	ctx = quota.Prepaid(ctx) // counted when the job was created
	it, j, err := s.claim(ctx, rj.Args.ItemID)
	if errors.Is(err, errSkip) {
		return nil
	}
	if err != nil {
		return err
	}
	err = s.run(ctx, j, it)
	switch {
	case err == nil, errors.Is(err, errItemDone):
		s.discard(ctx, it.InputBlobKey)
		return nil
	case apierror.CodeOf(err) == apierror.Internal && rj.Attempt < rj.MaxAttempts && ctx.Err() == nil:
		s.log.WarnContext(ctx, "jobs: item attempt failed", slog.Int("item", it.ID), slog.Int("attempt", rj.Attempt), slog.String("error", err.Error()))
		return err
	case ctx.Err() != nil:
		return err // stopped or timed out: River retries or rescues it
	}
	if apierror.CodeOf(err) == apierror.Internal {
		s.log.ErrorContext(ctx, "jobs: item failed", slog.Int("item", it.ID), slog.String("error", err.Error()))
	}
	ferr := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		return s.finish(ctx, it, outcome{err: err})
	})
	if ferr != nil && !errors.Is(ferr, errItemDone) {
		return ferr
	}
	s.discard(ctx, it.InputBlobKey)
	return nil
}

// claim marks the item PROCESSING (and its job, on its first item) and
// returns both; errSkip when the item is finished or cancelled.
func (s *Service) claim(ctx context.Context, itemID int) (*ent.JobItem, *ent.Job, error) {
	var it *ent.JobItem
	var j *ent.Job
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		client := db.ClientFrom(ctx, s.client)
		var err error
		it, err = client.JobItem.Get(ctx, itemID)
		if ent.IsNotFound(err) {
			return errSkip // its job was removed
		}
		if err != nil {
			return err
		}
		if terminal(job.Status(it.Status)) {
			return errSkip
		}
		if j, err = client.Job.Get(ctx, it.JobID); err != nil {
			return err
		}
		start := j.Status == job.StatusQueued
		if start {
			// Locks in the order finish and Cancel take them.
			if err := s.events.Lock(ctx); err != nil {
				return err
			}
		}
		now := time.Now()
		upd := client.JobItem.Update().
			Where(jobitem.ID(it.ID), jobitem.StatusIn(jobitem.StatusQueued, jobitem.StatusProcessing)).
			SetStatus(jobitem.StatusProcessing).
			AddAttempts(1)
		if it.StartedAt == nil {
			upd.SetStartedAt(now)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errSkip // cancelled meanwhile
		}
		if !start {
			return nil
		}
		n, err = client.Job.Update().
			Where(job.ID(j.ID), job.StatusEQ(job.StatusQueued)).
			SetStatus(job.StatusProcessing).
			SetStartedAt(now).
			Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		j.Status, j.StartedAt = job.StatusProcessing, &now
		_, err = s.events.Record(ctx, EventStarted, j.ID, Snapshot(j))
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return it, j, nil
}

// run does the item's steps; the last one finishes the item in the
// transaction that records its work.
func (s *Service) run(ctx context.Context, j *ent.Job, it *ent.JobItem) error {
	run, err := runOf(j)
	if err != nil {
		return err
	}
	if len(run.Steps) == 0 {
		return fmt.Errorf("jobs: job %d has no steps", j.ID)
	}
	assetID := it.AssetID
	for i, st := range run.Steps {
		last := i == len(run.Steps)-1
		switch st {
		case StepScan:
			if assetID != nil {
				continue // scanned by an earlier attempt
			}
			id, err := s.scan(ctx, j, it, last)
			if err != nil {
				return err
			}
			assetID = &id
		case StepSign:
			if assetID == nil {
				return fmt.Errorf("%w: nothing to sign before a SCAN", apierror.ErrInvalidInput)
			}
			if run.Declaration == nil && !run.Undeclared {
				return fmt.Errorf("%w: no declaration to sign with", apierror.ErrInvalidInput)
			}
			sign := s.signing.SignAssetUndeclared
			if run.Declaration != nil {
				sign = func(ctx context.Context, id int, then func(context.Context, signing.Result) error) (signing.Result, error) {
					return s.signing.SignAsset(ctx, id, *run.Declaration, then)
				}
			}
			_, err := sign(ctx, *assetID, func(ctx context.Context, r signing.Result) error {
				if !last {
					return nil
				}
				res := map[string]any{"assetId": r.AssetID}
				if r.Verification != nil {
					res["verificationId"] = r.Verification.PublicID
					res["trustTier"] = string(r.Verification.TrustTier)
				}
				return s.finish(ctx, it, outcome{assetID: &r.AssetID, result: res})
			})
			if err != nil {
				return err
			}
		case StepVerify:
			then := func(ctx context.Context, v *ent.Verification) error {
				if !last {
					return nil
				}
				return s.finish(ctx, it, outcome{assetID: assetID, result: map[string]any{
					"verificationId": v.PublicID,
					"trustTier":      string(v.TrustTier),
					"label":          v.Label,
				}})
			}
			if assetID != nil {
				if _, err := s.verify.VerifyAsset(ctx, *assetID, then); err != nil {
					return err
				}
				continue
			}
			b, err := s.store.OpenBlob(ctx, it.InputBlobKey)
			if err != nil {
				return fmt.Errorf("jobs: item %d input: %w", it.ID, err)
			}
			_, err = s.verify.VerifyFile(ctx, it.FileName, "", &blobReader{b: b}, then)
			_ = b.Close()
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("jobs: unknown step %q", st)
		}
	}
	return nil
}

// scan stores and scans the item's file as an asset; the item keeps the
// asset (so a retry does not scan it again), and is finished when the scan
// is its last step.
func (s *Service) scan(ctx context.Context, j *ent.Job, it *ent.JobItem, last bool) (int, error) {
	b, err := s.store.OpenBlob(ctx, it.InputBlobKey)
	if err != nil {
		return 0, fmt.Errorf("jobs: item %d input: %w", it.ID, err)
	}
	defer b.Close()
	var id int
	_, err = s.assets.Scan(ctx, assets.ScanRequest{
		Files:        []assets.Upload{{FileName: it.FileName, Content: &blobReader{b: b}, Size: b.Size()}},
		CollectionID: j.CollectionID,
		Recorded: func(ctx context.Context, res *assets.ScanResult) error {
			f := res.Files[0]
			if f.Err != nil {
				return f.Err
			}
			id = f.Asset.ID
			if last {
				return s.finish(ctx, it, outcome{assetID: &id, result: map[string]any{
					"assetId": id,
					"verdict": string(f.Scan.Verdict),
					"hasC2pa": f.Scan.HasC2pa,
				}})
			}
			n, err := db.ClientFrom(ctx, s.client).JobItem.Update().
				Where(jobitem.ID(it.ID), jobitem.StatusEQ(jobitem.StatusProcessing)).
				SetAssetID(id).
				Save(ctx)
			if err == nil && n == 0 {
				return errItemDone
			}
			return err
		},
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

func runOf(j *ent.Job) (Run, error) {
	var r Run
	if err := DecodeParams(j.Params, &r); err != nil {
		return Run{}, fmt.Errorf("jobs: job %d params: %w", j.ID, err)
	}
	return r, nil
}
