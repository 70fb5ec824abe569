package analytics

import (
	"strings"
	"time"
)

// source is a table an aggregate reads, aliased t, with how its rows
// belong to a collection.
type source struct {
	// table is the table's name.
	table string
	// asset is the column naming a row's asset, for the collection
	// filter; "" when rows are not an asset's.
	asset string
	// collection is the column naming a row's collection directly (jobs).
	collection string
	// where is a further condition on t, if any.
	where string
}

// The tables the aggregates read. A sign is the declaration signing made:
// only signing stores a certificate with it.
var (
	assetRows        = source{table: "assets", asset: "t.id"}
	scanRows         = source{table: "scans", asset: "t.asset_id"}
	aiDeclaredRows   = source{table: "scans", asset: "t.asset_id", where: "t.verdict = 'DECLARED_AI'"}
	signRows         = source{table: "declarations", asset: "t.asset_id", where: "t.certificate_blob_key <> ''"}
	verificationRows = source{table: "verifications", asset: "t.asset_id"}
	jobRows          = source{table: "jobs", collection: "t.collection_id"}
	deliveryRows     = source{table: "webhook_deliveries"}
)

// query is one SQL statement being built: its arguments and the
// placeholders of its dialect.
type query struct {
	d    sqlDialect
	args []any
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return q.d.placeholder(len(q.args))
}

// where returns the WHERE clause (without the keyword) selecting the
// rows of src that f counts in account, plus extra conditions.
func (q *query) where(src source, account int, f Filter, extra ...string) string {
	conds := []string{"t.account_id = " + q.arg(account)}
	conds = append(conds, q.d.timeRange(q, "t.created_at", f.From, f.To)...)
	if f.CollectionID != nil {
		switch {
		case src.asset != "":
			conds = append(conds, "EXISTS (SELECT 1 FROM collection_assets ca WHERE ca.collection_id = "+
				q.arg(*f.CollectionID)+" AND ca.asset_id = "+src.asset+")")
		case src.collection != "":
			conds = append(conds, src.collection+" = "+q.arg(*f.CollectionID))
		}
	}
	if src.where != "" {
		conds = append(conds, src.where)
	}
	conds = append(conds, extra...)
	return strings.Join(conds, " AND ")
}

// sqlDialect is what differs between PostgreSQL and SQLite in the analytics
// statements: placeholders, how stored times are compared and measured,
// date bucketing in a time zone, and percentiles.
type sqlDialect interface {
	// placeholder is the text of the n-th argument (from 1).
	placeholder(n int) string
	// timeRange returns the conditions that col lies in [from, to); nil
	// ends are open.
	timeRange(q *query, col string, from, to *time.Time) []string
	// durationMs is the expression of the milliseconds from start to end.
	durationMs(start, end string) string
	// series returns the statement selecting (bucket, count) of the rows
	// of FROM src t WHERE where, bucketed by iv in f's zone, in order.
	series(q *query, src source, where string, iv Interval, f Filter) string
	// bucketStart turns a scanned bucket into its first instant in loc.
	bucketStart(raw any, iv Interval, loc *time.Location) (time.Time, error)
	// latest returns the LEFT JOIN, as alias, of the columns cols of the
	// latest row (highest id) of table whose asset_id is t.id and that
	// meets cond (when not "").
	latest(table, alias, cols, cond string) string
	// percentiles returns a statement of one row: the percentile_cont of
	// the column v of inner at each of ps (NULL when inner is empty).
	percentiles(inner string, ps ...float64) string
}
