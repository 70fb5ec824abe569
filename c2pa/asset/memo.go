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
// handler go on with a cheap walk of the start of an asset while the rest
// of the walk its answer depends on is checked from the bytes the operation
// reads anyway. A JPEG's segment list needs a walk of all of its
// entropy-coded data, yet what signing and validation use of that list (its
// APP0 and APP11 segments) is almost always found before the first scan.
// The operation checks every speculation before it commits its result and,
// when one did not hold, starts again without speculating, so what it
// returns is what the full walks alone would have given.
type Speculator interface {
	// Speculate returns the value stored under key. The first time, when
	// the reader speculates, it calls quick: a nil Follower means quick's
	// value is complete; otherwise the Follower is fed the asset's bytes
	// from its Start on as the operation reads them (the rest at the end)
	// and says whether quick's value held. A reader that does not
	// speculate calls full instead.
	Speculate(key any, quick func() (any, Follower, error), full func() (any, error)) (any, error)
}

// Follower checks a speculative value against the asset's bytes from
// Start on, fed to it in order.
type Follower interface {
	// Start is the offset of the first byte the follower needs.
	Start() int64
	// Write takes the next bytes and reports whether the follower has seen
	// all it needs.
	Write(p []byte) (done bool)
	// Holds reports, once the follower is done or the asset has ended,
	// whether the speculative value is the one the full walk gives.
	Holds() bool
}

// Speculate returns the value of a structure walk for handlers whose full
// walk is costly: quick's value, checked later by its Follower, when r is a
// speculating Speculator; otherwise full's, computed once per operation
// when r is a Memo and every time otherwise.
func Speculate[T any](r io.ReaderAt, key any, quick func() (T, Follower, error), full func() (T, error)) (T, error) {
	s, ok := r.(Speculator)
	if !ok {
		return Remember(r, key, full)
	}
	v, err := s.Speculate(key,
		func() (any, Follower, error) { return quick() },
		func() (any, error) { return full() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
