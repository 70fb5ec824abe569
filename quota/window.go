package quota

import "time"

// Window is the span a count covers. Windows are calendar spans in UTC —
// a clock minute, a day from midnight UTC, a month from the first at
// midnight UTC — not sliding ones: every instance computes the same window
// for the same instant, and a count starts again from zero when its window
// ends.
type Window uint8

// The windows.
const (
	Minute Window = iota + 1
	Day
	Month
)

// valid reports whether w is one of the windows.
func (w Window) valid() bool { return w >= Minute && w <= Month }

// String returns "minute", "day" or "month".
func (w Window) String() string {
	switch w {
	case Minute:
		return "minute"
	case Day:
		return "day"
	case Month:
		return "month"
	default:
		return "invalid window"
	}
}

// Start returns the start of the window t falls in.
func (w Window) Start(t time.Time) time.Time {
	t = t.UTC()
	switch w {
	case Minute:
		return t.Truncate(time.Minute)
	case Day:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	default:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
}

// End returns the end of the window t falls in: the start of the next.
func (w Window) End(t time.Time) time.Time {
	start := w.Start(t)
	switch w {
	case Minute:
		return start.Add(time.Minute)
	case Day:
		return start.AddDate(0, 0, 1)
	default:
		return start.AddDate(0, 1, 0)
	}
}
