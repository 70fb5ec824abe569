package analytics

import (
	"strings"
	"time"
)

// Filter selects the part of the caller's graph an aggregate counts: rows
// created in [From, To) (either end open when nil), of the assets of one
// collection when CollectionID is set. Location is the time zone series
// are bucketed in; nil means UTC.
type Filter struct {
	// From is the first instant counted.
	From *time.Time
	// To is the first instant no longer counted.
	To *time.Time
	// Location buckets series (days start at its midnight).
	Location *time.Location
	// CollectionID restricts the assets (and their scans, signs and
	// verifications, and the jobs over the collection) to one collection.
	CollectionID *int
}

// location returns the zone series are bucketed in.
func (f Filter) location() *time.Location {
	if f.Location == nil {
		return time.UTC
	}
	return f.Location
}

// validate checks the range.
func (f Filter) validate() error {
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		return ErrRange
	}
	return nil
}

// ParseTimeZone returns the IANA zone named (UTC for ""). The process's
// local zone is not offered: its name means nothing to the database.
func ParseTimeZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if name == "Local" {
		return nil, &TimeZoneError{Name: name}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &TimeZoneError{Name: name}
	}
	return loc, nil
}

// Metric is what a series counts.
type Metric string

// The metrics of a series.
const (
	// MetricAssets counts assets stored.
	MetricAssets Metric = "ASSETS"
	// MetricScans counts scans.
	MetricScans Metric = "SCANS"
	// MetricSigns counts signatures (the declarations signing made).
	MetricSigns Metric = "SIGNS"
	// MetricVerifications counts verifications.
	MetricVerifications Metric = "VERIFICATIONS"
	// MetricAIDeclared counts scans whose file declares AI generation in
	// machine-readable metadata (verdict DECLARED_AI).
	MetricAIDeclared Metric = "AI_DECLARED"
)

// Interval is the width of a series bucket.
type Interval string

// The bucket widths of a series. A week starts on Monday (ISO 8601).
const (
	IntervalHour  Interval = "HOUR"
	IntervalDay   Interval = "DAY"
	IntervalWeek  Interval = "WEEK"
	IntervalMonth Interval = "MONTH"
)

// unit is the interval's date_trunc field.
func (iv Interval) unit() (string, bool) {
	switch iv {
	case IntervalHour:
		return "hour", true
	case IntervalDay:
		return "day", true
	case IntervalWeek:
		return "week", true
	case IntervalMonth:
		return "month", true
	}
	return "", false
}

// NewFilter returns the filter of the API's arguments: timeZone is an IANA
// name ("" for UTC).
func NewFilter(from, to *time.Time, timeZone string, collectionID *int) (Filter, error) {
	loc, err := ParseTimeZone(timeZone)
	if err != nil {
		return Filter{}, err
	}
	f := Filter{From: from, To: to, Location: loc, CollectionID: collectionID}
	return f, f.validate()
}
