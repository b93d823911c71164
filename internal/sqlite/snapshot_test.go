package sqlite_test

import (
	"context"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestBeginRead: every call made in one read sees the state it began on,
// however many imports commit meanwhile; a call made outside sees the new
// one, and the read's end lets the readers go.
func TestBeginRead(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	before := sqlitetest.StoryDataset(t, "s", []sqlitetest.Event{
		{Slug: "one", Kind: "claim", When: "2023-05-03", Zone: "UTC"},
	})
	sqlitetest.MustImport(t, db, before)

	read, end, err := db.BeginRead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer end()
	first, err := db.FindArchive(read)
	if err != nil {
		t.Fatal(err)
	}

	after := sqlitetest.StoryDataset(t, "s", []sqlitetest.Event{
		{Slug: "one", Kind: "claim", When: "2023-05-03", Zone: "UTC"},
		{Slug: "two", Kind: "denial", When: "2023-05-04", Zone: "UTC", Answers: []string{"one:denies"}},
	})
	after.Title = "Retitled"
	sqlitetest.MustImport(t, db, after)

	now, err := db.FindArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if now.DataVersion == first.DataVersion {
		t.Fatalf("data version %d: the second import changed nothing", now.DataVersion)
	}
	again, err := db.FindArchive(read)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("archive in the read: %+v, then %+v", first, again)
	}
	st, err := db.FindStory(read, "s")
	if err != nil {
		t.Fatal(err)
	}
	if st.Title != before.Title || st.EventCount != 1 {
		t.Errorf("story in the read: %q with %d events, want %q with 1", st.Title, st.EventCount, before.Title)
	}
	page, err := db.FindEvents(read, timeline.Filter{Story: "s", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 {
		t.Errorf("%d events in the read, want 1", len(page.Events))
	}
	if _, err := db.FindEvent(read, "two"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
		t.Errorf("an event imported after the read began: %v, want not found", err)
	}
	e, err := db.FindEvent(ctx, "two")
	if err != nil {
		t.Fatalf("outside the read: %v", err)
	}
	if e.Title != "Title of two" {
		t.Errorf("outside the read: %q", e.Title)
	}

	nested, endNested, err := db.BeginRead(read)
	if err != nil {
		t.Fatal(err)
	}
	endNested()
	if got, err := db.FindArchive(nested); err != nil || got != first {
		t.Errorf("a read begun in a read is the same read: %+v, %v", got, err)
	}
	end()
	end() // a second end is harmless
	// Close waits for every read in flight: it returns only once end has
	// let the readers go.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
