package ratelimit

import (
	"net/http"
	"strconv"

	"provgraph/quota"
)

// SetHeaders writes the X-RateLimit-* headers of u: its limit,
// what remains of it, and when its window resets (Unix seconds); nothing
// for no limit.
func SetHeaders(h http.Header, u quota.Usage) {
	if u.Limit.Max <= 0 {
		return
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(u.Limit.Max))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(u.Remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(u.Reset.Unix(), 10))
}
