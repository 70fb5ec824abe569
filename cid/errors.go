package cid

import (
	"errors"
	"fmt"
)

// ErrUnknownProfile is wrapped by an OptionError when Options.Profile names
// no profile this package implements.
var ErrUnknownProfile = errors.New("unknown profile")

// ErrUnsupportedVersion is wrapped by an OptionError when Options.Version is
// neither 0 nor 1.
var ErrUnsupportedVersion = errors.New("unsupported CID version")

// ErrProfileVersion is wrapped by an OptionError when the CID version is one
// the profile does not allow (unixfs-v1-2025 fixes CIDv1).
var ErrProfileVersion = errors.New("CID version not allowed by profile")

// ErrFinished is returned by Builder.Write once Builder.CID has closed the
// DAG: a CID covers exactly the bytes written before it was taken.
var ErrFinished = errors.New("cid: write after CID was taken")

// OptionError reports an invalid field of Options. Err is one of the
// sentinel errors above, so callers can branch with errors.Is.
type OptionError struct {
	Field string // "Version" or "Profile"
	Value string // the rejected value, as the user would write it
	Err   error
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("cid: invalid %s %q: %v", e.Field, e.Value, e.Err)
}

// Unwrap returns the sentinel error.
func (e *OptionError) Unwrap() error { return e.Err }
