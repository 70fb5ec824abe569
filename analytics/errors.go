package analytics

import (
	"errors"

	"provgraph/apierror"
)

var (
	// ErrUnsupportedDialect is returned by NewService for a database that
	// is neither SQLite nor PostgreSQL.
	ErrUnsupportedDialect = errors.New("analytics: unsupported database dialect")

	// ErrRange is returned when to is not after from.
	ErrRange = &apierror.InvalidFieldError{Field: "to", Reason: "must be after from"}
	// ErrMetric is returned for a series metric this package does not know.
	ErrMetric = &apierror.InvalidFieldError{Field: "metric", Reason: "unknown metric"}
	// ErrInterval is returned for a bucket interval this package does not
	// know.
	ErrInterval = &apierror.InvalidFieldError{Field: "interval", Reason: "unknown interval"}
	// ErrFormat is returned for an export format this package does not
	// know.
	ErrFormat = &apierror.InvalidFieldError{Field: "format", Reason: "want ndjson or csv"}
)

// TimeZoneError reports a time zone that is not an IANA zone name.
type TimeZoneError struct {
	// Name is the zone as given.
	Name string
}

// Error implements error.
func (e *TimeZoneError) Error() string {
	return "invalid timeZone: " + e.Name + " is not an IANA time zone (e.g. Europe/Paris)"
}

// Unwrap makes a TimeZoneError an invalid input.
func (e *TimeZoneError) Unwrap() error { return apierror.ErrInvalidInput }
