package jumbf

import (
	"errors"
	"fmt"
)

// Sentinel causes carried by a *FormatError; test them with errors.Is.
var (
	// ErrTruncated reports a header or field that runs past the end of its box.
	ErrTruncated = errors.New("jumbf: truncated")
	// ErrBadSize reports a box size that is impossible (smaller than its
	// header, past the end of the enclosing data, or 0 where a size is needed).
	ErrBadSize = errors.New("jumbf: bad box size")
	// ErrTooDeep reports superboxes nested deeper than Limits.MaxDepth.
	ErrTooDeep = errors.New("jumbf: superboxes nested too deeply")
	// ErrTooLarge reports input or a box count beyond Limits.
	ErrTooLarge = errors.New("jumbf: too large")
	// ErrToggles reports a description box whose toggles lack Requestable|Label (0x03).
	ErrToggles = errors.New("jumbf: description toggles lack requestable and label")
	// ErrEmptyLabel reports a superbox whose description has an empty label.
	ErrEmptyLabel = errors.New("jumbf: empty superbox label")
	// ErrNoDescription reports a superbox whose first child is not a jumd box.
	ErrNoDescription = errors.New("jumbf: superbox without description box")
	// ErrNotSuperBox reports data whose outermost box is not a jumb superbox.
	ErrNotSuperBox = errors.New("jumbf: not a superbox")
)

// FormatError reports malformed JUMBF. Offset is relative to the start of the
// data given to Parse.
type FormatError struct {
	Offset int64  // byte offset of the offending box or field
	Box    string // four-character type of the box being read, if known
	Msg    string // human detail
	Err    error  // one of the sentinel errors above
}

// Error formats the error with its offset.
func (e *FormatError) Error() string {
	s := "jumbf: "
	if e.Box != "" {
		s += fmt.Sprintf("%q box ", e.Box)
	}
	s += fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg)
	return s
}

// Unwrap returns the sentinel cause so that errors.Is(err, ErrTooDeep) works.
func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(off int, box string, cause error, format string, args ...any) *FormatError {
	return &FormatError{Offset: int64(off), Box: box, Msg: fmt.Sprintf(format, args...), Err: cause}
}
