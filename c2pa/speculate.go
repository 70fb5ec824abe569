package c2pa

import (
	"errors"
	"io"
	"sync/atomic"
)

// errSpeculation reports that a handler's speculative walk did not agree
// with its full walk: the operation must be done again without speculating.
var errSpeculation = errors.New("c2pa: a speculative structure walk did not hold")

// speculation is one full walk running in the background.
type speculation struct {
	done chan struct{}
	ok   bool // full succeeded and agreed with quick
}

// stoppableReader is the reader a background walk reads through: once the
// operation is over, its reads fail, so the walk ends early.
type stoppableReader struct {
	r       io.ReaderAt
	stopped *atomic.Bool
}

var errOperationOver = errors.New("c2pa: operation over")

func (s stoppableReader) ReadAt(p []byte, off int64) (int, error) {
	if s.stopped.Load() {
		return 0, errOperationOver
	}
	return s.r.ReadAt(p, off)
}

// Speculate implements asset.Speculator. A readAhead speculates only when
// its operation asked for it (sign does); the full walk then reads the
// underlying asset directly, concurrently with the operation's own reads,
// as io.ReaderAt allows.
func (ra *readAhead) Speculate(key any, quick func() (any, bool, error), full func(io.ReaderAt) (any, error), agree func(q, f any) bool) (any, error) {
	if !ra.speculative {
		return ra.Remember(key, func() (any, error) { return full(ra) })
	}
	return ra.Remember(key, func() (any, error) {
		q, complete, err := quick()
		if err != nil || complete {
			return q, err
		}
		s := &speculation{done: make(chan struct{})}
		ra.specMu.Lock()
		ra.specs = append(ra.specs, s)
		ra.specMu.Unlock()
		go func() {
			defer close(s.done)
			f, err := full(stoppableReader{ra.r, &ra.stopped})
			s.ok = err == nil && agree(q, f)
		}()
		return q, nil
	})
}

// confirm waits for the operation's background walks and returns
// errSpeculation when one of them failed or disagreed.
func (ra *readAhead) confirm() error {
	ra.specMu.Lock()
	specs := ra.specs
	ra.specMu.Unlock()
	for _, s := range specs {
		<-s.done
		if !s.ok {
			return errSpeculation
		}
	}
	return nil
}

// stopSpeculating ends the background walks and waits for them.
func (ra *readAhead) stopSpeculating() {
	ra.stopped.Store(true)
	ra.specMu.Lock()
	specs := ra.specs
	ra.specMu.Unlock()
	for _, s := range specs {
		<-s.done
	}
}
