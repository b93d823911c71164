package synth_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"maps"
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

// archive generates an archive of many stories, each file by its slug.
func archive(t *testing.T, n int, seed uint64) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := synth.Archive(synth.Options{Events: n, Seed: seed}, func(slug string) (io.WriteCloser, error) {
		if _, ok := files[slug]; ok {
			t.Fatalf("story %s written twice", slug)
		}
		return &file{files: files, slug: slug}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type file struct {
	bytes.Buffer
	files map[string][]byte
	slug  string
}

func (f *file) Close() error { f.files[f.slug] = f.Bytes(); return nil }

// digest is one hash over an archive's files, in slug order.
func digest(files map[string][]byte) [32]byte {
	h := sha256.New()
	for _, slug := range slices.Sorted(maps.Keys(files)) {
		h.Write([]byte(slug))
		h.Write(files[slug])
	}
	return [32]byte(h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	t.Run("OneStory", func(t *testing.T) {
		a, b := generate(t, 3000, 7), generate(t, 3000, 7)
		if sha256.Sum256(a) != sha256.Sum256(b) {
			t.Fatal("the same size and seed gave different archives")
		}
		if c := generate(t, 3000, 8); bytes.Equal(a, c) {
			t.Fatal("another seed gave the same archive")
		}
	})
	t.Run("Archive", func(t *testing.T) {
		a, b := archive(t, 3000, 7), archive(t, 3000, 7)
		if digest(a) != digest(b) {
			t.Fatal("the same size and seed gave different archives")
		}
		if c := archive(t, 3000, 8); digest(a) == digest(c) {
			t.Fatal("another seed gave the same archive")
		}
	})
}

// TestArchive reads every story of an archive back through the importer's
// own validation and checks what makes it an archive: about one story per
// 500 events, a skewed share of events per story, every event once, and
// actors shared between stories as the same records.
func TestArchive(t *testing.T) {
	const n = 20000
	files := archive(t, n, 1)
	if got, want := len(files), synth.Stories(n); got != want || want != 40 {
		t.Fatalf("%d stories, want %d (one per 500 events)", got, want)
	}
	actors := map[string]timeline.Actor{} // as the first file gives it
	storiesOf := map[string]int{}
	events := map[string]bool{}
	var sizes []int
	for slug, b := range files {
		ds, err := dataset.Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("story %s does not validate: %v", slug, err)
		}
		if ds.Slug != slug {
			t.Errorf("file %s names story %s", slug, ds.Slug)
		}
		sizes = append(sizes, len(ds.Events))
		for _, e := range ds.Events {
			if events[e.Slug] {
				t.Fatalf("event %s is in two stories", e.Slug)
			}
			events[e.Slug] = true
		}
		for _, a := range ds.Actors {
			if first, ok := actors[a.Slug]; ok && first != a {
				t.Errorf("actor %s differs between stories: %+v and %+v", a.Slug, first, a)
			}
			actors[a.Slug] = a
			storiesOf[a.Slug]++
		}
	}
	if len(events) != n {
		t.Errorf("%d events in all, want %d", len(events), n)
	}
	if len(actors) > synth.Actors(n) {
		t.Errorf("%d actors, want at most %d", len(actors), synth.Actors(n))
	}
	slices.Sort(sizes)
	smallest, median, largest := sizes[0], sizes[len(sizes)/2], sizes[len(sizes)-1]
	if smallest < 1 || largest < 5*median || largest > n/2 {
		t.Errorf("stories of %d, %d (median) and %d events, want a skewed share", smallest, median, largest)
	}
	var shared, widest int
	for _, c := range storiesOf {
		if c > 1 {
			shared++
		}
		widest = max(widest, c)
	}
	if shared < len(actors)/10 || widest < len(files)/2 {
		t.Errorf("%d of %d actors in more than one story, the widest in %d of %d stories", shared, len(actors), widest, len(files))
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
	if len(ds.Events) != n || len(ds.Actors) > synth.Actors(n) || len(ds.Actors) < synth.Actors(n)*9/10 || ds.Slug != "synthetic" {
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
