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

// Speculator is implemented by per-operation readers (see Memo) that let a
// handler go on with a cheap walk of the start of an asset while the full
// walk its answer depends on runs alongside the operation's data pass. A
// JPEG's segment list needs a walk of all of its entropy-coded data, yet
// what signing uses of that list (its APP0 and APP11 segments) is almost
// always found before the first scan. The operation checks every
// speculation before it commits its result and, when one did not hold,
// starts again without speculating, so what it returns is what the full
// walks alone would have given.
type Speculator interface {
	// Speculate returns the value stored under key; the first time, it
	// calls quick and, unless quick reports its value complete or fails,
	// starts full on a reader of its own in the background; the operation
	// later checks agree(quick's value, full's value). A reader that is not
	// speculating computes full on itself instead.
	Speculate(key any, quick func() (v any, complete bool, err error), full func(io.ReaderAt) (any, error), agree func(quick, full any) bool) (any, error)
}

// Speculate returns the value of a structure walk for handlers whose full
// walk is costly: quick's value when r is a speculating Speculator (see
// there), full's computed once per operation when r is a Memo, and full's
// computed every time otherwise. quick's value must be usable wherever the
// operation uses full's whenever agree(quick, full) holds.
func Speculate[T any](r io.ReaderAt, key any, quick func() (T, bool, error), full func(io.ReaderAt) (T, error), agree func(quick, full T) bool) (T, error) {
	s, ok := r.(Speculator)
	if !ok {
		return Remember(r, key, func() (T, error) { return full(r) })
	}
	v, err := s.Speculate(key,
		func() (any, bool, error) { return quick() },
		func(fr io.ReaderAt) (any, error) { return full(fr) },
		func(q, f any) bool { return agree(q.(T), f.(T)) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
