package events_test

import (
	"testing"

	"provgraph/ent"
	"provgraph/events"
)

func TestBroker(t *testing.T) {
	b := events.NewBroker()
	mine, cancelMine := b.Subscribe(1)
	theirs, cancelTheirs := b.Subscribe(2)
	defer cancelTheirs()

	b.Publish(&ent.Event{ID: 10, AccountID: 1, Kind: "a"})
	if e := <-mine; e.ID != 10 {
		t.Fatalf("got %+v", e)
	}
	select {
	case e := <-theirs:
		t.Fatalf("account 2 received account 1's event %+v", e)
	default:
	}

	cancelMine()
	if _, ok := <-mine; ok {
		t.Fatal("channel open after cancel")
	}
	cancelMine() // idempotent
	b.Publish(&ent.Event{ID: 11, AccountID: 1})

	// A subscriber that stops reading is dropped rather than blocking
	// publishers: its channel closes after the buffered events.
	for i := range 1000 {
		b.Publish(&ent.Event{ID: 100 + i, AccountID: 2})
	}
	n := 0
	for range theirs {
		n++
	}
	if n == 0 || n >= 1000 {
		t.Fatalf("slow subscriber received %d events, want its buffer then a close", n)
	}
}
