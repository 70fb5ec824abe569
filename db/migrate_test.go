package db_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect/sql/schema"

	"provgraph/db"
	"provgraph/db/dbtest"
	entmigrate "provgraph/ent/migrate"
)

// TestMigrationsMatchSchema applies the committed migrations to an empty
// database and asks ent for the changes still needed to reach the schema of
// ent/schema: there must be none. When it fails, run
// `go run ./db/migrate/gen <name>` and commit the new files.
func TestMigrationsMatchSchema(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		ctx := context.Background()
		d, err := db.Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		applied, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) == 0 {
			t.Fatal("no migration applied to an empty database")
		}
		again, err := d.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second Migrate applied %v, err %v; want nothing", again, err)
		}

		dir := &migrate.MemDir{}
		m, err := schema.NewMigrate(d.Driver(),
			schema.WithDir(dir),
			schema.WithMigrationMode(schema.ModeInspect),
			schema.WithDialect(d.Dialect),
			schema.WithDropColumn(true),
			schema.WithDropIndex(true),
			schema.WithErrNoPlan(true),
		)
		if err != nil {
			t.Fatal(err)
		}
		err = m.NamedDiff(ctx, "pending", entmigrate.Tables...)
		if errors.Is(err, migrate.ErrNoPlan) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var pending strings.Builder
		files, _ := dir.Files()
		for _, f := range files {
			pending.Write(f.Bytes())
		}
		t.Errorf("the migrations of %s miss changes of the ent schema; run `go run ./db/migrate/gen <name>`:\n%s", d.Dialect, pending.String())
	})
}

// TestMigrationsEmbedded checks that every dialect has its files in the
// binary.
func TestMigrationsEmbedded(t *testing.T) {
	for _, dialect := range []string{"sqlite3", "postgres"} {
		fsys, err := db.Migrations(dialect)
		if err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(fsys, "*.sql")
		if err != nil || len(files) == 0 {
			t.Errorf("%s: no embedded migrations (%v)", dialect, err)
		}
	}
}

// TestConcurrentMigrate starts several migrations of one PostgreSQL
// database at once, as several servers starting together would: the
// advisory lock lets exactly one apply the files.
func TestConcurrentMigrate(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("%s not set: PostgreSQL only", dbtest.EnvURL)
	}
	url := dbtest.PostgresURL(t)
	ctx := context.Background()
	const n = 3
	applied := make(chan int, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := db.Open(ctx, url, "")
			if err != nil {
				errs <- err
				return
			}
			defer d.Close()
			v, err := d.Migrate(ctx)
			if err != nil {
				errs <- err
				return
			}
			applied <- len(v)
		}()
	}
	wg.Wait()
	close(errs)
	close(applied)
	for err := range errs {
		t.Error(err)
	}
	migrators := 0
	for k := range applied {
		if k > 0 {
			migrators++
		}
	}
	if migrators != 1 {
		t.Errorf("%d servers applied migrations, want exactly 1", migrators)
	}
}
