package events

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/event"
	"provgraph/ent/schema/tenant"
)

// maxReplay bounds the events a resuming subscriber is sent before live
// ones; a client further behind pages through the events query first.
const maxReplay = 1000

// Channel is the PostgreSQL notification channel events are announced on.
const Channel = "provgraph_events"

// accountLock, XORed with an account ID, is the key of the
// transaction-scoped advisory lock that orders the commits of one
// account's events: with it, an account's events become visible in ID order,
// which is what lets a subscriber resume after the last ID it saw.
const accountLock int64 = 0x7067 << 48 // "pg", above every node ID

// Hook runs inside the transaction that records e (ctx carries it), so
// that what it writes (a webhook delivery job) commits with the event or
// not at all.
type Hook func(ctx context.Context, e *ent.Event) error

// Option adjusts a Service.
type Option func(*Service)

// WithNotify makes Record announce every event with pg_notify on Channel
// when its transaction commits, for the Listener of every instance; it is
// for PostgreSQL only. Without it, events are published in-process.
func WithNotify() Option { return func(s *Service) { s.notify = true } }

// Service records and streams the events of the caller's account.
type Service struct {
	client *ent.Client
	broker *Broker
	notify bool

	mu    sync.RWMutex
	hooks []Hook

	pending  map[*ent.Tx][]*ent.Event // recorded in a transaction not yet committed
	commitMu sync.Mutex
}

// NewService returns a Service that records with client and publishes
// through broker.
func NewService(client *ent.Client, broker *Broker, opts ...Option) *Service {
	s := &Service{client: client, broker: broker}
	for _, o := range opts {
		o(s)
	}
	return s
}

// AddHook makes h run for every event recorded from now on.
func (s *Service) AddHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, h)
}

// Record appends an event about subjectID (a node ID, 0 for none) to the
// caller's account, in the transaction of ctx (a new one if there is
// none), runs the hooks in it, and publishes the event once it commits.
//
// On PostgreSQL, recording takes the account's event lock until the
// transaction ends: record events last in a transaction, after its row
// updates, so that two transactions never wait on each other's locks.
func (s *Service) Record(ctx context.Context, kind string, subjectID int, payload map[string]any) (*ent.Event, error) {
	var e *ent.Event
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		var err error
		e, err = s.record(ctx, kind, subjectID, payload)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Lock takes, in the transaction of ctx, the caller's account event lock
// that Record takes (on PostgreSQL; elsewhere it does nothing). A
// transaction that updates rows other event-recording transactions also
// update (a job's counters), and records an event after, takes it first:
// every such transaction then locks in the same order and none waits on
// another in a cycle.
func (s *Service) Lock(ctx context.Context) error {
	if !s.notify {
		return nil
	}
	sqlTx := db.SQLTx(ctx)
	if sqlTx == nil {
		return fmt.Errorf("events: locking: the transaction was not opened through db.WithTx or db.OpenTx")
	}
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return fmt.Errorf("events: locking: %w", tenant.ErrNoViewer)
	}
	if _, err := sqlTx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1::bigint)", accountLock^int64(v.AccountID)); err != nil {
		return fmt.Errorf("events: locking the account's events: %w", err)
	}
	return nil
}

func (s *Service) record(ctx context.Context, kind string, subjectID int, payload map[string]any) (*ent.Event, error) {
	tx := ent.TxFromContext(ctx)
	if err := s.Lock(ctx); err != nil {
		return nil, err
	}
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
	s.mu.RLock()
	hooks := slices.Clone(s.hooks)
	s.mu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, e); err != nil {
			return nil, fmt.Errorf("events: after recording %s: %w", kind, err)
		}
	}
	if s.notify {
		if _, err := db.SQLTx(ctx).ExecContext(ctx, "SELECT pg_notify($1, $2)", Channel, notification(e)); err != nil {
			return nil, fmt.Errorf("events: announcing %s: %w", kind, err)
		}
		return e, nil
	}
	s.publishOnCommit(tx, e)
	return e, nil
}

