package c2pa

import (
	"errors"
	"io"

	"provgraph/c2pa/asset"
)

// errSpeculation reports that a handler's speculative walk did not hold:
// the operation must be done again without speculating.
var errSpeculation = errors.New("c2pa: a speculative structure walk did not hold")

// following is one asset.Follower and the offset of the next byte it wants.
type following struct {
	f    asset.Follower
	next int64
	done bool
}

// Speculate implements asset.Speculator. A readAhead speculates only when
// its operation asked for it (sign and read do). Followers are fed the
// windows the operation reads through the readAhead and the reads of
// feedingReader (signing's hash pass); confirm feeds them what is left.
func (ra *readAhead) Speculate(key any, quick func() (any, asset.Follower, error), full func() (any, error)) (any, error) {
	if !ra.speculative {
		return ra.Remember(key, full)
	}
	return ra.Remember(key, func() (any, error) {
		v, f, err := quick()
		if err != nil || f == nil {
			return v, err
		}
		s := &following{f: f, next: f.Start()}
		ra.mu.Lock()
		cur, curOff := ra.cur, ra.curOff
		ra.specMu.Lock()
		ra.follows = append(ra.follows, s)
		ra.specMu.Unlock()
		if cur != nil {
			ra.feed(cur, curOff)
		}
		ra.mu.Unlock()
		return v, nil
	})
}

// feed hands p, the asset's bytes at off, to the followers that want them
// next.
func (ra *readAhead) feed(p []byte, off int64) {
	ra.specMu.Lock()
	defer ra.specMu.Unlock()
	for _, s := range ra.follows {
		if s.done || off > s.next || off+int64(len(p)) <= s.next {
			continue
		}
		s.done = s.f.Write(p[s.next-off:])
		s.next = off + int64(len(p))
	}
}

// feedingReader returns the underlying asset as an io.ReaderAt whose reads
// also feed the followers: a pass that reads the asset directly (WriteHashing
// reads ahead itself) checks the speculations on the way.
func (ra *readAhead) feedingReader() io.ReaderAt {
	if !ra.speculative {
		return ra.r
	}
	return feedingReader{ra}
}

type feedingReader struct{ ra *readAhead }

func (f feedingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := f.ra.r.ReadAt(p, off)
	if n > 0 {
		f.ra.feed(p[:n], off)
	}
	return n, err
}

// confirm feeds each follower the bytes the operation did not read for it
// and returns errSpeculation when a speculation did not hold (or the rest
// could not be read: the full walk will meet the same error).
func (ra *readAhead) confirm() error {
	ra.specMu.Lock()
	defer ra.specMu.Unlock()
	var buf []byte
	for _, s := range ra.follows {
		for !s.done && s.next < ra.size {
			if buf == nil {
				buf = make([]byte, readAheadWindow)
			}
			n := int(min(int64(len(buf)), ra.size-s.next))
			m, _ := ra.r.ReadAt(buf[:n], s.next)
			if m > 0 {
				s.done = s.f.Write(buf[:m])
				s.next += int64(m)
			}
			if m < n {
				return errSpeculation
			}
		}
		if !s.f.Holds() {
			return errSpeculation
		}
	}
	return nil
}
