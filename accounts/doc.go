// Package accounts manages tenants and their API keys: creating, hashing,
// verifying and revoking keys, and bootstrapping the first admin account.
// It is called by the GraphQL resolvers, the REST layer and the server's
// authentication middleware alike.
package accounts
