package sqlite_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// importAt imports ds with the import's clock set to at.
func importAt(t *testing.T, db *sqlite.DB, ds *timeline.Dataset, at time.Time) sqlite.ImportResult {
	t.Helper()
	ctx := context.Background()
	im, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	im.SetTime(at)
	if err := im.Apply(ds); err != nil {
		t.Fatal(err)
	}
	res, err := im.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// changedSlugs are the slugs of a page of changes, in its order.
func changedSlugs(p *timeline.EventPage) []string {
	var out []string
	for _, e := range p.Events {
		out = append(out, e.Slug)
	}
	return out
}

func TestEventChanges(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)

	t.Run("StampedByTheImportsThatChangeThem", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t0)
		if res := importAt(t, db, sqlitetest.Dataset(t, storySpecs), t1); res.Changed() {
			t.Fatalf("the same file again = %+v, want no change", res)
		}
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[0].Title = "Blast, retitled"
		importAt(t, db, ds, t2)
		for slug, want := range map[string][2]time.Time{"blast": {t0, t2}, "claim": {t0, t0}, "us-denies": {t0, t0}} {
			e, err := db.FindEvent(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			if !e.Added.Equal(want[0]) || !e.Changed.Equal(want[1]) {
				t.Errorf("%s: added %v changed %v, want %v and %v", slug, e.Added, e.Changed, want[0], want[1])
			}
		}
	})

	t.Run("AnAnswerGainedOrLostStampsWhatItAnswers", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t0)
		specs := slices.Clone(storySpecs)
		specs[4].Answers = []string{"us-blamed:denies", "claim:doubts"} // us-denies now doubts the claim too
		importAt(t, db, sqlitetest.Dataset(t, specs), t1)
		page, err := db.FindChanges(ctx, timeline.Filter{}, nil, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := changedSlugs(page), []string{"us-denies", "claim"}; !slices.Equal(got, want) {
			t.Fatalf("newest changes = %v, want %v", got, want)
		}
		if !page.Events[1].Changed.Equal(t1) {
			t.Errorf("claim changed %v, want %v", page.Events[1].Changed, t1)
		}
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t2) // the doubt withdrawn again
		claim, err := db.FindEvent(ctx, "claim")
		if err != nil {
			t.Fatal(err)
		}
		if !claim.Changed.Equal(t2) {
			t.Errorf("claim changed %v after losing an answer, want %v", claim.Changed, t2)
		}
		blamed, _ := db.FindEvent(ctx, "us-blamed") // still denied as before
		if !blamed.Changed.Equal(t0) {
			t.Errorf("us-blamed changed %v, want %v: its answers did not change", blamed.Changed, t0)
		}
	})

	t.Run("AWithdrawnAnswerStampsWhatItAnswered", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t0)
		if res := importAt(t, db, sqlitetest.Dataset(t, storySpecs[:4]), t1); res.EventsWithdrawn != 1 { // us-denies withdrawn
			t.Fatalf("import = %+v, want one event withdrawn", res)
		}
		blamed, err := db.FindEvent(ctx, "us-blamed")
		if err != nil {
			t.Fatal(err)
		}
		if !blamed.Changed.Equal(t1) {
			t.Errorf("us-blamed changed %v, want %v: its denial was withdrawn", blamed.Changed, t1)
		}
	})

	t.Run("PagedNewestFirst", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t0)
		var got []string
		var older *timeline.Cursor
		for range 10 {
			page, err := db.FindChanges(ctx, timeline.Filter{}, older, 2)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, changedSlugs(page)...)
			if older = page.Earlier; older == nil {
				break
			}
		}
		// One import: every event has its time, and the slug orders them.
		if want := []string{"us-denies", "us-blamed", "kyiv-denies", "claim", "blast"}; !slices.Equal(got, want) {
			t.Errorf("pages = %v, want %v", got, want)
		}
	})

	t.Run("Filtered", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		importAt(t, db, sqlitetest.Dataset(t, storySpecs), t0)
		for _, tc := range []struct {
			name string
			f    timeline.Filter
			want []string
		}{
			{"Actor", timeline.Filter{Actors: []string{"ukraine"}}, []string{"us-blamed", "kyiv-denies", "claim"}},
			{"ActorRole", timeline.Filter{Actors: []string{"ukraine"}, Role: timeline.RoleTarget}, []string{"claim"}},
			{"Kind", timeline.Filter{Kinds: []timeline.EventKind{timeline.KindDenial}}, []string{"us-denies", "kyiv-denies"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page, err := db.FindChanges(ctx, tc.f, nil, timeline.MaxFeedEntries)
				if err != nil {
					t.Fatal(err)
				}
				if got := changedSlugs(page); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}
