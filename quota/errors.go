package quota

import (
	"errors"
	"fmt"
	"math"
	"time"

	"provgraph/apierror"
)

var (
	// ErrInvalidLimit means a Limit or an amount passed to the Service is
	// malformed: no subject, no name, an unknown window, a negative amount.
	ErrInvalidLimit = errors.New("quota: invalid limit")
	// ErrInTransaction means Consume was called with a transaction in its
	// context. Counts commit in a transaction of their own, before the
	// caller's work: on SQLite, opening it under the caller's write lock
	// would wait for that lock forever.
	ErrInTransaction = errors.New("quota: called inside a transaction; take quota before opening one")
)

// ExceededError reports a limit that the amount asked for would exceed.
// Nothing was counted. It matches apierror.ErrRateLimited.
type ExceededError struct {
	// Limit is the limit that refused; when several would, the one that
	// resets last.
	Limit Limit
	// Requested is the amount that was asked for.
	Requested int
	// Remaining is what the window still allows: zero once the limit is
	// reached, more when the request asked for more than was left.
	Remaining int
	// Reset is when the limit's window ends and its count starts again.
	Reset time.Time
	// RetryAfter is how long from the refusal until Reset.
	RetryAfter time.Duration
}

// Error implements error with a message fit for the caller.
func (e *ExceededError) Error() string {
	left := ""
	if e.Remaining > 0 {
		left = fmt.Sprintf(" (%d left, %d asked)", e.Remaining, e.Requested)
	}
	return fmt.Sprintf("rate limited: %s %s limit of %d a %s is reached%s; retry after %s",
		e.Limit.Subject.owner(), e.Limit.Name, e.Limit.Max, e.Limit.Window,
		left, e.Reset.UTC().Format(time.RFC3339))
}

// Unwrap makes an ExceededError match apierror.ErrRateLimited.
func (e *ExceededError) Unwrap() error { return apierror.ErrRateLimited }

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up and at least
// one, as a Retry-After header or a GraphQL extension carries it.
func (e *ExceededError) RetryAfterSeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}
