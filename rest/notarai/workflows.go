package notarai

import (
	"net/http"
	"strings"
	"time"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/workflow"
)

// workflowView is a workflow as the API shows it.
type workflowView struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Steps        []string  `json:"steps"`
	CollectionID *string   `json:"collectionId"`
	Enabled      bool      `json:"enabled"`
	CreatedAt    time.Time `json:"createdAt"`
}

// workflowList answers GET /workflows.
type workflowList struct {
	Workflows []workflowView `json:"workflows"`
	Total     int            `json:"total"`
	Limit     int            `json:"limit"`
	Offset    int            `json:"offset"`
}

// listWorkflows serves GET /workflows, newest first.
func (a *api) listWorkflows(r *http.Request) (reply, error) {
	p, err := pageOf(r)
	if err != nil {
		return reply{}, err
	}
	ctx := r.Context()
	q := db.ClientFrom(ctx, a.d.Client).Workflow.Query()
	total, err := q.Clone().Count(ctx)
	if err != nil {
		return reply{}, err
	}
	ws, err := q.Order(ent.Desc(workflow.FieldCreatedAt), ent.Desc(workflow.FieldID)).Offset(p.offset).Limit(p.limit).All(ctx)
	if err != nil {
		return reply{}, err
	}
	out := workflowList{Workflows: make([]workflowView, len(ws)), Total: total, Limit: p.limit, Offset: p.offset}
	for i, w := range ws {
		v := workflowView{
			ID:        a.ids.Encode(KindWorkflow, w.ID),
			Name:      w.Name,
			Steps:     make([]string, len(w.Steps)),
			Enabled:   w.Enabled,
			CreatedAt: w.CreatedAt.UTC(),
		}
		for j, st := range w.Steps {
			v.Steps[j] = strings.ToLower(st)
		}
		if w.CollectionID != nil {
			id := a.ids.Encode(KindCollection, *w.CollectionID)
			v.CollectionID = &id
		}
		out.Workflows[i] = v
	}
	return ok(out), nil
}

// runWorkflow serves POST /workflows/{id}: a run over the uploaded files
// (repeated file fields). The caller needs the scope of every step too.
func (a *api) runWorkflow(r *http.Request) (reply, error) {
	id, err := a.decodeID(KindWorkflow, "id", r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	f, err := parseForm(r)
	defer f.close()
	if err != nil {
		return reply{}, err
	}
	files, closeFiles, err := f.openAll(a.o.MaxFileBytes)
	defer closeFiles()
	if err != nil {
		return reply{}, err
	}
	j, err := a.d.Workflows.Run(r.Context(), id, files)
	if err != nil {
		return reply{}, err
	}
	return a.queued(j), nil
}

// runWorkflowOnCollection serves POST /workflows/{id}/run-collection:
// {collectionId}.
func (a *api) runWorkflowOnCollection(r *http.Request) (reply, error) {
	id, err := a.decodeID(KindWorkflow, "id", r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	var req struct {
		CollectionID *string `json:"collectionId"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return reply{}, err
	}
	if req.CollectionID == nil {
		return reply{}, invalidField("collectionId", "is required")
	}
	cid, err := a.decodeID(KindCollection, "collectionId", *req.CollectionID)
	if err != nil {
		return reply{}, err
	}
	j, err := a.d.Workflows.RunOnCollection(r.Context(), id, cid)
	if err != nil {
		return reply{}, err
	}
	return a.queued(j), nil
}
