package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestFindThread(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	specs := append(slices.Clone(storySpecs),
		// An answer to an answer to an answer, and an unrelated event.
		sqlitetest.Event{Slug: "peskov-lying", Kind: "accusation", When: "2023-05-05", Zone: "Europe/Moscow", Actors: []string{"peskov"}, Answers: []string{"us-denies:disputes"}},
		sqlitetest.Event{Slug: "parade", Kind: "statement", When: "2023-05-09", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
	)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, specs))

	for _, from := range []string{"claim", "us-denies", "peskov-lying"} {
		t.Run("From_"+from, func(t *testing.T) {
			thread, err := db.FindThread(ctx, from)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"claim", "kyiv-denies", "us-blamed", "us-denies", "peskov-lying"}
			if got := slugsOf(thread); !slices.Equal(got, want) {
				t.Errorf("thread = %v, want %v", got, want)
			}
			if thread[3].AnsweredBy[0].Event.Quote != "Quote for peskov-lying" {
				t.Errorf("answer quote = %q", thread[3].AnsweredBy[0].Event.Quote)
			}
		})
	}
	t.Run("Alone", func(t *testing.T) {
		thread, err := db.FindThread(ctx, "parade")
		if err != nil || !slices.Equal(slugsOf(thread), []string{"parade"}) {
			t.Fatalf("thread = %v, %v", slugsOf(thread), err)
		}
	})
	t.Run("Loop", func(t *testing.T) {
		// The file format refuses loops; a database that has one anyway
		// (written by another tool) must still give a finite thread.
		loop := sqlitetest.Dataset(t, []sqlitetest.Event{
			{Slug: "a", Kind: "claim", When: "2023-05-01", Zone: "UTC", Actors: []string{"x"}, Answers: []string{"c:denies"}},
			{Slug: "b", Kind: "denial", When: "2023-05-02", Zone: "UTC", Actors: []string{"y"}, Answers: []string{"a:denies"}},
			{Slug: "c", Kind: "denial", When: "2023-05-03", Zone: "UTC", Actors: []string{"x"}, Answers: []string{"b:denies"}},
		})
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, loop)
		thread, err := db.FindThread(ctx, "b")
		if err != nil || !slices.Equal(slugsOf(thread), []string{"a", "b", "c"}) {
			t.Fatalf("thread = %v, %v", slugsOf(thread), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.FindThread(ctx, "nope"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
			t.Fatalf("err = %v", err)
		}
	})
}
