package dataset

import (
	"strconv"
	"strings"
	"testing"
)

func TestSlugSet(t *testing.T) {
	s := newSlugSet()
	if s.has("ev-1") {
		t.Fatal("an empty set has ev-1")
	}
	const n = 100000 // enough to grow the table many times
	for i := range n {
		if s.add("ev-" + strconv.Itoa(i)) {
			t.Fatalf("ev-%d was already there", i)
		}
	}
	for i := range n {
		if !s.add("ev-" + strconv.Itoa(i)) {
			t.Fatalf("adding ev-%d again: not found", i)
		}
		if !s.has("ev-" + strconv.Itoa(i)) {
			t.Fatalf("ev-%d missing", i)
		}
	}
	for _, absent := range []string{"", "ev", "ev-", "ev-100000", "ev-01", "v-1", strings.Repeat("x", 300)} {
		if s.has(absent) {
			t.Errorf("has(%q) = true", absent)
		}
	}
	long := strings.Repeat("a", maxSetSlug)
	if s.add(long) || !s.has(long) || s.has(long[1:]) {
		t.Error("the longest slug is not kept apart from its prefix")
	}
	if s.n != n+1 {
		t.Errorf("n = %d, want %d", s.n, n+1)
	}
}
