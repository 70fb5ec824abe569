package scan

import (
	"errors"
	"fmt"
)

// ErrMetadataLimit is reported when the scan would read more metadata bytes
// than Options.MaxMetadataBytes allows; the report then covers what was read.
var ErrMetadataLimit = errors.New("scan: metadata byte limit reached")

// FormatError describes malformed container bytes at a given offset. The scan
// keeps what it found before the damage and lists the error in
// Report.Warnings.
type FormatError struct {
	Format string // container, e.g. "jpeg", "png", "bmff"
	Offset int64  // byte offset in the file (or in the metadata block for XMP/EXIF)
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("scan: malformed %s at offset %d: %s", e.Format, e.Offset, e.Msg)
}

func formatErr(format string, off int64, msg string, args ...any) error {
	return &FormatError{Format: format, Offset: off, Msg: fmt.Sprintf(msg, args...)}
}
