// Package quota counts what callers use — scans, signs, verifies, requests —
// in calendar windows stored in the database, so that every instance on one
// database enforces the same rate limits and plan quotas, and refuses with
// an ExceededError (RATE_LIMITED) that says when to retry. It knows nothing
// of HTTP: the GraphQL and REST layers turn its results into responses.
package quota
