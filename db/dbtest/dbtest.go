package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/lib/pq" // the "postgres" driver
)

// EnvURL names the PostgreSQL database whose server tests create their
// databases on. Unset, tests run on SQLite only.
const EnvURL = "PROVGRAPH_TEST_DATABASE_URL"

// Dialect is one database a test runs against.
type Dialect struct {
	// Name is "sqlite" or "postgres", for subtest names.
	Name string
	// NewURL returns the URL of a fresh, empty database for t, removed when
	// t ends: a sqlite:// URL of a file in t.TempDir(), or a postgres://
	// URL of a database created for t.
	NewURL func(t testing.TB) string
}

// Dialects lists SQLite and, when EnvURL is set, PostgreSQL.
func Dialects() []Dialect {
	ds := []Dialect{{Name: "sqlite", NewURL: SQLiteURL}}
	if os.Getenv(EnvURL) != "" {
		ds = append(ds, Dialect{Name: "postgres", NewURL: PostgresURL})
	}
	return ds
}

// Run runs f as a subtest on every dialect of Dialects.
func Run(t *testing.T, f func(t *testing.T, databaseURL string)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d.Name, func(t *testing.T) { f(t, d.NewURL(t)) })
	}
}

// SQLiteURL returns the URL of a new SQLite file in t.TempDir().
func SQLiteURL(t testing.TB) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
}

// PostgresURL creates a database on the server of EnvURL and returns its
// URL; the database is dropped when t ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Fatalf("%s is not set", EnvURL)
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "provgraph_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
