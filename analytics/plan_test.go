package analytics_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"provgraph/analytics"
	"provgraph/db/dbtest"
)

// bigTables are the tables that grow with an account's assets: no
// analytics query may read one of them whole.
var bigTables = map[string]bool{
	"assets": true, "scans": true, "declarations": true, "verifications": true,
	"collection_assets": true, "jobs": true, "webhook_deliveries": true,
}

// TestPlansUseIndexes seeds 120 000 assets over a year in four accounts on
// PostgreSQL, analyzes them, and EXPLAINs every analytics statement (and
// the export) of one account over one week, with and without a
// collection: none may scan a big table sequentially.
func TestPlansUseIndexes(t *testing.T) {
	requirePostgres(t)
	if testing.Short() {
		t.Skip("seeds 120 000 assets")
	}
	url := dbtest.PostgresURL(t)
	d := dbtest.Open(t, url)
	client := d.Client()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var accs []bulkAccount
	for _, name := range []string{"p", "q", "r", "s"} {
		accs = append(accs, seedBulk(t, d, client, name, 30_000, start, 365*24*time.Hour))
	}
	analyze(t, d)
	svc, err := analytics.NewService(d, client)
	if err != nil {
		t.Fatal(err)
	}
	var stmts []string
	analytics.Observe(svc, func(ctx context.Context, stmt string, args []any) {
		var plan []byte
		if err := d.SQL.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+stmt, args...).Scan(&plan); err != nil {
			t.Errorf("EXPLAIN %s: %v", stmt, err)
			return
		}
		var doc []struct{ Plan planNode }
		if err := json.Unmarshal(plan, &doc); err != nil {
			t.Fatal(err)
		}
		if seq := doc[0].Plan.seqScans(); len(seq) > 0 {
			t.Errorf("sequential scan of %v in\n%s\nplan: %s", seq, stmt, plan)
		}
		stmts = append(stmts, stmt)
	})
	from := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	paris, _ := time.LoadLocation("Europe/Paris")
	acc := accs[1]
	for _, f := range []analytics.Filter{
		{From: &from, To: &to, Location: paris},
		{From: &from, To: &to, Location: paris, CollectionID: &acc.collection},
	} {
		for name, run := range everyQuery(acc.ctx, svc, f) {
			if err := run(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := svc.Export(acc.ctx, f, analytics.FormatNDJSON, discard{}); err != nil {
			t.Errorf("export: %v", err)
		}
	}
	if len(stmts) < 2*14 {
		t.Errorf("%d statements explained, want every query's", len(stmts))
	}
}

// planNode is a node of an EXPLAIN (FORMAT JSON) plan.
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Plans    []planNode `json:"Plans"`
}

// seqScans lists the big tables the plan reads sequentially.
func (n planNode) seqScans() []string {
	var out []string
	if strings.Contains(n.NodeType, "Seq Scan") && bigTables[n.Relation] {
		out = append(out, n.Relation)
	}
	for _, c := range n.Plans {
		out = append(out, c.seqScans()...)
	}
	return out
}

// discard is io.Discard with a Flush, as a ResponseWriter has.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Flush()                      {}
