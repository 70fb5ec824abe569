// Package op serves the OP Protocol v1 REST API (mounted at /op/api/v1)
// over the same services as the GraphQL resolvers: it parses requests the
// way the OP Protocol documents them, counts its per-tier rate limits and
// writes its JSON shapes, headers and error envelope. It holds no business
// logic; OpenAPI returns its OpenAPI 3.1 document.
package op
