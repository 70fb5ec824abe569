package op

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/ent/jobitem"
	"provgraph/jobs"
)

// batchResponse is the data of the batch routes.
type batchResponse struct {
	BatchID        string        `json:"batchId"`
	Type           string        `json:"type"`
	FileCount      int           `json:"fileCount"`
	CompletedCount int           `json:"completedCount"`
	Status         string        `json:"status"`
	Results        []batchResult `json:"results"`
}

// batchResult is the outcome of one file of a batch.
type batchResult struct {
	FileName      string      `json:"fileName"`
	Status        string      `json:"status"`
	VerifyID      *string     `json:"verifyId"`
	Tier          *string     `json:"tier"`
	SignedFileURL *string     `json:"signedFileUrl"`
	Error         *batchError `json:"error"`
}

type batchError struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// batchGrantPrefix marks the download tokens that stand for anonymous
// batches: job ids are sequential, and every anonymous batch belongs to
// the public account, so an anonymous caller's batch id must be
// unguessable.
const batchGrantPrefix = "op-batch:"

// batchVerify answers POST /batch/verify (202): a verify job over the
// files; each file counts against the verify limit.
func (h *handler) batchVerify(c *call) error {
	return h.createBatch(c, c.takeVerifies, h.d.Jobs.CreateVerify)
}

// batchSign answers POST /batch/sign (202): a job that scans and signs
// each file without a declaration; each file counts against the sign limit.
func (h *handler) batchSign(c *call) error {
	return h.createBatch(c, c.takeSigns, h.d.Jobs.CreateUndeclaredSign)
}

// createBatch reads the files, counts them with take and queues their job.
func (h *handler) createBatch(c *call, take func(n int) error, create func(context.Context, []assets.Upload) (*ent.Job, error)) error {
	ups, release, err := c.files("files", true)
	if err != nil {
		return err
	}
	defer release()
	if len(ups) > jobs.MaxVerifyFiles {
		// Refused before its files are counted against the limits.
		return &fileError{&apierror.InvalidFieldError{Field: "files", Reason: fmt.Sprintf("at most %d per batch", jobs.MaxVerifyFiles)}}
	}
	if err := take(len(ups)); err != nil {
		return err
	}
	j, err := create(c.ctx, ups)
	if err != nil {
		return &fileError{err}
	}
	return c.ok(http.StatusAccepted, h.batchOf(c, j, nil))
}

// batch answers GET /batch/{batchId}. A key reads the batches of its
// account (another account's is not_found), an anonymous caller the one
// its unguessable batch id names.
func (h *handler) batch(c *call) error {
	id, ok := h.batchJobID(c, c.r.PathValue("batchId"))
	if !ok {
		return fmt.Errorf("%w: no batch %q", apierror.ErrNotFound, c.r.PathValue("batchId"))
	}
	j, err := h.d.Jobs.Get(c.ctx, id)
	if err != nil {
		return err
	}
	if j.Kind != job.KindSign && j.Kind != job.KindVerify {
		return fmt.Errorf("%w: no batch %q", apierror.ErrNotFound, c.r.PathValue("batchId"))
	}
	items, err := j.QueryItems().Order(ent.Asc(jobitem.FieldID)).All(c.ctx)
	if err != nil {
		return fmt.Errorf("op: items of batch %d: %w", j.ID, err)
	}
	return c.ok(http.StatusOK, h.batchOf(c, j, items))
}

// batchID is the id the API shows for a job: its id for a key's job, a
// token for an anonymous one.
func (h *handler) batchID(c *call, j *ent.Job) string {
	if !c.anonymous {
		return strconv.Itoa(j.ID)
	}
	expires := j.CreatedAt.Add(365 * 24 * time.Hour)
	if j.ExpiresAt != nil {
		expires = *j.ExpiresAt
	}
	return h.d.Downloads.Token(download.Grant{Key: batchGrantPrefix + strconv.Itoa(j.ID), Expires: expires})
}

// batchJobID resolves a batch id for the caller.
func (h *handler) batchJobID(c *call, batchID string) (int, bool) {
	if c.anonymous {
		g, err := h.d.Downloads.Check(batchID)
		if err != nil {
			return 0, false
		}
		rest, ok := strings.CutPrefix(g.Key, batchGrantPrefix)
		if !ok {
			return 0, false
		}
		batchID = rest
	}
	id, err := strconv.Atoi(batchID)
	return id, err == nil && id > 0
}

// batchOf describes a job and its items.
func (h *handler) batchOf(c *call, j *ent.Job, items []*ent.JobItem) batchResponse {
	out := batchResponse{
		BatchID:        h.batchID(c, j),
		Type:           strings.ToLower(string(j.Kind)),
		FileCount:      j.TotalAssets,
		CompletedCount: j.CompletedAssets + j.FailedAssets,
		Status:         strings.ToLower(string(j.Status)),
		Results:        make([]batchResult, 0, len(items)),
	}
	for _, it := range items {
		r := batchResult{FileName: it.FileName, Status: strings.ToLower(string(it.Status))}
		if s, ok := it.Result["verificationId"].(string); ok {
			r.VerifyID = &s
		}
		if s, ok := it.Result["trustTier"].(string); ok {
			t := strings.ToLower(s)
			r.Tier = &t
		}
		if j.Kind == job.KindSign && it.Status == jobitem.StatusCompleted && it.AssetID != nil {
			if a, err := h.d.Client.Asset.Get(c.ctx, *it.AssetID); err == nil {
				if link, _, err := h.downloadLink(a); err == nil {
					r.SignedFileURL = &link
				}
			}
		}
		if it.Status == jobitem.StatusFailed {
			r.Error = itemError(it.Error)
		}
		out.Results = append(out.Results, r)
	}
	return out
}

// itemError maps an item's recorded error ("CODE: message") onto the
// API's codes.
func itemError(recorded string) *batchError {
	code, msg, _ := strings.Cut(recorded, ": ")
	e := &batchError{Code: CodeInternal, Message: "internal error"}
	if m, ok := codes[apierror.Code(code)]; ok {
		e.Code, e.Message = m.code, msg
	}
	if e.Code == CodeInvalidRequest {
		e.Code = CodeInvalidFile
	}
	return e
}
