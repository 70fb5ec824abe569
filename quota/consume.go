package quota

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/usagecounter"
)

// upsertCount adds $4 to the counter ($1, $2, $3), creating it if needed,
// and returns the new count: one statement, which both SQLite and
// PostgreSQL run atomically. On PostgreSQL it locks the row until the
// transaction ends, so a concurrent Consume of the same counter waits and
// then adds to the committed count (or to the old one, after a rollback);
// on SQLite the transaction holds the database's write lock from its
// start (package db begins transactions IMMEDIATE).
const upsertCount = `INSERT INTO usage_counters (account_id, name, window_start, count, expires_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (account_id, name, window_start)
DO UPDATE SET count = usage_counters.count + excluded.count
RETURNING count`

// counter is a Limit placed in the window of one instant.
type counter struct {
	limit      Limit
	name       string
	start, end time.Time
}

// usage is where the counter stands at count.
func (c counter) usage(count int) Usage {
	return Usage{Limit: c.limit, Used: count, Remaining: max(0, c.limit.Max-count), Reset: c.end}
}

// Consume counts n against every limit at once, or against none: when n
// would take any of them past its Max, nothing is counted and the error is
// an *ExceededError. Limits with no Max are skipped. It returns the Usage
// of the limit closest to its Max, or the zero Usage when no limit applies.
//
// The counts commit in a transaction of their own, whatever the caller
// does next: a caller whose work then fails has still used its attempt.
// ctx must not carry a transaction (ErrInTransaction). Consume of n = 0
// counts nothing and is Peek.
func (s *Service) Consume(ctx context.Context, n int, limits ...Limit) (Usage, error) {
	if n < 0 {
		return Usage{}, fmt.Errorf("%w: amount %d", ErrInvalidLimit, n)
	}
	if n == 0 {
		return s.Peek(ctx, limits...)
	}
	now := s.now()
	cs, err := counters(now, limits)
	if err != nil || len(cs) == 0 {
		return Usage{}, err
	}
	if ent.TxFromContext(ctx) != nil {
		return Usage{}, ErrInTransaction
	}
	var usage Usage
	err = db.WithTx(ctx, s.client, func(ctx context.Context) error {
		var exceeded *ExceededError
		for _, c := range cs {
			count, err := add(ctx, c, n)
			if err != nil {
				return err
			}
			if count <= c.limit.Max {
				if u := c.usage(count); u.tighter(usage) {
					usage = u
				}
				continue
			}
			// The caller can retry only when every exceeded limit has
			// reset: report the one that resets last.
			if exceeded == nil || c.end.After(exceeded.Reset) {
				exceeded = &ExceededError{
					Limit:      c.limit,
					Requested:  n,
					Remaining:  max(0, c.limit.Max-(count-n)),
					Reset:      c.end,
					RetryAfter: c.end.Sub(now),
				}
			}
		}
		if exceeded != nil {
			return exceeded // rolls every count back
		}
		return nil
	})
	if err != nil {
		return Usage{}, err
	}
	return usage, nil
}

// add adds n to c, in the database/sql transaction of ctx, and returns its
// new count.
func add(ctx context.Context, c counter, n int) (int, error) {
	tx := db.SQLTx(ctx)
	if tx == nil {
		return 0, fmt.Errorf("quota: counting %s: no database/sql transaction in the context", c.name)
	}
	rows, err := tx.QueryContext(ctx, upsertCount, c.limit.Subject.accountID, c.name, c.start, n, c.end)
	if err != nil {
		return 0, fmt.Errorf("quota: counting %s: %w", c.name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("quota: counting %s: %w", c.name, err)
		}
		return 0, fmt.Errorf("quota: counting %s: the upsert returned no row", c.name)
	}
	var count int
	if err := rows.Scan(&count); err != nil {
		return 0, fmt.Errorf("quota: counting %s: %w", c.name, err)
	}
	return count, nil
}

// Peek returns the Usage Consume would report for limits without counting
// anything: the limit closest to its Max, or the zero Usage when no limit
// applies.
func (s *Service) Peek(ctx context.Context, limits ...Limit) (Usage, error) {
	cs, err := counters(s.now(), limits)
	if err != nil {
		return Usage{}, err
	}
	client := db.ClientFrom(ctx, s.client)
	var usage Usage
	for _, c := range cs {
		row, err := client.UsageCounter.Query().
			Where(
				usagecounter.AccountID(c.limit.Subject.accountID),
				usagecounter.Name(c.name),
				usagecounter.WindowStart(c.start),
			).
			Only(ctx)
		count := 0
		switch {
		case ent.IsNotFound(err):
		case err != nil:
			return Usage{}, fmt.Errorf("quota: reading %s: %w", c.name, err)
		default:
			count = row.Count
		}
		if u := c.usage(count); u.tighter(usage) {
			usage = u
		}
	}
	return usage, nil
}

// counters places the enforced limits in the windows of now, in the order
// their rows are locked — by account, then name — so that two Consumes
// never wait for each other's rows in a cycle. A counter named twice keeps
// the lower Max.
func counters(now time.Time, limits []Limit) ([]counter, error) {
	cs := make([]counter, 0, len(limits))
	for _, l := range limits {
		if l.Max <= 0 {
			continue
		}
		if l.Subject.kind == 0 || l.Name == "" || !l.Window.valid() {
			return nil, fmt.Errorf("%w: %q of %s per %s", ErrInvalidLimit, l.Name, l.Subject, l.Window)
		}
		cs = append(cs, counter{limit: l, name: l.counter(), start: l.Window.Start(now), end: l.Window.End(now)})
	}
	order := func(a, b counter) int {
		return cmp.Or(cmp.Compare(a.limit.Subject.accountID, b.limit.Subject.accountID), strings.Compare(a.name, b.name))
	}
	slices.SortFunc(cs, func(a, b counter) int {
		return cmp.Or(order(a, b), cmp.Compare(a.limit.Max, b.limit.Max))
	})
	return slices.CompactFunc(cs, func(a, b counter) bool { return order(a, b) == 0 }), nil
}
