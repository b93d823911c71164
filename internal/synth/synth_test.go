package synth_test

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
)

func generate(t *testing.T, n int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a, b := generate(t, 3000, 7), generate(t, 3000, 7)
	if sha256.Sum256(a) != sha256.Sum256(b) {
		t.Fatal("the same size and seed gave different archives")
	}
	if c := generate(t, 3000, 8); bytes.Equal(a, c) {
		t.Fatal("another seed gave the same archive")
	}
}

// TestValidAndRealistic reads an archive back through the importer's own
// validation and checks the shape the scale tests rely on.
func TestValidAndRealistic(t *testing.T) {
	const n = 20000
	ds, err := dataset.Read(bytes.NewReader(generate(t, n, 1)))
	if err != nil {
		t.Fatalf("the archive does not validate: %v", err)
	}
	if len(ds.Events) != n || len(ds.Actors) != synth.Actors(n) {
		t.Fatalf("%d events, %d actors", len(ds.Events), len(ds.Actors))
	}
	perActor := map[string]int{}
	kinds := map[timeline.EventKind]bool{}
	precisions := map[timeline.Precision]bool{}
	zones := map[string]bool{}
	answers, roles := 0, map[timeline.Role]bool{}
	for _, e := range ds.Events {
		if len(e.Actors) < 1 || len(e.Actors) > 5 || len(e.Sources) < 1 || len(e.Sources) > 3 {
			t.Fatalf("event %s has %d actors and %d sources", e.Slug, len(e.Actors), len(e.Sources))
		}
		for _, a := range e.Actors {
			perActor[a.Actor.Slug]++
			roles[a.Role] = true
		}
		kinds[e.Kind] = true
		precisions[e.When.Precision] = true
		zones[e.When.Zone()] = true
		answers += len(e.Answers)
	}
	if len(kinds) != len(timeline.EventKinds) || len(precisions) != 6 || len(zones) < 5 || len(roles) != 3 {
		t.Errorf("kinds %d, precisions %d, zones %d, roles %d", len(kinds), len(precisions), len(zones), len(roles))
	}
	if answers < n/15 || answers > n/7 {
		t.Errorf("%d answers among %d events, want about one in ten", answers, n)
	}
	// Skewed: the busiest actor is in a large share of events, the median
	// actor in a small fraction of that.
	var counts []int
	for _, c := range perActor {
		counts = append(counts, c)
	}
	slices.Sort(counts)
	top, median := counts[len(counts)-1], counts[len(counts)/2]
	if top < n/20 || median*20 > top {
		t.Errorf("busiest actor in %d of %d events, median actor in %d", top, n, median)
	}
	first, last := ds.Events[0].When.Start.Year(), ds.Events[n-1].When.Start.Year()
	if last-first < 28 {
		t.Errorf("events span %d–%d, want about 30 years", first, last)
	}
}
