package notarai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/job"
	"provgraph/ent/jobitem"
)

// jobType is a NotarAI job list: its jobs are of one kind.
type jobType job.Kind

// The job lists.
const (
	jobSign = jobType(job.KindSign)
	jobScan = jobType(job.KindScan)
)

// jobView is a job as the API shows it, under "job".
type jobView struct {
	ID             string     `json:"id"`
	Type           string     `json:"type"`
	Status         string     `json:"status"`
	CollectionID   *string    `json:"collectionId"`
	WorkflowID     *string    `json:"workflowId"`
	TotalItems     int        `json:"totalItems"`
	CompletedItems int        `json:"completedItems"`
	FailedItems    int        `json:"failedItems"`
	Error          *string    `json:"error"`
	CreatedAt      time.Time  `json:"createdAt"`
	StartedAt      *time.Time `json:"startedAt"`
	CompletedAt    *time.Time `json:"completedAt"`
	Items          *[]jobItem `json:"items,omitempty"`
}

// jobItem is one file or record of a job.
type jobItem struct {
	FileName  *string `json:"fileName"`
	RecordID  *string `json:"recordId"`
	Status    string  `json:"status"`
	Error     *string `json:"error"`
	VerifyURL *string `json:"verifyUrl"`
}

// jobReply wraps one job.
type jobReply struct {
	Job jobView `json:"job"`
}

