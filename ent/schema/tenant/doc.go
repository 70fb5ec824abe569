// Package tenant carries the caller of a request through its context: the
// account every query is scoped to, the API key used, and its scopes. The
// ent schema reads it to isolate tenants; it must stay free of service code
// so that the schema can import it without a cycle.
package tenant
