package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"provgraph/apierror"
	"provgraph/article50"
	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/collection"
	"provgraph/ent/job"
	"provgraph/ent/schema/tenant"
	"provgraph/signing"
	"provgraph/storage"
)

// Step is one stage of an item's work; a job's items all go through the
// same steps, in order.
type Step string

// The steps.
const (
	StepScan   Step = "SCAN"
	StepSign   Step = "SIGN"
	StepVerify Step = "VERIFY"
)

// Event kinds recorded for jobs; the payload of each is the job's state
// (Snapshot) after the change.
const (
	EventCreated   = "job.created"
	EventStarted   = "job.started"
	EventProgress  = "job.progress"
	EventCompleted = "job.completed"
	EventFailed    = "job.failed"
	EventCancelled = "job.cancelled"
)

// Run is what a job does, as its params keep it: the item steps and, for
// signing, the declaration.
type Run struct {
	Steps       []Step                 `json:"steps"`
	Declaration *article50.Declaration `json:"declaration,omitempty"`
	// Undeclared signs without a declaration (signing.SignAssetUndeclared).
	Undeclared bool `json:"undeclared,omitempty"`
}

// item is one item to create: an uploaded file, or a stored asset.
type item struct {
	fileName string
	blobKey  string
	assetID  *int
}

// CreateScan stores the files and queues a job that scans each, adding
// the assets to collectionID when set.
func (s *Service) CreateScan(ctx context.Context, files []assets.Upload, collectionID *int) (*ent.Job, error) {
	if err := s.checkFiles(files, MaxFiles, 0); err != nil {
		return nil, err
	}
	if err := s.checkCollection(ctx, collectionID); err != nil {
		return nil, err
	}
	if err := s.charge(ctx, Run{Steps: []Step{StepScan}}, len(files)); err != nil {
		return nil, err
	}
	return s.createFromFiles(ctx, job.KindScan, Run{Steps: []Step{StepScan}}, files, collectionID, nil)
}

// CreateVerify stores the files and queues a job that verifies each: at
// most MaxVerifyFiles files and MaxVerifyBytes in all.
func (s *Service) CreateVerify(ctx context.Context, files []assets.Upload) (*ent.Job, error) {
	if err := s.checkFiles(files, MaxVerifyFiles, MaxVerifyBytes); err != nil {
		return nil, err
	}
	run := Run{Steps: []Step{StepVerify}}
	if err := s.charge(ctx, run, len(files)); err != nil {
		return nil, err
	}
	return s.createFromFiles(ctx, job.KindVerify, run, files, nil, nil)
}

// CreateSign queues a job that signs the assets assetIDs, or every asset of
// the collection collectionID (exactly one of the two), with d.
func (s *Service) CreateSign(ctx context.Context, assetIDs []int, collectionID *int, d article50.Declaration) (*ent.Job, error) {
	if (len(assetIDs) == 0) == (collectionID == nil) {
		return nil, ErrTargetChoice
	}
	run := Run{Steps: []Step{StepSign}, Declaration: &d}
	if err := signing.ValidateDeclaration(d); err != nil {
		return nil, err
	}
	ids, err := s.targetAssets(ctx, assetIDs, collectionID)
	if err != nil {
		return nil, err
	}
	if err := s.charge(ctx, run, len(ids)); err != nil {
		return nil, err
	}
	return s.createFromAssets(ctx, job.KindSign, run, ids, collectionID, nil)
}

// CreateUndeclaredSign stores the files and queues a sign job that scans
// each and signs it without an Article 50 declaration: the OP Protocol's
// batch sign, with its batch rules (at most MaxVerifyFiles files and
// MaxVerifyBytes in all).
func (s *Service) CreateUndeclaredSign(ctx context.Context, files []assets.Upload) (*ent.Job, error) {
	if err := s.checkFiles(files, MaxVerifyFiles, MaxVerifyBytes); err != nil {
		return nil, err
	}
	run := Run{Steps: []Step{StepScan, StepSign}, Undeclared: true}
	if err := s.charge(ctx, run, len(files)); err != nil {
		return nil, err
	}
	return s.createFromFiles(ctx, job.KindSign, run, files, nil, nil)
}