// publishOnCommit publishes e once tx commits, after the events recorded
// before it in tx. Commits are serialised by the database (SQLite has one
// writer); holding commitMu from commit to publish makes the publishing
// order that order too, which is ID order.
func (s *Service) publishOnCommit(tx *ent.Tx, e *ent.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[*ent.Tx][]*ent.Event{}
	}
	first := len(s.pending[tx]) == 0
	s.pending[tx] = append(s.pending[tx], e)
	if !first {
		return
	}
	take := func() []*ent.Event {
		s.mu.Lock()
		defer s.mu.Unlock()
		evs := s.pending[tx]
		delete(s.pending, tx)
		return evs
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			s.commitMu.Lock()
			defer s.commitMu.Unlock()
			err := next.Commit(ctx, tx)
			evs := take()
			if err != nil {
				return err
			}
			for _, e := range evs {
				s.broker.Publish(e)
			}
			return nil
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			take()
			return next.Rollback(ctx, tx)
		})
	})
}

// maxNotification keeps a notification under PostgreSQL's 8000-byte limit;
// a larger event is announced by its ID alone and loaded by the listener.
const maxNotification = 7900

// wireEvent is an event as a notification carries it.
type wireEvent struct {
	ID        int            `json:"id"`
	AccountID int            `json:"a"`
	Kind      string         `json:"k,omitempty"`
	SubjectID string         `json:"s,omitempty"`
	Payload   map[string]any `json:"p,omitempty"`
	CreatedAt int64          `json:"t,omitempty"` // Unix nanoseconds
}

func notification(e *ent.Event) string {
	b, err := json.Marshal(wireEvent{ID: e.ID, AccountID: e.AccountID, Kind: e.Kind,
		SubjectID: e.SubjectID, Payload: e.Payload, CreatedAt: e.CreatedAt.UnixNano()})
	if err != nil || len(b) > maxNotification {
		b, _ = json.Marshal(wireEvent{ID: e.ID, AccountID: e.AccountID})
	}
	return string(b)
}

// Subscribe streams the caller's events of the given kinds (all when kinds
// is empty), in ID order, until ctx is done. With after set, the events
// recorded after that event ID are sent first (a subscriber more than
// maxReplay events behind is refused: it pages through the events query);
// live events are registered before that replay, so none falls between the
// two. A subscriber that falls behind the live stream is caught up from the
// table rather than dropped. The channel is closed when ctx is done.
func (s *Service) Subscribe(ctx context.Context, kinds []string, after *int) (<-chan *ent.Event, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	live, cancel := s.broker.Subscribe(v.AccountID)
	var backlog []*ent.Event
	last := 0
	if after != nil {
		last = *after
		var err error
		if backlog, err = s.since(ctx, kinds, last); err != nil {
			cancel()
			return nil, err
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
		defer func() { cancel() }()
		send := func(e *ent.Event) bool {
			if e.ID <= last {
				return true
			}
			last = e.ID
			if len(kinds) > 0 && !slices.Contains(kinds, e.Kind) {
				return true
			}
			select {
			case out <- e:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			for _, e := range backlog {
				if !send(e) {
					return
				}
			}
			for open := true; open; {
				select {
				case e, ok := <-live:
					if !ok {
						open = false
					} else if !send(e) {
						return
					}
				case <-ctx.Done():
					return
				}
			}
			// Dropped for falling behind: listen again, then read what
			// was missed from the table (a page at a time).
			cancel()
			live, cancel = s.broker.Subscribe(v.AccountID)
			var err error
			if backlog, err = s.since(ctx, kinds, last); err != nil {
				return
			}
		}
	}()
	return out, nil
}

// Subscribers returns the number of live subscriptions on this instance
// (a figure for monitoring; tests wait on it before they make the events a
// subscription must see).
func (s *Service) Subscribers() int { return s.broker.Subscribers() }

// since returns up to maxReplay+1 of the caller's events after ID after.
func (s *Service) since(ctx context.Context, kinds []string, after int) ([]*ent.Event, error) {
	q := s.client.Event.Query().Where(event.IDGT(after))
	if len(kinds) > 0 {
		q.Where(event.KindIn(kinds...))
	}
	evs, err := q.Order(ent.Asc(event.FieldID)).Limit(maxReplay + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("events: replaying after %d: %w", after, err)
	}
	return evs, nil
}
