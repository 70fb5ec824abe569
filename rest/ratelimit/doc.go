// Package ratelimit writes the rate-limit headers the REST APIs document
// (X-RateLimit-Limit, -Remaining, -Reset) from the database-counted usage
// of package quota. It counts nothing itself.
package ratelimit
