package events

import (
	"context"
	"fmt"
	"strconv"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/event"
	"provgraph/ent/schema/tenant"
)

// maxReplay bounds the events a resuming subscriber is sent before live
// ones; a client further behind pages through the events query first.
const maxReplay = 1000

// Service records and streams the events of the caller's account.
type Service struct {
	client *ent.Client
	broker *Broker
}

// NewService returns a Service that records with client and publishes
// through broker.
func NewService(client *ent.Client, broker *Broker) *Service {
	return &Service{client: client, broker: broker}
}

// Record appends an event about subjectID (a node ID, 0 for none) to the
// caller's account, in the transaction of ctx if there is one, and
// publishes it once that transaction commits.
func (s *Service) Record(ctx context.Context, kind string, subjectID int, payload map[string]any) (*ent.Event, error) {
	create := db.ClientFrom(ctx, s.client).Event.Create().
		SetKind(kind).
		SetPayload(payload)
	if subjectID != 0 {
		create.SetSubjectID(strconv.Itoa(subjectID))
	}
	e, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("events: recording %s: %w", kind, err)
	}
	if tx := ent.TxFromContext(ctx); tx != nil {
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				if err := next.Commit(ctx, tx); err != nil {
					return err
				}
				s.broker.Publish(e)
				return nil
			})
		})
		return e, nil
	}
	s.broker.Publish(e)
	return e, nil
}

// Subscribe streams the caller's events until ctx is done. With after set,
// the events recorded after that event ID are sent first (a subscriber more
// than maxReplay events behind is refused); live events are registered
// before that replay, so none falls between the two. The channel is closed
// when ctx is done or the subscriber falls too far behind.
func (s *Service) Subscribe(ctx context.Context, after *int) (<-chan *ent.Event, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	live, cancel := s.broker.Subscribe(v.AccountID)
	var backlog []*ent.Event
	if after != nil {
		var err error
		backlog, err = s.client.Event.Query().
			Where(event.IDGT(*after)).
			Order(ent.Asc(event.FieldID)).
			Limit(maxReplay + 1).
			All(ctx)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("events: replaying after %d: %w", *after, err)
		}
		if len(backlog) > maxReplay {
			cancel()
			return nil, &apierror.InvalidFieldError{Field: "after",
				Reason: fmt.Sprintf("more than %d events behind: page through the events query first", maxReplay)}
		}
	}
	out := make(chan *ent.Event, 1)
	go func() {
		defer close(out)
		defer cancel()
		last := 0
		if after != nil {
			last = *after
		}
		send := func(e *ent.Event) bool {
			if e.ID <= last {
				return true
			}
			select {
			case out <- e:
				last = e.ID
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, e := range backlog {
			if !send(e) {
				return
			}
		}
		for {
			select {
			case e, ok := <-live:
				if !ok || !send(e) {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
