package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"entgo.io/ent/dialect"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the goose migration files of every dialect, written by
// `go run ./db/migrate/gen <name>` from the ent schema.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// MigrationsDir is the folder of a dialect's migrations inside the module
// and inside Migrations.
func MigrationsDir(entDialect string) string {
	if entDialect == dialect.Postgres {
		return "migrations/postgres"
	}
	return "migrations/sqlite"
}

// Migrations returns the embedded migration files of a dialect.
func Migrations(entDialect string) (fs.FS, error) {
	return fs.Sub(migrations, MigrationsDir(entDialect))
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the versions applied.
func (d *DB) Migrate(ctx context.Context) ([]int64, error) {
	fsys, err := Migrations(d.Dialect)
	if err != nil {
		return nil, fmt.Errorf("db: migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if d.Dialect == dialect.Postgres {
		gd = goose.DialectPostgres
		// Several servers may start at once on one PostgreSQL database: an
		// advisory lock makes them migrate one after the other. (SQLite is
		// one process's file; its write lock already serialises.)
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("db: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, d.SQL, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("db: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migrating: %w", err)
	}
	versions := make([]int64, 0, len(results))
	for _, r := range results {
		versions = append(versions, r.Source.Version)
	}
	return versions, nil
}
