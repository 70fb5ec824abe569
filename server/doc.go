// Package server is the HTTP wiring of provgraph serve: routes, middleware
// (request IDs, logging, recovery, body limits, API-key authentication),
// the GraphQL endpoint with its WebSocket transport, health checks and the
// embedded GraphiQL page. It holds no business rules: it calls resolvers
// and services.
package server
