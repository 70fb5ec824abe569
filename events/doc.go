// Package events records the append-only event log of each account and
// fans new events out to live subscribers (GraphQL subscriptions, later
// webhooks). Publishing happens after the recording transaction commits,
// so a subscriber never sees an event that was rolled back.
package events
