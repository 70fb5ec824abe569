// Package rest holds the REST compatibility layer: one package per v1 API
// that provgraph replaces (op, notarai, numbers), each parsing requests the
// way that API documents them, calling the same services as the GraphQL
// resolvers, and writing that API's JSON shapes, status codes, headers and
// error envelope. No business logic lives in this layer.
package rest
