package analytics

import (
	"context"
	"database/sql"
	"fmt"
)

// Breakdown is a grouping of Service.Breakdown.
type Breakdown string

// The groupings of Service.Breakdown. Rows without a value for the
// dimension (a scan naming no model, a sign without a purpose) are not
// counted in it.
const (
	ScansByVerdict          Breakdown = "scansByVerdict"
	ScansByAIModel          Breakdown = "scansByAiModel"
	VerificationsByTier     Breakdown = "verificationsByTier"
	SignsByPurpose          Breakdown = "signsByPurpose"
	SignsByModificationType Breakdown = "signsByModificationType"
)

// breakdowns are the table and column of each grouping.
var breakdowns = map[Breakdown]struct {
	src    source
	column string
}{
	ScansByVerdict:          {scanRows, "t.verdict"},
	ScansByAIModel:          {scanRows, "t.ai_model"},
	VerificationsByTier:     {verificationRows, "t.trust_tier"},
	SignsByPurpose:          {signRows, "t.purpose"},
	SignsByModificationType: {signRows, "t.modification_type"},
}

// Assets implements Queries.
func (s *Service) Assets(ctx context.Context, f Filter) (AssetStats, error) {
	account, err := s.start(ctx, f)
	if err != nil {
		return AssetStats{}, err
	}
	// One pass: per media type, and the rollup of all of them.
	q := &query{d: s.dialect}
	stmt := "SELECT t.media_type, COUNT(*), COALESCE(SUM(t.size), 0) FROM assets t WHERE " +
		q.where(assetRows, account, f) + " GROUP BY t.media_type ORDER BY 2 DESC, 1"
	rows, err := s.sql.QueryContext(ctx, stmt, q.args...)
	if err != nil {
		return AssetStats{}, fmt.Errorf("analytics: assets: %w", err)
	}
	defer rows.Close()
	out := AssetStats{ByMediaType: []Count{}}
	for rows.Next() {
		var c Count
		var bytes int64
		if err := rows.Scan(&c.Key, &c.Count, &bytes); err != nil {
			return AssetStats{}, fmt.Errorf("analytics: assets: %w", err)
		}
		out.Total += c.Count
		out.Bytes += bytes
		out.ByMediaType = append(out.ByMediaType, c)
	}
	if err := rows.Err(); err != nil {
		return AssetStats{}, fmt.Errorf("analytics: assets: %w", err)
	}
	return out, nil
}

// Breakdown implements Queries.
func (s *Service) Breakdown(ctx context.Context, f Filter, b Breakdown) ([]Count, error) {
	def, ok := breakdowns[b]
	if !ok {
		return nil, fmt.Errorf("analytics: unknown breakdown %q", b)
	}
	account, err := s.start(ctx, f)
	if err != nil {
		return nil, err
	}
	q := &query{d: s.dialect}
	where := q.where(def.src, account, f, def.column+" IS NOT NULL", def.column+" <> ''")
	return s.counts(ctx, string(b), "SELECT "+def.column+", COUNT(*) FROM "+def.src.table+" t WHERE "+where+
		" GROUP BY "+def.column+" ORDER BY 2 DESC, 1", q.args)
}

// counts runs a statement of (key, count) rows.
func (s *Service) counts(ctx context.Context, what, stmt string, args []any) ([]Count, error) {
	rows, err := s.sql.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("analytics: %s: %w", what, err)
	}
	defer rows.Close()
	out := []Count{}
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Key, &c.Count); err != nil {
			return nil, fmt.Errorf("analytics: %s: %w", what, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: %s: %w", what, err)
	}
	return out, nil
}

// Jobs implements Queries.
func (s *Service) Jobs(ctx context.Context, f Filter) (JobStats, error) {
	account, err := s.start(ctx, f)
	if err != nil {
		return JobStats{}, err
	}
	q := &query{d: s.dialect}
	byStatus, err := s.counts(ctx, "jobs", "SELECT t.status, COUNT(*) FROM jobs t WHERE "+q.where(jobRows, account, f)+
		" GROUP BY t.status ORDER BY 2 DESC, 1", q.args)
	if err != nil {
		return JobStats{}, err
	}
	// The finished jobs' durations, their percentiles and the items they
	// finished per second of running, in one statement.
	q = &query{d: s.dialect}
	inner := "SELECT " + s.dialect.durationMs("t.started_at", "t.completed_at") + " AS v, " +
		"t.completed_assets + t.failed_assets AS items FROM jobs t WHERE " +
		q.where(jobRows, account, f, "t.started_at IS NOT NULL", "t.completed_at IS NOT NULL")
	stmt := "WITH j AS (" + inner + "), p AS (" + s.dialect.percentiles("SELECT v FROM j", 0.5, 0.95) + ") " +
		"SELECT p.*, (SELECT CASE WHEN SUM(v) > 0 THEN SUM(items) * 1000.0 / SUM(v) END FROM j) FROM p"
	out := JobStats{ByStatus: byStatus}
	var p50, p95, rate sql.NullFloat64
	if err := s.sql.QueryRowContext(ctx, stmt, q.args...).Scan(&p50, &p95, &rate); err != nil {
		return JobStats{}, fmt.Errorf("analytics: job durations: %w", err)
	}
	out.DurationP50Ms, out.DurationP95Ms, out.ItemsPerSecond = nullable(p50), nullable(p95), nullable(rate)
	return out, nil
}

// Webhooks implements Queries.
func (s *Service) Webhooks(ctx context.Context, f Filter) (WebhookStats, error) {
	account, err := s.start(ctx, f)
	if err != nil {
		return WebhookStats{}, err
	}
	q := &query{d: s.dialect}
	inner := "SELECT t.succeeded, t.latency_ms FROM webhook_deliveries t WHERE " + q.where(deliveryRows, account, f)
	stmt := "WITH w AS (" + inner + "), p AS (" +
		s.dialect.percentiles("SELECT CAST(latency_ms AS DOUBLE PRECISION) AS v FROM w WHERE latency_ms IS NOT NULL", 0.95) + ") " +
		"SELECT (SELECT COUNT(*) FROM w), (SELECT AVG(CASE WHEN succeeded THEN 1.0 ELSE 0.0 END) FROM w), p.* FROM p"
	var out WebhookStats
	var rate, p95 sql.NullFloat64
	if err := s.sql.QueryRowContext(ctx, stmt, q.args...).Scan(&out.Deliveries, &rate, &p95); err != nil {
		return WebhookStats{}, fmt.Errorf("analytics: webhook deliveries: %w", err)
	}
	out.SuccessRate, out.P95LatencyMs = nullable(rate), nullable(p95)
	return out, nil
}

// nullable turns a NULL into nil.
func nullable(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}