// CreateWorkflowRun queues a job that runs the steps of run for each file
// (the first step must then be StepScan) or, with files nil, for each
// asset of collectionID (a StepScan is then skipped: the assets are stored).
func (s *Service) CreateWorkflowRun(ctx context.Context, workflowID int, run Run, files []assets.Upload, collectionID *int) (*ent.Job, error) {
	if run.Declaration != nil {
		if err := signing.ValidateDeclaration(*run.Declaration); err != nil {
			return nil, err
		}
	}
	if files != nil {
		if len(run.Steps) == 0 || run.Steps[0] != StepScan {
			return nil, &apierror.InvalidFieldError{Field: "files", Reason: "the workflow does not start with SCAN: run it on a collection"}
		}
		if err := s.checkFiles(files, MaxFiles, 0); err != nil {
			return nil, err
		}
		if err := s.checkCollection(ctx, collectionID); err != nil {
			return nil, err
		}
		if err := s.charge(ctx, run, len(files)); err != nil {
			return nil, err
		}
		return s.createFromFiles(ctx, job.KindWorkflow, run, files, collectionID, &workflowID)
	}
	if collectionID == nil {
		return nil, &apierror.InvalidFieldError{Field: "collectionId", Reason: "required without files"}
	}
	if len(run.Steps) > 0 && run.Steps[0] == StepScan {
		run.Steps = run.Steps[1:]
	}
	if len(run.Steps) == 0 {
		return nil, &apierror.InvalidFieldError{Field: "steps", Reason: "nothing to do for stored assets but SCAN"}
	}
	ids, err := s.targetAssets(ctx, nil, collectionID)
	if err != nil {
		return nil, err
	}
	if err := s.charge(ctx, run, len(ids)); err != nil {
		return nil, err
	}
	return s.createFromAssets(ctx, job.KindWorkflow, run, ids, collectionID, &workflowID)
}

// checkFiles bounds the count and, when maxTotal > 0, the total size of
// a job's files, by what their requests declare; the blob store enforces
// the per-file limit on the bytes themselves.
func (s *Service) checkFiles(files []assets.Upload, maxFiles int, maxTotal int64) error {
	if len(files) == 0 {
		return ErrNoFiles
	}
	if len(files) > maxFiles {
		return tooMany("files", maxFiles)
	}
	var total int64
	for _, f := range files {
		if s.opts.MaxFileBytes > 0 && f.Size > s.opts.MaxFileBytes {
			return fmt.Errorf("%w: %s is %d bytes, more than the limit of %d", apierror.ErrFileTooLarge, f.FileName, f.Size, s.opts.MaxFileBytes)
		}
		total += f.Size
	}
	if maxTotal > 0 && total > maxTotal {
		return fmt.Errorf("%w: %d bytes in all, more than the limit of %d per job", apierror.ErrFileTooLarge, total, maxTotal)
	}
	return nil
}

func (s *Service) checkCollection(ctx context.Context, id *int) error {
	if id == nil {
		return nil
	}
	if _, err := db.ClientFrom(ctx, s.client).Collection.Get(ctx, *id); err != nil {
		return fmt.Errorf("collection %d: %w", *id, err)
	}
	return nil
}

// targetAssets returns the assets a job works on: assetIDs, each of which
// must be the caller's, or the assets of the collection.
func (s *Service) targetAssets(ctx context.Context, assetIDs []int, collectionID *int) ([]int, error) {
	client := db.ClientFrom(ctx, s.client)
	if collectionID != nil {
		if err := s.checkCollection(ctx, collectionID); err != nil {
			return nil, err
		}
		ids, err := client.Asset.Query().
			Where(asset.HasCollectionsWith(collection.ID(*collectionID))).
			Order(ent.Asc(asset.FieldID)).
			Limit(MaxAssets + 1).
			IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("jobs: assets of collection %d: %w", *collectionID, err)
		}
		if len(ids) == 0 {
			return nil, ErrEmptyCollection
		}
		if len(ids) > MaxAssets {
			return nil, tooMany("assets", MaxAssets)
		}
		return ids, nil
	}
	if len(assetIDs) > MaxAssets {
		return nil, tooMany("assetIds", MaxAssets)
	}
	seen := make(map[int]bool, len(assetIDs))
	ids := make([]int, 0, len(assetIDs))
	for _, id := range assetIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	found, err := client.Asset.Query().Where(asset.IDIn(ids...)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("jobs: assets: %w", err)
	}
	if len(found) != len(ids) {
		have := make(map[int]bool, len(found))
		for _, id := range found {
			have[id] = true
		}
		for _, id := range ids {
			if !have[id] {
				return nil, fmt.Errorf("asset %d: %w", id, apierror.ErrNotFound)
			}
		}
	}
	return ids, nil
}

