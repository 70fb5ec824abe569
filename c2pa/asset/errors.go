package asset

import (
	"errors"
	"fmt"
)

// Sentinel errors; test with errors.Is. A *FormatError unwraps to one of them.
var (
	// ErrNoStore reports an asset without an embedded manifest store (c2pa-rs: JumbfNotFound).
	ErrNoStore = errors.New("asset: no manifest store")
	// ErrTooManyStores reports an asset carrying more than one manifest store (c2pa-rs: TooManyManifestStores).
	ErrTooManyStores = errors.New("asset: more than one manifest store")
	// ErrUnsupported reports a format no registered handler understands.
	ErrUnsupported = errors.New("asset: unsupported format")
	// ErrMalformed reports a container whose structure is broken (truncated, sizes past the end, ...).
	ErrMalformed = errors.New("asset: malformed container")
	// ErrTooLarge reports a store or structure beyond the package's bounds.
	ErrTooLarge = errors.New("asset: too large")
	// ErrStoreSize reports a store whose length differs from the one a Plan was made for.
	ErrStoreSize = errors.New("asset: store length differs from the planned length")
	// ErrExclusion reports an exclusion range that is negative or runs past the end of the asset.
	ErrExclusion = errors.New("asset: exclusion out of range")
)

// MaxStoreSize bounds the manifest store a handler reassembles or embeds.
const MaxStoreSize = 256 << 20

// FormatError reports a problem in an asset at a byte offset, like debug/elf.
type FormatError struct {
	Format string // handler format, e.g. "jpeg"
	Offset int64  // offset in the input asset
	Msg    string // human detail
	Err    error  // sentinel cause (ErrMalformed unless stated)
}

// Error formats the error with its offset.
func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: at offset %d: %s", e.Format, e.Offset, e.Msg)
}

// Unwrap returns the sentinel cause.
func (e *FormatError) Unwrap() error {
	if e.Err == nil {
		return ErrMalformed
	}
	return e.Err
}

// Malformed returns a *FormatError with cause ErrMalformed; msg and args
// are formatted as by fmt.Sprintf.
func Malformed(format string, off int64, msg string, args ...any) *FormatError {
	return &FormatError{Format: format, Offset: off, Msg: fmt.Sprintf(msg, args...), Err: ErrMalformed}
}

// NewError returns a *FormatError with the given sentinel cause; msg and
// args are formatted as by fmt.Sprintf.
func NewError(cause error, format string, off int64, msg string, args ...any) *FormatError {
	return &FormatError{Format: format, Offset: off, Msg: fmt.Sprintf(msg, args...), Err: cause}
}
