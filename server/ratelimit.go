package server

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"provgraph/apierror"
)

// keyLimiter is a token bucket per API key: each key may make rps requests
// a second on average, in bursts of up to burst. It is this instance's own
// guard against bursts, kept in memory; the limits every instance shares
// are counted by package quota.
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

// retryAfter is the longest a refused key waits for its next token.
func (l *keyLimiter) retryAfter() time.Duration {
	return time.Duration(float64(time.Second) / float64(l.rps))
}

// burstError refuses an operation for which its key's bucket has no token.
type burstError struct{ retryAfter time.Duration }

// Error implements error.
func (e *burstError) Error() string { return "rate limited: too many requests with this API key" }

// Unwrap makes a burstError match apierror.ErrRateLimited.
func (e *burstError) Unwrap() error { return apierror.ErrRateLimited }

// RetryAfterSeconds is retryAfter in whole seconds, at least one.
func (e *burstError) RetryAfterSeconds() int {
	return max(1, int(math.Ceil(e.retryAfter.Seconds())))
}
