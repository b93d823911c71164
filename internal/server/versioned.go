package server

import (
	"sync"

	"github.com/timelinenews/timeline/internal/timeline"
)

// dataState names the state of the data a story was read at: its data
// version in the store's current file. A replica's next file may repeat a
// data version with other data, so the file counts first.
type dataState struct{ reopens, version int64 }

func stateOf(st timeline.Archive) dataState {
	return dataState{reopens: st.Reopens, version: st.DataVersion}
}

func (a dataState) before(b dataState) bool {
	return a.reopens < b.reopens || (a.reopens == b.reopens && a.version < b.version)
}

// versioned keeps one value computed from the data, valid for one state of
// it: the next state computes it afresh.
type versioned[T any] struct {
	mu    sync.Mutex
	state dataState
	value T
	ok    bool
}

// get returns the value for state, computing it with load when it is
// missing or belongs to another state. Concurrent callers for a missing
// value wait for one load rather than running it each. A failed load is
// not kept, nor one for a state older than the one kept (a request that
// read the data version just before an import).
func (v *versioned[T]) get(state dataState, load func() (T, error)) (T, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ok && v.state == state {
		return v.value, nil
	}
	value, err := load()
	if err != nil || (v.ok && state.before(v.state)) {
		return value, err
	}
	v.value, v.state, v.ok = value, state, true
	return value, nil
}
