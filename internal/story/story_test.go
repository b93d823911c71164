package story_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestBundledStory(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatalf("the bundled story does not validate: %v", err)
	}
	if len(ds.Events) < 20 {
		t.Errorf("%d events, want at least 20", len(ds.Events))
	}
	used := map[string]bool{}
	for _, e := range ds.Events {
		if len(e.Sources) == 0 {
			t.Errorf("event %s has no source", e.Slug)
		}
		for _, a := range e.Actors {
			used[a.Actor.Slug] = true
		}
		// A denial answers something: that is the point of the story.
		if e.Kind == timeline.KindDenial && len(e.Answers) == 0 {
			t.Errorf("denial %s answers nothing", e.Slug)
		}
	}
	for _, a := range ds.Actors {
		if !used[a.Slug] {
			t.Errorf("actor %s is in no event", a.Slug)
		}
	}
}

// TestQuotesAreVerbatim checks every quote against the two source articles,
// which CI has beside the repository in ../shared/seeds.
func TestQuotesAreVerbatim(t *testing.T) {
	seeds, _ := filepath.Glob("../../../shared/seeds/*.txt")
	if len(seeds) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the source articles (../shared/seeds) are missing")
		}
		t.Skip("the source articles (../shared/seeds) are not beside this checkout")
	}
	var articles strings.Builder
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		articles.Write(b)
		articles.WriteString("\n\x00\n") // no quote may span two articles
	}
	text := articles.String()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	quotes := 0
	for _, e := range ds.Events {
		for _, c := range e.Sources {
			if c.Quote == "" {
				continue
			}
			quotes++
			if !strings.Contains(text, c.Quote) {
				t.Errorf("event %s: quote from %s is not verbatim in the articles: %q", e.Slug, c.Source.Key, c.Quote)
			}
		}
	}
	if quotes < len(ds.Events) {
		t.Errorf("%d quotes for %d events: every event should quote its source", quotes, len(ds.Events))
	}
}
