// Command gen writes the next versioned migration of every dialect: it
// replays the committed migrations into a clean dev database (SQLite in
// memory; a throwaway PostgreSQL database), diffs the result against the ent
// schema and writes the difference as a goose migration file.
//
// Run it from the module root after changing ent/schema and regenerating:
//
//	go run ./db/migrate/gen add_widgets
//
// PROVGRAPH_DEV_DATABASE_URL names the PostgreSQL server to create the
// throwaway database on (default postgres://postgres@127.0.0.1:5432/postgres).
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/sqltool"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	entmigrate "provgraph/ent/migrate"
)

func main() {
	devURL := flag.String("dev-url", envOr("PROVGRAPH_DEV_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL server on which to create the throwaway dev database")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: go run ./db/migrate/gen <migration_name>")
	}
	name := flag.Arg(0)
	ctx := context.Background()
	if err := generateSQLite(ctx, name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}
	if err := generatePostgres(ctx, name, *devURL); err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func generateSQLite(ctx context.Context, name string) error {
	sqlDB, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	// One connection: every connection to ":memory:" is its own database.
	sqlDB.SetMaxOpenConns(1)
	return diff(ctx, dialect.SQLite, sqlDB, name)
}

func generatePostgres(ctx context.Context, name, serverURL string) error {
	admin, err := sql.Open("postgres", serverURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	dbName := "provgraph_migrate_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+dbName); err != nil {
		return fmt.Errorf("creating dev database: %w", err)
	}
	defer func() {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+dbName); err != nil {
			log.Printf("dropping dev database %s: %v", dbName, err)
		}
	}()
	u, err := url.Parse(serverURL)
	if err != nil {
		return err
	}
	u.Path = "/" + dbName
	sqlDB, err := sql.Open("postgres", u.String())
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	return diff(ctx, dialect.Postgres, sqlDB, name)
}

// diff writes the migration that takes the replayed migrations of dir to
// the ent schema, or nothing when they already match.
func diff(ctx context.Context, entDialect string, sqlDB *sql.DB, name string) error {
	// The same folders as db.MigrationsDir; not imported, so that the
	// generator runs before any migration exists to embed.
	path := filepath.Join("db", "migrations", "sqlite")
	if entDialect == dialect.Postgres {
		path = filepath.Join("db", "migrations", "postgres")
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	dir, err := sqltool.NewGooseDir(path)
	if err != nil {
		return err
	}
	m, err := schema.NewMigrate(entsql.OpenDB(entDialect, sqlDB),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(entDialect),
		schema.WithFormatter(sqltool.GooseFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true),
	)
	if err != nil {
		return err
	}
	err = m.NamedDiff(ctx, name, entmigrate.Tables...)
	if errors.Is(err, migrate.ErrNoPlan) {
		log.Printf("%s: no changes", entDialect)
		return nil
	}
	if err != nil {
		return err
	}
	log.Printf("%s: wrote migration %q under %s", entDialect, name, path)
	return nil
}
