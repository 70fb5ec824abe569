package events

import (
	"sync"

	"provgraph/ent"
)

// subscriberBuffer is how many events a slow subscriber may fall behind
// before it is dropped; a dropped subscriber resumes with its last event ID.
const subscriberBuffer = 64

// Broker fans events out to the subscribers of their account, within one
// process.
type Broker struct {
	mu   sync.Mutex
	subs map[int]map[chan *ent.Event]struct{}
}

// NewBroker returns a Broker with no subscribers.
func NewBroker() *Broker {
	return &Broker{subs: make(map[int]map[chan *ent.Event]struct{})}
}

// Subscribe registers a subscriber to the events of accountID. The channel
// is closed when cancel is called or when the subscriber falls too far
// behind; cancel must be called in any case.
func (b *Broker) Subscribe(accountID int) (events <-chan *ent.Event, cancel func()) {
	ch := make(chan *ent.Event, subscriberBuffer)
	b.mu.Lock()
	if b.subs[accountID] == nil {
		b.subs[accountID] = make(map[chan *ent.Event]struct{})
	}
	b.subs[accountID][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() { b.remove(accountID, ch) }
}

func (b *Broker) remove(accountID int, ch chan *ent.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[accountID][ch]; !ok {
		return
	}
	delete(b.subs[accountID], ch)
	if len(b.subs[accountID]) == 0 {
		delete(b.subs, accountID)
	}
	close(ch)
}

// Publish sends e to the subscribers of its account without blocking.
func (b *Broker) Publish(e *ent.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[e.AccountID] {
		select {
		case ch <- e:
		default:
			delete(b.subs[e.AccountID], ch)
			close(ch)
		}
	}
}

// Subscribers returns the number of subscribers registered now.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, subs := range b.subs {
		n += len(subs)
	}
	return n
}

// Accounts returns the accounts that have subscribers now.
func (b *Broker) Accounts() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	ids := make([]int, 0, len(b.subs))
	for id := range b.subs {
		ids = append(ids, id)
	}
	return ids
}
