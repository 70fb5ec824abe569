// Package notarai serves the NotarAI v1 REST API (mounted at
// /notarai/api/v1): its Bearer keys and scopes, request forms, JSON shapes,
// status codes, rate-limit headers and {error, code} envelope, mapped onto
// the services the GraphQL resolvers call. It holds no business logic:
// every decision about scanning, signing, quotas or jobs is the services'.
package notarai
