package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"

	"provgraph/ent"
	"provgraph/ent/event"
	"provgraph/ent/schema/tenant"
)

// Listener receives the events every instance announces on Channel and
// publishes them to this instance's Broker: it is how a subscriber on one
// instance sees the work of another. After a lost connection it replays,
// from the Event table, what its subscribers' accounts recorded meanwhile.
type Listener struct {
	client *ent.Client
	broker *Broker
	log    *slog.Logger
	pql    *pq.Listener

	mu    sync.Mutex
	floor int         // the newest event ID when listening started
	last  map[int]int // account ID → newest event ID published

	stop chan struct{}
	done chan struct{}
}

// Listen connects to the PostgreSQL database at url, listens on Channel
// and publishes what arrives to broker until Close.
func Listen(ctx context.Context, url string, client *ent.Client, broker *Broker, log *slog.Logger) (*Listener, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Listener{client: client, broker: broker, log: log, last: map[int]int{},
		stop: make(chan struct{}), done: make(chan struct{})}
	l.pql = pq.NewListener(url, 100*time.Millisecond, 5*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			log.Warn("events listener", slog.Any("error", err))
		}
	})
	if err := l.pql.Listen(Channel); err != nil {
		_ = l.pql.Close()
		return nil, fmt.Errorf("events: listening on %s: %w", Channel, err)
	}
	newest, err := client.Event.Query().Order(ent.Desc(event.FieldID)).Limit(1).IDs(tenant.WithSystem(ctx))
	if err != nil {
		_ = l.pql.Close()
		return nil, fmt.Errorf("events: listening: %w", err)
	}
	floor := 0
	if len(newest) == 1 {
		floor = newest[0]
	}
	l.floor = floor
	go l.run()
	return l, nil
}

// Close stops listening and waits for the listener to finish.
func (l *Listener) Close() error {
	close(l.stop)
	<-l.done
	return l.pql.Close()
}

func (l *Listener) run() {
	defer close(l.done)
	ctx := tenant.WithSystem(context.Background())
	for {
		select {
		case <-l.stop:
			return
		case n := <-l.pql.Notify:
			if n == nil {
				// The connection was lost and is back: notifications of
				// the gap are gone, the table still has the events.
				l.catchUp(ctx)
				continue
			}
			l.receive(ctx, n.Extra)
		case <-time.After(time.Minute):
			go func() { _ = l.pql.Ping() }()
		}
	}
}

func (l *Listener) receive(ctx context.Context, extra string) {
	var w wireEvent
	if err := json.Unmarshal([]byte(extra), &w); err != nil || w.ID == 0 {
		l.log.Warn("events listener: unreadable notification", slog.String("payload", extra))
		return
	}
	var e *ent.Event
	if w.Kind == "" {
		var err error
		if e, err = l.client.Event.Get(ctx, w.ID); err != nil {
			l.log.Warn("events listener: loading event", slog.Int("id", w.ID), slog.Any("error", err))
			return
		}
	} else {
		e = &ent.Event{ID: w.ID, AccountID: w.AccountID, Kind: w.Kind, SubjectID: w.SubjectID,
			Payload: w.Payload, CreatedAt: time.Unix(0, w.CreatedAt).UTC()}
	}
	l.publish(e)
}

func (l *Listener) publish(e *ent.Event) {
	l.mu.Lock()
	if e.ID <= l.last[e.AccountID] {
		l.mu.Unlock()
		return
	}
	l.last[e.AccountID] = e.ID
	l.mu.Unlock()
	l.broker.Publish(e)
}

// catchUp publishes, for every account with subscribers, the events
// recorded after the last one published.
func (l *Listener) catchUp(ctx context.Context) {
	for _, account := range l.broker.Accounts() {
		l.mu.Lock()
		after := max(l.last[account], l.floor)
		l.mu.Unlock()
		evs, err := l.client.Event.Query().
			Where(event.AccountID(account), event.IDGT(after)).
			Order(ent.Asc(event.FieldID)).
			Limit(maxReplay).
			All(ctx)
		if err != nil {
			l.log.Warn("events listener: catching up", slog.Int("account", account), slog.Any("error", err))
			continue
		}
		for _, e := range evs {
			l.publish(e)
		}
	}
}
