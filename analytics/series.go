package analytics

import (
	"context"
	"fmt"
)

// metricRows are the rows each metric counts.
var metricRows = map[Metric]source{
	MetricAssets:        assetRows,
	MetricScans:         scanRows,
	MetricSigns:         signRows,
	MetricVerifications: verificationRows,
	MetricAIDeclared:    aiDeclaredRows,
}

// Series implements Queries.
func (s *Service) Series(ctx context.Context, f Filter, m Metric, iv Interval) ([]Bucket, error) {
	src, ok := metricRows[m]
	if !ok {
		return nil, ErrMetric
	}
	if _, ok := iv.unit(); !ok {
		return nil, ErrInterval
	}
	account, err := s.start(ctx, f)
	if err != nil {
		return nil, err
	}
	q := &query{d: s.dialect}
	stmt := s.dialect.series(q, src, q.where(src, account, f), iv, f)
	rows, err := s.sql.QueryContext(ctx, stmt, q.args...)
	if err != nil {
		return nil, fmt.Errorf("analytics: series: %w", err)
	}
	defer rows.Close()
	loc := f.location()
	out := []Bucket{}
	for rows.Next() {
		var raw any
		var b Bucket
		if err := rows.Scan(&raw, &b.Count); err != nil {
			return nil, fmt.Errorf("analytics: series: %w", err)
		}
		if b.Start, err = s.dialect.bucketStart(raw, iv, loc); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: series: %w", err)
	}
	return out, nil
}
