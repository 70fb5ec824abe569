package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"provgraph/ent"
	_ "provgraph/ent/runtime" // registers the schema's hooks and interceptors
)

// ErrUnsupportedURL is returned by Open for a database URL of an unknown
// scheme.
var ErrUnsupportedURL = errors.New("db: unsupported database URL (want postgres:// or sqlite://)")

// DB is an open database and the ent dialect that speaks to it.
type DB struct {
	// SQL is the connection pool.
	SQL *sql.DB
	// Dialect is dialect.SQLite or dialect.Postgres.
	Dialect string
	// URL is the postgres:// URL, or the path of the SQLite file.
	URL string
}

// Open opens the database named by rawURL: a postgres:// (or postgresql://)
// URL, a sqlite:// URL naming a file, or, when rawURL is empty, the SQLite
// file provgraph.db under dataDir.
func Open(ctx context.Context, rawURL, dataDir string) (*DB, error) {
	switch {
	case rawURL == "":
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("db: creating data folder: %w", err)
		}
		return OpenSQLite(ctx, filepath.Join(dataDir, "provgraph.db"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return OpenPostgres(ctx, rawURL)
	case strings.HasPrefix(rawURL, "sqlite://"):
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, fmt.Errorf("db: %w", err)
		}
		return OpenSQLite(ctx, u.Host+u.Path)
	default:
		return nil, ErrUnsupportedURL
	}
}

// OpenSQLite opens (creating it if needed) the SQLite database at path with
// foreign keys on, WAL journaling, a busy timeout instead of immediate
// "database is locked" errors, and write transactions that take the write
// lock up front so concurrent transactions wait rather than deadlock.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("db: opening sqlite: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("db: opening sqlite %s: %w", path, err)
	}
	return &DB{SQL: sqlDB, Dialect: dialect.SQLite, URL: path}, nil
}

// OpenPostgres opens the PostgreSQL database at rawURL.
func OpenPostgres(ctx context.Context, rawURL string) (*DB, error) {
	sqlDB, err := sql.Open("postgres", rawURL)
	if err != nil {
		return nil, fmt.Errorf("db: opening postgres: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("db: connecting to postgres: %w", err)
	}
	return &DB{SQL: sqlDB, Dialect: dialect.Postgres, URL: rawURL}, nil
}

// Driver returns an ent driver over the pool, for wrapping (e.g. with a
// query-counting or logging driver) before NewClient.
func (d *DB) Driver() dialect.Driver { return txDriver{entsql.OpenDB(d.Dialect, d.SQL)} }

// Client returns an ent client over the pool.
func (d *DB) Client(opts ...ent.Option) *ent.Client {
	return ent.NewClient(append([]ent.Option{ent.Driver(d.Driver())}, opts...)...)
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// Close closes the pool.
func (d *DB) Close() error { return d.SQL.Close() }
