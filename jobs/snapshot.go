package jobs

import (
	"encoding/json"
	"fmt"
	"time"

	"provgraph/ent"
	"provgraph/ent/job"
)

// Snapshot is the state of j that job events carry: enough for a
// subscriber on any instance to show the job without reading it again.
func Snapshot(j *ent.Job) map[string]any {
	m := map[string]any{
		"jobId":           j.ID,
		"kind":            string(j.Kind),
		"status":          string(j.Status),
		"totalAssets":     j.TotalAssets,
		"completedAssets": j.CompletedAssets,
		"failedAssets":    j.FailedAssets,
	}
	if j.StartedAt != nil {
		m["startedAt"] = j.StartedAt.UTC().Format(time.RFC3339Nano)
	}
	if j.CompletedAt != nil {
		m["completedAt"] = j.CompletedAt.UTC().Format(time.RFC3339Nano)
	}
	if j.Error != "" {
		m["error"] = j.Error
	}
	return m
}

// applySnapshot returns a copy of base (a job read from the database, so
// that its edges still resolve) with the state of a job event's payload.
func applySnapshot(base *ent.Job, p map[string]any) (*ent.Job, error) {
	j := *base
	var err error
	num := func(k string) int {
		switch v := p[k].(type) {
		case int:
			return v
		case float64:
			return int(v)
		case json.Number:
			n, _ := v.Int64()
			return int(n)
		default:
			err = fmt.Errorf("jobs: event payload: %s is %T", k, p[k])
			return 0
		}
	}
	when := func(k string) *time.Time {
		s, ok := p[k].(string)
		if !ok {
			return nil
		}
		t, perr := time.Parse(time.RFC3339Nano, s)
		if perr != nil {
			err = fmt.Errorf("jobs: event payload: %s: %w", k, perr)
			return nil
		}
		return &t
	}
	status, _ := p["status"].(string)
	j.Status = job.Status(status)
	if job.StatusValidator(j.Status) != nil {
		return nil, fmt.Errorf("jobs: event payload: status %q", status)
	}
	j.TotalAssets, j.CompletedAssets, j.FailedAssets = num("totalAssets"), num("completedAssets"), num("failedAssets")
	j.StartedAt, j.CompletedAt = when("startedAt"), when("completedAt")
	j.Error, _ = p["error"].(string)
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// terminal reports whether a job or item status is final.
func terminal(s job.Status) bool {
	return s == job.StatusCompleted || s == job.StatusFailed || s == job.StatusCancelled
}

// rank orders statuses the way a job moves through them.
func rank(s job.Status) int {
	switch s {
	case job.StatusQueued:
		return 0
	case job.StatusProcessing:
		return 1
	default:
		return 2
	}
}

// newer reports whether state b comes after state a of the same job.
func newer(a, b *ent.Job) bool {
	if rank(b.Status) != rank(a.Status) {
		return rank(b.Status) > rank(a.Status)
	}
	return b.CompletedAssets+b.FailedAssets > a.CompletedAssets+a.FailedAssets
}
