package server

import (
	"errors"
	"testing"
)

func TestVersioned(t *testing.T) {
	var v versioned[string]
	loads := 0
	load := func(value string, err error) func() (string, error) {
		return func() (string, error) { loads++; return value, err }
	}
	steps := []struct {
		state     dataState
		load      func() (string, error)
		want      string
		wantErr   bool
		wantLoads int
	}{
		{dataState{0, 1}, load("", errors.New("busy")), "", true, 1}, // a failure is not kept
		{dataState{0, 1}, load("one", nil), "one", false, 2},
		{dataState{0, 1}, load("never", nil), "one", false, 2},  // kept for its version
		{dataState{0, 2}, load("two", nil), "two", false, 3},    // a new version loads afresh
		{dataState{0, 1}, load("old", nil), "old", false, 4},    // a late reader of version 1 gets a fresh load…
		{dataState{0, 2}, load("never", nil), "two", false, 4},  // …which does not replace the newer value
		{dataState{1, 1}, load("file", nil), "file", false, 5},  // a new file at an earlier version loads afresh…
		{dataState{1, 1}, load("never", nil), "file", false, 5}, // …and is kept
		{dataState{0, 2}, load("gone", nil), "gone", false, 6},  // the old file's version is older
	}
	for i, s := range steps {
		got, err := v.get(s.state, s.load)
		if got != s.want || (err != nil) != s.wantErr || loads != s.wantLoads {
			t.Errorf("step %d (state %v): %q, %v after %d loads; want %q after %d", i, s.state, got, err, loads, s.want, s.wantLoads)
		}
	}
}