// jobList answers the job lists.
type jobList struct {
	Jobs   []jobView `json:"jobs"`
	Total  int       `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
}

// viewOf is j as the API shows it.
func (a *api) viewOf(j *ent.Job) jobView {
	v := jobView{
		ID:             a.ids.Encode(KindJob, j.ID),
		Type:           strings.ToLower(string(j.Kind)),
		Status:         strings.ToLower(string(j.Status)),
		TotalItems:     j.TotalAssets,
		CompletedItems: j.CompletedAssets,
		FailedItems:    j.FailedAssets,
		CreatedAt:      j.CreatedAt.UTC(),
		StartedAt:      utc(j.StartedAt),
		CompletedAt:    utc(j.CompletedAt),
	}
	if j.CollectionID != nil {
		id := a.ids.Encode(KindCollection, *j.CollectionID)
		v.CollectionID = &id
	}
	if j.WorkflowID != nil {
		id := a.ids.Encode(KindWorkflow, *j.WorkflowID)
		v.WorkflowID = &id
	}
	if j.Error != "" {
		v.Error = &j.Error
	}
	return v
}

// itemOf is a job item as the API shows it.
func (a *api) itemOf(it *ent.JobItem) jobItem {
	out := jobItem{Status: strings.ToLower(string(it.Status))}
	if it.FileName != "" {
		out.FileName = &it.FileName
	}
	if it.AssetID != nil {
		id := a.ids.Encode(KindRecord, *it.AssetID)
		out.RecordID = &id
	}
	if it.Error != "" {
		out.Error = &it.Error
	}
	if pid, ok := it.Result["verificationId"].(string); ok && pid != "" {
		u := a.d.Verifications.URL(&ent.Verification{PublicID: pid})
		out.VerifyURL = &u
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// accepted202 answers a job just created.
func (a *api) queued(j *ent.Job) reply {
	return reply{http.StatusAccepted, jobReply{Job: a.viewOf(j)}}
}

// signJobRequest is the body of POST /sign-jobs and, without recordIds,
// of POST /collections/{id}/sign.
type signJobRequest struct {
	RecordIDs    []string        `json:"recordIds"`
	CollectionID *string         `json:"collectionId"`
	Declaration  json.RawMessage `json:"declaration"`
}

// createSignJob serves POST /sign-jobs: recordIds or collectionId, and a
// declaration.
func (a *api) createSignJob(r *http.Request) (reply, error) {
	var req signJobRequest
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	var collectionID *int
	if req.CollectionID != nil {
		id, err := a.decodeID(KindCollection, "collectionId", *req.CollectionID)
		if err != nil {
			return reply{}, err
		}
		collectionID = &id
	}
	ids := make([]int, len(req.RecordIDs))
	for i, t := range req.RecordIDs {
		id, err := a.decodeID(KindRecord, "recordIds", t)
		if err != nil {
			return reply{}, err
		}
		ids[i] = id
	}
	return a.signJob(r, ids, collectionID, req.Declaration)
}

// signJob queues a sign job after reading its declaration.
func (a *api) signJob(r *http.Request, ids []int, collectionID *int, raw json.RawMessage) (reply, error) {
	d, err := declarationIn(raw)
	if err != nil {
		return reply{}, err
	}
	j, err := a.d.Jobs.CreateSign(r.Context(), ids, collectionID, d)
	if err != nil {
		return reply{}, err
	}
	return a.queued(j), nil
}

// createScanJob serves POST /scan-jobs: repeated file fields and an
// optional collectionId.
func (a *api) createScanJob(r *http.Request) (reply, error) {
	f, err := parseForm(r)
	defer f.close()
	if err != nil {
		return reply{}, err
	}
	var collectionID *int
	if text, given := f.value("collectionId"); given {
		id, err := a.decodeID(KindCollection, "collectionId", text)
		if err != nil {
			return reply{}, err
		}
		collectionID = &id
	}
	return a.scanJob(r, f, collectionID)
}

// scanJob queues a scan job over the files of f.
func (a *api) scanJob(r *http.Request, f *form, collectionID *int) (reply, error) {
	files, closeFiles, err := f.openAll(a.o.MaxFileBytes)
	defer closeFiles()
	if err != nil {
		return reply{}, err
	}
	j, err := a.d.Jobs.CreateScan(r.Context(), files, collectionID)
	if err != nil {
		return reply{}, err
	}
	return a.queued(j), nil
}

// listJobs serves GET /sign-jobs and GET /scan-jobs: ?status=, ?limit=,
// ?offset= and, for scan jobs, ?collectionId=.
func (a *api) listJobs(t jobType) routeFunc {
	return func(r *http.Request) (reply, error) {
		p, err := pageOf(r)
		if err != nil {
			return reply{}, err
		}
		ctx := r.Context()
		q := db.ClientFrom(ctx, a.d.Client).Job.Query().Where(job.KindEQ(job.Kind(t)))
		if s := r.URL.Query().Get("status"); s != "" {
			st := job.Status(strings.ToUpper(s))
			if job.StatusValidator(st) != nil {
				return reply{}, invalidField("status", "must be one of queued, processing, completed, failed, cancelled")
			}
			q.Where(job.StatusEQ(st))
		}
		if text := r.URL.Query().Get("collectionId"); text != "" && t == jobScan {
			id, err := a.decodeID(KindCollection, "collectionId", text)
			if err != nil {
				return reply{}, err
			}
			q.Where(job.CollectionID(id))
		}
		total, err := q.Clone().Count(ctx)
		if err != nil {
			return reply{}, err
		}
		js, err := q.Order(ent.Desc(job.FieldCreatedAt), ent.Desc(job.FieldID)).Offset(p.offset).Limit(p.limit).All(ctx)
		if err != nil {
			return reply{}, err
		}
		out := jobList{Jobs: make([]jobView, len(js)), Total: total, Limit: p.limit, Offset: p.offset}
		for i, j := range js {
			out.Jobs[i] = a.viewOf(j)
		}
		return ok(out), nil
	}
}

// getJob serves GET /sign-jobs/{id} and GET /scan-jobs/{id}; a workflow
// run is found under either. ?items=true adds the items.
func (a *api) getJob(t jobType) routeFunc {
	return func(r *http.Request) (reply, error) {
		id, err := a.decodeID(KindJob, "id", r.PathValue("id"))
		if err != nil {
			return reply{}, err
		}
		ctx := r.Context()
		j, err := a.d.Jobs.Get(ctx, id)
		if err != nil {
			return reply{}, err
		}
		if j.Kind != job.Kind(t) && j.Kind != job.KindWorkflow {
			return reply{}, fmt.Errorf("job %d is a %s job: %w", id, j.Kind, errNotFound)
		}
		v := a.viewOf(j)
		if r.URL.Query().Get("items") == "true" {
			its, err := j.QueryItems().Order(ent.Asc(jobitem.FieldID)).All(ctx)
			if err != nil {
				return reply{}, err
			}
			items := make([]jobItem, len(its))
			for i, it := range its {
				items[i] = a.itemOf(it)
			}
			v.Items = &items
		}
		return ok(jobReply{Job: v}), nil
	}
}
