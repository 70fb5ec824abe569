package analytics

import (
	"context"
	"database/sql"
)

// Observe makes s call seen with every statement before it runs it, for
// tests that EXPLAIN them.
func Observe(s *Service, seen func(ctx context.Context, stmt string, args []any)) {
	s.sql = observer{s.sql, seen}
}

type observer struct {
	queryer
	seen func(ctx context.Context, stmt string, args []any)
}

func (o observer) QueryContext(ctx context.Context, stmt string, args ...any) (*sql.Rows, error) {
	o.seen(ctx, stmt, args)
	return o.queryer.QueryContext(ctx, stmt, args...)
}

func (o observer) QueryRowContext(ctx context.Context, stmt string, args ...any) *sql.Row {
	o.seen(ctx, stmt, args)
	return o.queryer.QueryRowContext(ctx, stmt, args...)
}
