package resolvers

import (
	"provgraph/accounts"
	"provgraph/collections"
	"provgraph/ent"
	"provgraph/events"
)

// Resolver is the root of the GraphQL resolvers: the dependencies they call
// and nothing else.
type Resolver struct {
	// Client reads the graph (lists, node lookups); it is tenant-scoped by
	// the ent schema.
	Client *ent.Client
	// Accounts manages the caller's account and API keys.
	Accounts *accounts.Service
	// Collections creates and changes collections.
	Collections *collections.Service
	// Events records and streams the event log.
	Events *events.Service
}
