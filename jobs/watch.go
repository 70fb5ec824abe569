package jobs

import (
	"context"
	"strconv"

	"provgraph/ent"
)

// jobEvents are the event kinds that carry a job's state.
var jobEvents = []string{EventCreated, EventStarted, EventProgress, EventCompleted, EventFailed, EventCancelled}

// Watch streams a job of the caller's account: its current state at once,
// then its state after every change, closing after a final status (or when
// ctx is done). Events are subscribed before the job is read, so no change
// falls between the two.
func (s *Service) Watch(ctx context.Context, id int) (<-chan *ent.Job, error) {
	ctx, cancel := context.WithCancel(ctx)
	evs, err := s.events.Subscribe(ctx, jobEvents, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	base, err := s.Get(ctx, id)
	if err != nil {
		cancel()
		return nil, err
	}
	subject := strconv.Itoa(id)
	out := make(chan *ent.Job, 1)
	go func() {
		defer close(out)
		defer cancel()
		cur := base
		if !send(ctx, out, cur) || terminal(cur.Status) {
			return
		}
		for e := range evs {
			if e.SubjectID != subject {
				continue
			}
			j, err := applySnapshot(base, e.Payload)
			if err != nil {
				s.log.WarnContext(ctx, "jobs: unreadable job event", "event", e.ID, "error", err)
				continue
			}
			if !newer(cur, j) {
				continue
			}
			cur = j
			if !send(ctx, out, cur) || terminal(cur.Status) {
				return
			}
		}
	}()
	return out, nil
}

// WatchAll streams the caller's jobs each time one is created, progresses
// or ends, until ctx is done.
func (s *Service) WatchAll(ctx context.Context) (<-chan *ent.Job, error) {
	evs, err := s.events.Subscribe(ctx, jobEvents, nil)
	if err != nil {
		return nil, err
	}
	out := make(chan *ent.Job, 1)
	go func() {
		defer close(out)
		bases := map[string]*ent.Job{}
		for e := range evs {
			base, ok := bases[e.SubjectID]
			if !ok {
				id, err := strconv.Atoi(e.SubjectID)
				if err != nil {
					continue
				}
				if base, err = s.Get(ctx, id); err != nil {
					continue // removed since
				}
				if len(bases) > 1000 {
					clear(bases)
				}
				bases[e.SubjectID] = base
			}
			j, err := applySnapshot(base, e.Payload)
			if err != nil {
				continue
			}
			if !send(ctx, out, j) {
				return
			}
		}
	}()
	return out, nil
}

func send(ctx context.Context, out chan<- *ent.Job, j *ent.Job) bool {
	select {
	case out <- j:
		return true
	case <-ctx.Done():
		return false
	}
}
