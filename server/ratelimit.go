package server

import (
	"sync"

	"golang.org/x/time/rate"
)

// keyLimiter is a token bucket per API key: each key may make rps requests
// a second on average, in bursts of up to burst.
type keyLimiter struct {
	rps   rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[int]*rate.Limiter
}

// newKeyLimiter returns a limiter, or nil (no limit) when rps is zero.
func newKeyLimiter(rps float64, burst int) *keyLimiter {
	if rps <= 0 {
		return nil
	}
	return &keyLimiter{rps: rate.Limit(rps), burst: max(burst, 1), buckets: make(map[int]*rate.Limiter)}
}

// allow takes a token for key, reporting whether there was one.
func (l *keyLimiter) allow(key int) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.rps, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	return b.Allow()
}
