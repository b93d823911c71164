package sqlite_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestListing reads the events of a story in chunks: none larger than its
// size, every event once, the withdrawn ones in none.
func TestListing(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 25))
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 18)) // withdraws the last 7

	const size = 4
	chunks, err := db.FindListingChunks(ctx, timeline.ListingEvents, size)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, n := range chunks {
		listed, err := db.FindListed(ctx, timeline.ListingEvents, n, size)
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) == 0 || len(listed) > size {
			t.Errorf("chunk %d holds %d pages, want 1 to %d", n, len(listed), size)
		}
		for _, p := range listed {
			if p.Changed.IsZero() {
				t.Errorf("%s: no change time", p.Slug)
			}
			all = append(all, p.Slug)
		}
	}
	var want []string
	for i := range 18 {
		want = append(want, fmt.Sprintf("e%04d", i))
	}
	slices.Sort(all)
	if !slices.Equal(all, want) {
		t.Errorf("listed %v, want %v", all, want)
	}

	stories, err := db.FindListingChunks(ctx, timeline.ListingStories, size)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 1 {
		t.Fatalf("story chunks %v, want one", stories)
	}
	listed, err := db.FindListed(ctx, timeline.ListingStories, stories[0], size)
	if err != nil || len(listed) != 1 || listed[0].Slug != "test-story" {
		t.Errorf("stories %v, %v; want test-story", listed, err)
	}
	if events, err := db.FindListed(ctx, timeline.ListingEvents, 0, size); err == nil && len(listed) == 1 && len(events) > 0 {
		// A story changed when the last of its events did.
		latest := events[0].Changed
		for _, e := range events {
			if e.Changed.After(latest) {
				latest = e.Changed
			}
		}
		if listed[0].Changed.Before(latest) {
			t.Errorf("the story's change time %v is before its events' %v", listed[0].Changed, latest)
		}
	}
	if _, err := db.FindListed(ctx, "actors", 0, size); timeline.ErrorCode(err) != timeline.EINVALID {
		t.Errorf("an unknown listing: %v, want EINVALID", err)
	}
}
