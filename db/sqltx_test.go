package db_test

import (
	"context"
	"errors"
	"testing"

	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/ent/schema/tenant"
)

// TestSQLTx checks that the database/sql transaction SQLTx exposes is the
// one of WithTx: a row written through it is committed or rolled back with
// the ent writes, and it is nil outside a transaction.
func TestSQLTx(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		d := dbtest.Open(t, url)
		client := d.Client()
		ctx := tenant.WithSystem(context.Background())
		if db.SQLTx(ctx) != nil {
			t.Fatal("SQLTx outside a transaction is not nil")
		}
		insert := `INSERT INTO accounts (created_at, updated_at, name, plan, monthly_asset_quota, storage_quota_bytes, retention_days) VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, $1, 'STARTER', 1, 1, 1)`
		for _, tc := range []struct {
			name string
			fail error
			want int
		}{
			{"committed", nil, 1},
			{"rolledback", errors.New("boom"), 0},
		} {
			err := db.WithTx(ctx, client, func(ctx context.Context) error {
				tx := db.SQLTx(ctx)
				if tx == nil {
					t.Fatal("SQLTx inside WithTx is nil")
				}
				if _, err := tx.ExecContext(ctx, insert, tc.name); err != nil {
					return err
				}
				return tc.fail
			})
			if !errors.Is(err, tc.fail) {
				t.Fatalf("%s: WithTx = %v", tc.name, err)
			}
			var got int
			if err := d.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts WHERE name = $1", tc.name).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s: %d rows after the transaction, want %d", tc.name, got, tc.want)
			}
		}
	})
}
