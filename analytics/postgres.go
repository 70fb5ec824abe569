package analytics

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// postgres is the PostgreSQL dialect: timestamptz columns compared as
// they are, date_trunc in the filter's zone, percentile_cont.
type postgres struct{}

func (postgres) placeholder(n int) string { return "$" + strconv.Itoa(n) }

func (postgres) timeRange(q *query, col string, from, to *time.Time) []string {
	var conds []string
	if from != nil {
		conds = append(conds, col+" >= "+q.arg(*from))
	}
	if to != nil {
		conds = append(conds, col+" < "+q.arg(*to))
	}
	return conds
}

func (postgres) durationMs(start, end string) string {
	return fmt.Sprintf("(EXTRACT(EPOCH FROM (%s - %s)) * 1000)::float8", end, start)
}

func (postgres) series(q *query, src source, where string, iv Interval, f Filter) string {
	unit, _ := iv.unit()
	zone := q.arg(f.location().String())
	return fmt.Sprintf("SELECT date_trunc('%s', t.created_at, %s) AS bucket, COUNT(*) FROM %s t WHERE %s GROUP BY 1 ORDER BY 1",
		unit, zone, src.table, where)
}

func (postgres) bucketStart(raw any, _ Interval, loc *time.Location) (time.Time, error) {
	t, ok := raw.(time.Time)
	if !ok {
		return time.Time{}, fmt.Errorf("analytics: bucket of type %T", raw)
	}
	return t.In(loc), nil
}

func (postgres) percentiles(inner string, ps ...float64) string {
	cols := make([]string, len(ps))
	for i, p := range ps {
		cols[i] = fmt.Sprintf("percentile_cont(%s) WITHIN GROUP (ORDER BY v)", strconv.FormatFloat(p, 'f', -1, 64))
	}
	return fmt.Sprintf("SELECT %s FROM (%s) d", strings.Join(cols, ", "), inner)
}

func (postgres) latest(table, alias, cols, cond string) string {
	if cond != "" {
		cond = " AND x." + cond
	}
	return "LEFT JOIN LATERAL (SELECT " + prefixed("x.", cols) + " FROM " + table + " x WHERE x.asset_id = t.id" + cond +
		" ORDER BY x.id DESC LIMIT 1) " + alias + " ON true "
}

// prefixed qualifies each of a comma-separated list of columns.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, c := range parts {
		parts[i] = prefix + c
	}
	return strings.Join(parts, ", ")
}
