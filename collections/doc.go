// Package collections is the service behind collections: named groups of
// assets. GraphQL resolvers and the REST layer both call it; it records an
// event for every change.
package collections
