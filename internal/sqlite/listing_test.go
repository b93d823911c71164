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
		slugs, err := db.FindListingSlugs(ctx, timeline.ListingEvents, n, size)
		if err != nil {
			t.Fatal(err)
		}
		if len(slugs) == 0 || len(slugs) > size {
			t.Errorf("chunk %d holds %d slugs, want 1 to %d", n, len(slugs), size)
		}
		all = append(all, slugs...)
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
	if slugs, err := db.FindListingSlugs(ctx, timeline.ListingStories, stories[0], size); err != nil || !slices.Equal(slugs, []string{"test-story"}) {
		t.Errorf("stories %v, %v; want [test-story]", slugs, err)
	}
	if _, err := db.FindListingSlugs(ctx, "actors", 0, size); timeline.ErrorCode(err) != timeline.EINVALID {
		t.Errorf("an unknown listing: %v, want EINVALID", err)
	}
}
