package quota_test

import (
	"testing"
	"time"

	"provgraph/quota"
)

func TestWindow(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name       string
		window     quota.Window
		at         time.Time
		start, end time.Time
	}{
		{"minute", quota.Minute, utc(2026, 3, 14, 15, 9, 26.5), utc(2026, 3, 14, 15, 9, 0), utc(2026, 3, 14, 15, 10, 0)},
		{"minute at its start", quota.Minute, utc(2026, 3, 14, 15, 9, 0), utc(2026, 3, 14, 15, 9, 0), utc(2026, 3, 14, 15, 10, 0)},
		{"last minute of the year", quota.Minute, utc(2026, 12, 31, 23, 59, 59), utc(2026, 12, 31, 23, 59, 0), utc(2027, 1, 1, 0, 0, 0)},
		{"day", quota.Day, utc(2026, 3, 14, 15, 9, 26), utc(2026, 3, 14, 0, 0, 0), utc(2026, 3, 15, 0, 0, 0)},
		{"day in UTC, not local time", quota.Day, time.Date(2026, 3, 15, 0, 30, 0, 0, cet), utc(2026, 3, 14, 0, 0, 0), utc(2026, 3, 15, 0, 0, 0)},
		{"last day of February", quota.Day, utc(2028, 2, 29, 12, 0, 0), utc(2028, 2, 29, 0, 0, 0), utc(2028, 3, 1, 0, 0, 0)},
		{"month", quota.Month, utc(2026, 3, 14, 15, 9, 26), utc(2026, 3, 1, 0, 0, 0), utc(2026, 4, 1, 0, 0, 0)},
		{"month of 31 days", quota.Month, utc(2026, 1, 31, 23, 59, 59), utc(2026, 1, 1, 0, 0, 0), utc(2026, 2, 1, 0, 0, 0)},
		{"December", quota.Month, utc(2026, 12, 31, 23, 59, 59), utc(2026, 12, 1, 0, 0, 0), utc(2027, 1, 1, 0, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.window.Start(tt.at); !got.Equal(tt.start) || got.Location() != time.UTC {
				t.Errorf("Start(%s) = %s, want %s", tt.at, got, tt.start)
			}
			if got := tt.window.End(tt.at); !got.Equal(tt.end) {
				t.Errorf("End(%s) = %s, want %s", tt.at, got, tt.end)
			}
		})
	}
}

// utc is the instant of a UTC calendar date and time.
func utc(year int, month time.Month, day, hour, minute int, second float64) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC).Add(time.Duration(second * float64(time.Second)))
}
