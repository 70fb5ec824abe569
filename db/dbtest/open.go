package dbtest

import (
	"context"
	"testing"

	"provgraph/db"
)

// Open opens the database at url (from Run or a Dialect), applies every
// migration and closes it when t ends.
func Open(t testing.TB, url string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}
