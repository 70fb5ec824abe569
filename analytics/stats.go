package analytics

import "time"

// Count is the size of one group of an aggregate.
type Count struct {
	// Key is the group's value (a verdict, a model, a media type...).
	Key string
	// Count is how many rows the group has.
	Count int
}

// AssetStats summarises assets.
type AssetStats struct {
	// Total is how many assets there are.
	Total int
	// Bytes is the sum of their original sizes.
	Bytes int64
	// ByMediaType counts them per media type.
	ByMediaType []Count
}

// JobStats summarises jobs. The durations and the rate are over the jobs
// that started and finished; nil when there are none.
type JobStats struct {
	// ByStatus counts the jobs per status.
	ByStatus []Count
	// DurationP50Ms is the median time from start to finish.
	DurationP50Ms *float64
	// DurationP95Ms is its 95th percentile (interpolated, as
	// percentile_cont).
	DurationP95Ms *float64
	// ItemsPerSecond is the items finished (completed or failed) over the
	// total time the jobs ran.
	ItemsPerSecond *float64
}

// WebhookStats summarises webhook delivery attempts.
type WebhookStats struct {
	// Deliveries is how many attempts were made.
	Deliveries int
	// SuccessRate is the share of attempts that succeeded, from 0 to 1;
	// nil without attempts.
	SuccessRate *float64
	// P95LatencyMs is the 95th percentile of the attempts' latency; nil
	// without a measured attempt.
	P95LatencyMs *float64
}

// Bucket is one interval of a series.
type Bucket struct {
	// Start is the interval's first instant, in the filter's zone.
	Start time.Time
	// Count is how many rows fall in it.
	Count int
}
