package server

import "sync"

// versioned keeps one value computed from the data, valid for one data
// version: the next version computes it afresh.
type versioned[T any] struct {
	mu      sync.Mutex
	version int64
	value   T
	ok      bool
}

// get returns the value for version, computing it with load when it is
// missing or belongs to another version. Concurrent callers for a missing
// value wait for one load rather than running it each. A failed load is
// not kept, nor one for a version older than the one kept (a request that
// read the version just before an import).
func (v *versioned[T]) get(version int64, load func() (T, error)) (T, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ok && v.version == version {
		return v.value, nil
	}
	value, err := load()
	if err != nil || (v.ok && version < v.version) {
		return value, err
	}
	v.value, v.version, v.ok = value, version, true
	return value, nil
}
