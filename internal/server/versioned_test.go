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
		version   int64
		load      func() (string, error)
		want      string
		wantErr   bool
		wantLoads int
	}{
		{1, load("", errors.New("busy")), "", true, 1}, // a failure is not kept
		{1, load("one", nil), "one", false, 2},
		{1, load("never", nil), "one", false, 2}, // kept for its version
		{2, load("two", nil), "two", false, 3},   // a new version loads afresh
		{1, load("old", nil), "old", false, 4},   // a late reader of version 1 gets a fresh load…
		{2, load("never", nil), "two", false, 4}, // …which does not replace the newer value
	}
	for i, s := range steps {
		got, err := v.get(s.version, s.load)
		if got != s.want || (err != nil) != s.wantErr || loads != s.wantLoads {
			t.Errorf("step %d (version %d): %q, %v after %d loads; want %q after %d", i, s.version, got, err, loads, s.want, s.wantLoads)
		}
	}
}
