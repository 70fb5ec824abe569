package c2pa

import "sync"

// memo is the per-operation asset.Memo a readAhead carries: a read or a
// sign wraps the asset in one readAhead, so handlers' structure walks are
// shared by the calls of that operation and forgotten with it.
type memo struct {
	mu     sync.Mutex
	values map[any]memoEntry
}

type memoEntry struct {
	v   any
	err error
}

// Remember implements asset.Memo. compute runs without the lock held, as it
// reads the asset through the same readAhead.
func (m *memo) Remember(key any, compute func() (any, error)) (any, error) {
	m.mu.Lock()
	e, ok := m.values[key]
	m.mu.Unlock()
	if ok {
		return e.v, e.err
	}
	v, err := compute()
	m.mu.Lock()
	if m.values == nil {
		m.values = map[any]memoEntry{}
	}
	m.values[key] = memoEntry{v, err}
	m.mu.Unlock()
	return v, err
}
