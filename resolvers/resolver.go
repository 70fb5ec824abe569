package resolvers

import (
	"provgraph/accounts"
	"provgraph/analytics"
	"provgraph/assets"
	"provgraph/collections"
	"provgraph/ent"
	"provgraph/events"
	"provgraph/jobs"
	"provgraph/signing"
	"provgraph/verifications"
	"provgraph/webhooks"
	"provgraph/workflows"
)

// Resolver is the root of the GraphQL resolvers: the dependencies they call
// and nothing else.
type Resolver struct {
	// Client reads the graph (lists, node lookups); it is tenant-scoped by
	// the ent schema.
	Client *ent.Client
	// Accounts manages the caller's account and API keys.
	Accounts *accounts.Service
	// Assets stores and scans uploads.
	Assets *assets.Service
	// Collections creates and changes collections.
	Collections *collections.Service
	// Events records and streams the event log.
	EventLog *events.Service
	// Signing signs assets and hands out their download URLs.
	Signing *signing.Service
	// Verifier validates files and keeps the verifications.
	Verifier *verifications.Service
	// WebhooksService manages webhooks and reads their delivery attempts.
	WebhooksService *webhooks.Service
	// JobsService creates, cancels, reads and streams jobs.
	JobsService *jobs.Service
	// WorkflowsService keeps and runs workflows.
	WorkflowsService *workflows.Service
	// Analytics answers the aggregates of the analytics query.
	AnalyticsService analytics.Queries
}
