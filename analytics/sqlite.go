package analytics

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxOffset bounds how far a stored wall clock can be from UTC (UTC-12 to
// UTC+14).
const maxOffset = 14 * time.Hour

// maxZoneSegments bounds the offset table of one series statement.
const maxZoneSegments = 4096

// sqlite is the SQLite dialect. The driver stores a time as the text of
// time.Time.String ("2006-01-02 15:04:05.999999999 -0700 MST", then the
// monotonic reading if any) in the zone of the process that wrote it, so
// text comparison orders instants only roughly: a range is first narrowed
// on the text, which the (account_id, created_at, ...) indexes serve, then
// decided exactly on the instant parsed from the text. SQLite has no time
// zones: a series adds the zone's UTC offset, taken from Go's zone
// database for the range and written into the statement as a search over
// its transitions, before it truncates.
type sqlite struct{}

func (sqlite) placeholder(int) string { return "?" }

// sqliteSeconds is the expression of the whole seconds since 1970 of the
// instant stored in col (NULL for NULL).
func sqliteSeconds(col string) string {
	sp := "instr(substr(" + col + ", 20), ' ')"
	return fmt.Sprintf("(unixepoch(substr(%[1]s, 1, 19)) - "+
		"(CASE substr(%[1]s, 20 + %[2]s, 1) WHEN '-' THEN -1 ELSE 1 END) * "+
		"(CAST(substr(%[1]s, 21 + %[2]s, 2) AS INTEGER) * 3600 + CAST(substr(%[1]s, 23 + %[2]s, 2) AS INTEGER) * 60))",
		col, sp)
}

// sqliteFraction is the expression of the fraction of a second of the
// time stored in col, from 0 to 1.
func sqliteFraction(col string) string {
	return fmt.Sprintf("(CASE WHEN substr(%[1]s, 20, 1) = '.' THEN CAST('0' || substr(%[1]s, 20, instr(substr(%[1]s, 20), ' ') - 1) AS REAL) ELSE 0.0 END)", col)
}

// sqliteInstant is the expression of the seconds since 1970 of col.
func sqliteInstant(col string) string {
	return "(" + sqliteSeconds(col) + " + " + sqliteFraction(col) + ")"
}

// unixSeconds is t as the seconds since 1970 sqliteInstant computes.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

func (sqlite) timeRange(q *query, col string, from, to *time.Time) []string {
	var conds []string
	if from != nil {
		conds = append(conds, col+" >= "+q.arg(from.UTC().Add(-maxOffset)),
			sqliteInstant(col)+" >= "+q.arg(unixSeconds(*from)))
	}
	if to != nil {
		conds = append(conds, col+" < "+q.arg(to.UTC().Add(maxOffset)),
			sqliteInstant(col)+" < "+q.arg(unixSeconds(*to)))
	}
	return conds
}

func (sqlite) durationMs(start, end string) string {
	// Whole seconds and fractions apart, so that the difference keeps the
	// precision of the stored text.
	return fmt.Sprintf("((%s - %s) * 1000.0 + (%s - %s) * 1000.0)",
		sqliteSeconds(end), sqliteSeconds(start), sqliteFraction(end), sqliteFraction(start))
}

// sqliteBuckets are the strftime calls truncating the local instant l.
var sqliteBuckets = map[Interval]string{
	IntervalHour:  "strftime('%Y-%m-%d %H:00:00', l, 'unixepoch')",
	IntervalDay:   "strftime('%Y-%m-%d 00:00:00', l, 'unixepoch')",
	IntervalWeek:  "strftime('%Y-%m-%d 00:00:00', l, 'unixepoch', '-6 days', 'weekday 1')",
	IntervalMonth: "strftime('%Y-%m-01 00:00:00', l, 'unixepoch')",
}

func (sqlite) series(q *query, src source, where string, iv Interval, f Filter) string {
	return fmt.Sprintf("WITH r(u) AS MATERIALIZED (SELECT %s FROM %s t WHERE %s), "+
		"z(l) AS (SELECT u + %s FROM r) "+
		"SELECT %s AS bucket, COUNT(*) FROM z GROUP BY 1 ORDER BY 1",
		sqliteInstant("t.created_at"), src.table, where, offsetSearch("u", zoneSegments(f)), sqliteBuckets[iv])
}

func (sqlite) bucketStart(raw any, _ Interval, loc *time.Location) (time.Time, error) {
	s, ok := raw.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("analytics: bucket of type %T", raw)
	}
	t, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("analytics: bucket %q: %w", s, err)
	}
	return t, nil
}

func (sqlite) percentiles(inner string, ps ...float64) string {
	cols := make([]string, len(ps))
	for i, p := range ps {
		pos := "(" + strconv.FormatFloat(p, 'f', -1, 64) + " * (n - 1))"
		lo := "CAST(" + pos + " AS INTEGER)"
		at := "MAX(CASE WHEN i = " + lo + " THEN v END)"
		next := "COALESCE(MAX(CASE WHEN i = " + lo + " + 1 THEN v END), " + at + ")"
		cols[i] = at + " + (MAX(" + pos + ") - MAX(" + lo + ")) * (" + next + " - " + at + ")"
	}
	return "WITH d AS (" + inner + "), r AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) - 1 AS i, COUNT(*) OVER () AS n FROM d) " +
		"SELECT " + strings.Join(cols, ", ") + " FROM r"
}

// segment is a stretch of time from start (seconds since 1970) over which
// a zone is offset seconds ahead of UTC.
type segment struct {
	start  int64
	offset int
}

// zoneSegments lists the offsets of f's zone over f's range (from 1970 to
// a year from now when open): the first segment reaches back without end,
// the last forward.
func zoneSegments(f Filter) []segment {
	loc := f.location()
	lo, hi := time.Unix(0, 0), time.Now().AddDate(1, 0, 0)
	if f.From != nil {
		lo = *f.From
	}
	if f.To != nil {
		hi = *f.To
	}
	t := lo.In(loc)
	_, off := t.Zone()
	segs := []segment{{start: 0, offset: off}}
	for len(segs) < maxZoneSegments {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(hi) {
			break
		}
		t = end
		if _, off := t.Zone(); off != segs[len(segs)-1].offset {
			segs = append(segs, segment{start: end.Unix(), offset: off})
		}
	}
	return segs
}

// offsetSearch is the expression of the offset of the instant u: a binary
// search over segs written out as nested CASEs.
func offsetSearch(u string, segs []segment) string {
	var search func(lo, hi int) string
	search = func(lo, hi int) string {
		if lo == hi {
			return strconv.Itoa(segs[lo].offset)
		}
		mid := (lo + hi + 1) / 2
		return "(CASE WHEN " + u + " < " + strconv.FormatInt(segs[mid].start, 10) +
			" THEN " + search(lo, mid-1) + " ELSE " + search(mid, hi) + " END)"
	}
	return search(0, len(segs)-1)
}

func (sqlite) latest(table, alias, _, cond string) string {
	// No LATERAL in SQLite: join the row whose id is the latest one's.
	if cond != "" {
		cond = " AND x." + cond
	}
	return "LEFT JOIN " + table + " " + alias + " ON " + alias + ".id = (SELECT MAX(x.id) FROM " + table +
		" x WHERE x.asset_id = t.id" + cond + ") "
}
