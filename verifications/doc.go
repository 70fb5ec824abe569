// Package verifications runs C2PA validation for the API and keeps the
// results: cached verifications of uploaded files and stored assets (they
// expire), and the public verification records of signed assets. GraphQL
// resolvers, the REST layer and the public pages call it; it knows nothing
// of HTTP.
package verifications
