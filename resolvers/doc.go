// Package resolvers implements the GraphQL schema of schema/*.graphql. The
// *.resolvers.go files follow the schema files one to one and stay thin:
// each resolver is one call into ent or a domain service. Resolvers never
// hold business rules; the services beside them do.
package resolvers