// charge takes n of each kind of work the steps do from the quotas.
func (s *Service) charge(ctx context.Context, run Run, n int) error {
	for _, st := range run.Steps {
		var err error
		switch st {
		case StepScan:
			_, err = s.opts.Quota.TakeScans(ctx, n)
		case StepSign:
			_, err = s.opts.Quota.TakeSigns(ctx, n)
		case StepVerify:
			_, err = s.opts.Quota.TakeVerifies(ctx, n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// createFromFiles stores every file in the inbox, then creates the job.
// A failure removes what was stored.
func (s *Service) createFromFiles(ctx context.Context, kind job.Kind, run Run, files []assets.Upload, collectionID, workflowID *int) (*ent.Job, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	items := make([]item, 0, len(files))
	discard := func() {
		for _, it := range items {
			s.discard(ctx, it.blobKey)
		}
	}
	for _, f := range files {
		key := inboxKey(v.AccountID)
		_, err := s.store.Put(ctx, key, f.Content, "application/octet-stream", s.opts.MaxFileBytes)
		if err != nil {
			discard()
			if errors.Is(err, storage.ErrTooLarge) {
				return nil, fmt.Errorf("%w: %s is more than the limit of %d bytes", apierror.ErrFileTooLarge, f.FileName, s.opts.MaxFileBytes)
			}
			return nil, fmt.Errorf("jobs: storing %s: %w", f.FileName, err)
		}
		items = append(items, item{fileName: f.FileName, blobKey: key})
	}
	j, err := s.create(ctx, kind, run, items, collectionID, workflowID)
	if err != nil {
		discard()
		return nil, err
	}
	return j, nil
}

func (s *Service) createFromAssets(ctx context.Context, kind job.Kind, run Run, ids []int, collectionID, workflowID *int) (*ent.Job, error) {
	items := make([]item, len(ids))
	for i := range ids {
		items[i] = item{assetID: &ids[i]}
	}
	return s.create(ctx, kind, run, items, collectionID, workflowID)
}

// insertChunk bounds the rows of one insert statement.
const insertChunk = 500

// create writes the job, its items and their River jobs in one
// transaction (the caller's, if ctx carries one), and records
// EventCreated.
func (s *Service) create(ctx context.Context, kind job.Kind, run Run, items []item, collectionID, workflowID *int) (*ent.Job, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	params, err := run.params()
	if err != nil {
		return nil, err
	}
	ownTx := ent.TxFromContext(ctx) == nil
	var j *ent.Job
	err = db.WithTx(ctx, s.client, func(ctx context.Context) error {
		client := db.ClientFrom(ctx, s.client)
		var err error
		j, err = client.Job.Create().
			SetKind(kind).
			SetTotalAssets(len(items)).
			SetNillableCollectionID(collectionID).
			SetNillableWorkflowID(workflowID).
			SetParams(params).
			SetExpiresAt(time.Now().Add(s.opts.Retention)).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("jobs: creating: %w", err)
		}
		for start := 0; start < len(items); start += insertChunk {
			chunk := items[start:min(start+insertChunk, len(items))]
			creates := make([]*ent.JobItemCreate, len(chunk))
			for i, it := range chunk {
				c := client.JobItem.Create().SetJobID(j.ID).SetNillableAssetID(it.assetID)
				if it.fileName != "" {
					c.SetFileName(assets.CleanFileName(it.fileName))
				}
				if it.blobKey != "" {
					c.SetInputBlobKey(it.blobKey)
				}
				creates[i] = c
			}
			rows, err := client.JobItem.CreateBulk(creates...).Save(ctx)
			if err != nil {
				return fmt.Errorf("jobs: creating items: %w", err)
			}
			params := make([]river.InsertManyParams, len(rows))
			for i, r := range rows {
				params[i] = river.InsertManyParams{
					Args:       ItemArgs{ItemID: r.ID, AccountID: v.AccountID},
					InsertOpts: &river.InsertOpts{MaxAttempts: s.opts.MaxAttempts},
				}
			}
			if err := s.q.InsertMany(ctx, params); err != nil {
				return err
			}
		}
		_, err = s.events.Record(ctx, EventCreated, j.ID, Snapshot(j))
		return err
	})
	if err != nil {
		return nil, err
	}
	if ownTx {
		j = j.Unwrap()
	}
	return j, nil
}

func inboxKey(accountID int) string {
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	return fmt.Sprintf("inbox/%d/%s", accountID, hex.EncodeToString(nonce[:]))
}

// discard removes a blob no longer needed (storage.Store.Discard).
func (s *Service) discard(ctx context.Context, key string) { s.store.Discard(ctx, s.log, key) }
