package asset

import "io"

// Memo is implemented by readers that wrap an asset for the length of one
// operation (one read or one sign). Handlers keep in it what they learnt
// about the asset's structure, so that ReadStore, Plan and Locate within the
// same operation walk the file once: for a JPEG that walk reads all of the
// entropy-coded data. The memo dies with the operation; nothing is shared
// between operations.
type Memo interface {
	// Remember returns the value stored under key, calling compute to
	// produce it (and its error) the first time.
	Remember(key any, compute func() (any, error)) (any, error)
}

// Remember returns compute's result, computed once per operation when r is
// a Memo and every time otherwise. key must be comparable and private to
// the caller (an unexported type), and the value must not be modified by
// those it is handed to.
func Remember[T any](r io.ReaderAt, key any, compute func() (T, error)) (T, error) {
	m, ok := r.(Memo)
	if !ok {
		return compute()
	}
	v, err := m.Remember(key, func() (any, error) { return compute() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
