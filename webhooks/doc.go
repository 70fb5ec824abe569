// Package webhooks delivers an account's events to the HTTP endpoints it
// registered: each message is signed in the Standard Webhooks scheme and
// sent by a River job that retries with exponential backoff, and every
// attempt is recorded. Deliveries go out only through the outbound policy,
// so a webhook cannot reach private addresses; the package knows nothing of
// GraphQL or REST.
package webhooks
