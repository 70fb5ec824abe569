package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"entgo.io/ent/dialect"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/collection"
	"provgraph/ent/schema/tenant"
)

// Queries is everything the API layers (GraphQL, the export route) ask of
// analytics. Service implements it over SQLite and PostgreSQL; each method
// runs one aggregate statement (Jobs two), scoped to the caller's account.
type Queries interface {
	// Assets counts the assets of f, their bytes and their media types.
	Assets(ctx context.Context, f Filter) (AssetStats, error)
	// Breakdown counts the rows of f grouped by one dimension, largest
	// group first.
	Breakdown(ctx context.Context, f Filter, b Breakdown) ([]Count, error)
	// Jobs summarises the jobs of f.
	Jobs(ctx context.Context, f Filter) (JobStats, error)
	// Webhooks summarises the webhook deliveries of f.
	Webhooks(ctx context.Context, f Filter) (WebhookStats, error)
	// Series counts metric per interval of f's time zone, oldest bucket
	// first; buckets without rows are left out.
	Series(ctx context.Context, f Filter, m Metric, iv Interval) ([]Bucket, error)
	// Export writes one line per asset of f, oldest first, to w as it
	// reads them, and returns how many it wrote.
	Export(ctx context.Context, f Filter, format Format, w io.Writer) (int, error)
}

var _ Queries = (*Service)(nil)

// queryer runs statements; a *sql.DB.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Service runs the analytics queries on one database.
type Service struct {
	sql     queryer
	client  *ent.Client
	dialect sqlDialect
}

// NewService returns a Service over d; client (tenant-scoped by the ent
// schema) checks that a filter's collection is the caller's.
func NewService(d *db.DB, client *ent.Client) (*Service, error) {
	s := &Service{sql: d.SQL, client: client}
	switch d.Dialect {
	case dialect.Postgres:
		s.dialect = postgres{}
	case dialect.SQLite:
		s.dialect = sqlite{}
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedDialect, d.Dialect)
	}
	return s, nil
}

// start checks f and returns the caller's account: a query without a
// caller fails closed, a collection of another account is not found.
func (s *Service) start(ctx context.Context, f Filter) (int, error) {
	v, ok := tenant.FromContext(ctx)
	if !ok {
		return 0, tenant.ErrNoViewer
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	if f.CollectionID != nil {
		ok, err := s.client.Collection.Query().Where(collection.ID(*f.CollectionID)).Exist(ctx)
		if err != nil {
			return 0, fmt.Errorf("analytics: checking collection: %w", err)
		}
		if !ok {
			return 0, fmt.Errorf("analytics: collection %d: %w", *f.CollectionID, apierror.ErrNotFound)
		}
	}
	return v.AccountID, nil
}
