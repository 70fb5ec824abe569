package storage

import "errors"

// ErrNotFound is returned when a key has no blob.
var ErrNotFound = errors.New("storage: blob not found")

// ErrInvalidKey is returned for keys that could escape the bucket or are
// otherwise unusable (empty, absolute, containing "..").
var ErrInvalidKey = errors.New("storage: invalid key")

// ErrTooLarge is returned by Put when the data exceeds the limit it was given.
var ErrTooLarge = errors.New("storage: blob exceeds size limit")
