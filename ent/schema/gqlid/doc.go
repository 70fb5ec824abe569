// Package gqlid is the GraphQL ID scalar of the graph: the ent ID (an int,
// globally unique by type range) as a string on the wire. It differs from
// gqlgen's graphql.IntID only in its error: a malformed ID is the client's
// mistake (INVALID_INPUT), not an internal error.
package gqlid
