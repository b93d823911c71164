package sqlite_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func storyA(t *testing.T) *timeline.Dataset {
	return sqlitetest.StoryDataset(t, "a", []sqlitetest.Event{
		{Slug: "a-claim", Kind: "claim", When: "2023-05-03", Zone: "UTC", Actors: []string{"peskov", "kirby:target"}},
		{Slug: "a-denial", Kind: "denial", When: "2023-05-04", Zone: "UTC", Actors: []string{"kirby"}, Answers: []string{"a-claim:denies"}},
		{Slug: "a-later", Kind: "statement", When: "2023-06", Zone: "UTC", Actors: []string{"peskov"}},
	})
}

func storyB(t *testing.T) *timeline.Dataset {
	return sqlitetest.StoryDataset(t, "b", []sqlitetest.Event{
		{Slug: "b-accuses", Kind: "accusation", When: "2024-01-02", Zone: "UTC", Actors: []string{"peskov", "zelensky:target"}},
	})
}

func TestStories(t *testing.T) {
	ctx := context.Background()

	t.Run("Isolation", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, storyA(t))
		before := exportStory(t, db, "a")
		pageBefore, err := db.FindEvents(ctx, timeline.Filter{Story: "a"})
		if err != nil {
			t.Fatal(err)
		}
		sqlitetest.MustImport(t, db, storyB(t))
		b := storyB(t)
		b.Events[0].Title = "B retitled"
		sqlitetest.MustImport(t, db, b)
		if after := exportStory(t, db, "a"); !bytes.Equal(before, after) {
			t.Fatalf("importing story b changed story a's export:\n%s\n---\n%s", before, after)
		}
		pageAfter, err := db.FindEvents(ctx, timeline.Filter{Story: "a"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(pageAfter.Events), slugs(pageBefore.Events); got != want {
			t.Fatalf("story a's events = %s, want %s", got, want)
		}
		all, err := db.FindEvents(ctx, timeline.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(all.Events), "a-claim a-denial a-later b-accuses"; got != want {
			t.Fatalf("the archive's events = %s, want %s", got, want)
		}
		peskov, err := db.FindEvents(ctx, timeline.Filter{Actors: []string{"peskov"}, Story: "b"})
		if err != nil || slugs(peskov.Events) != "b-accuses" {
			t.Fatalf("peskov in story b = %v (%v)", slugs(peskov.Events), err)
		}
	})

	t.Run("SameFileTwiceChangesNothing", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, storyA(t))
		sqlitetest.MustImport(t, db, storyB(t))
		res := sqlitetest.MustImport(t, db, storyA(t))
		if res.Changed() || res.DataVersion != 2 {
			t.Fatalf("the same file again: %+v, want no change at version 2", res)
		}
	})

	t.Run("Counts", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, storyA(t))
		sqlitetest.MustImport(t, db, storyB(t))
		page, err := db.FindStories(ctx, nil, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Stories) != 1 || page.Stories[0].Slug != "b" || page.Older == nil {
			t.Fatalf("first page = %+v, want story b and a cursor", page)
		}
		page, err = db.FindStories(ctx, page.Older, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Stories) != 1 || page.Older != nil {
			t.Fatalf("second page = %+v, want one story, no cursor", page)
		}
		a := page.Stories[0]
		if a.Slug != "a" || a.EventCount != 3 || a.ClaimCount != 1 || a.First.Text() != "2023-05-03" || a.Last.Text() != "2023-06" {
			t.Fatalf("story a = %+v", a)
		}
		if len(a.TopActors) != 2 || a.TopActors[0].Slug != "peskov" || a.TopActors[0].EventCount != 2 {
			t.Fatalf("story a's busiest = %+v, want peskov (2) first", a.TopActors)
		}
		// Re-importing a moves it up.
		a2 := storyA(t)
		a2.Description = "New"
		sqlitetest.MustImport(t, db, a2)
		page, _ = db.FindStories(ctx, nil, 5, 0)
		if page.Stories[0].Slug != "a" {
			t.Fatalf("after a change to a, first = %s", page.Stories[0].Slug)
		}
	})

	t.Run("Withdrawal", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		a := storyA(t)
		a.Events[2].FormerSlugs = []string{"a-old"}
		sqlitetest.MustImport(t, db, a)
		a = storyA(t)
		a.Events = a.Events[:2] // a-later is no longer in the file
		res := sqlitetest.MustImport(t, db, a)
		if res.EventsWithdrawn != 1 {
			t.Fatalf("withdrawn %d, want 1", res.EventsWithdrawn)
		}
		for _, slug := range []string{"a-later", "a-old"} {
			_, err := db.FindEvent(ctx, slug)
			var gone *timeline.Error
			if !asError(err, &gone) || gone.Code != timeline.EGONE || gone.Story.Slug != "a" || gone.Story.Title != "Story a" {
				t.Fatalf("FindEvent(%s) = %v, want EGONE of story a", slug, err)
			}
		}
		st, _ := db.FindStory(ctx, "a")
		if st.EventCount != 2 || st.Last.Text() != "2023-05-04" {
			t.Fatalf("story a after the withdrawal: %+v", st)
		}
		// Never reused: not in this story, not in another.
		for _, ds := range []*timeline.Dataset{storyA(t), sqlitetest.StoryDataset(t, "c", []sqlitetest.Event{{Slug: "a-later", Kind: "claim", When: "2023", Zone: "UTC", Actors: []string{"x"}}})} {
			_, err := db.Import(ctx, ds)
			if err == nil || !strings.Contains(err.Error(), "withdrawn from story a") {
				t.Fatalf("reusing a withdrawn slug in %s: err = %v", ds.Slug, err)
			}
		}
		if v, _ := db.FindArchive(ctx); v.DataVersion != 2 {
			t.Fatalf("refused imports moved the data version to %d", v.DataVersion)
		}
	})

	t.Run("CrossStoryAnswers", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, storyA(t))
		b := storyB(t)
		b.Events[0].Answers = []timeline.Answer{{Type: timeline.AnswerDisputes, Event: timeline.EventRef{Slug: "a-claim"}}}
		sqlitetest.MustImport(t, db, b)
		claim, err := db.FindEvent(ctx, "a-claim")
		if err != nil {
			t.Fatal(err)
		}
		var fromB *timeline.Answer
		for i, ans := range claim.AnsweredBy {
			if ans.Event.Slug == "b-accuses" {
				fromB = &claim.AnsweredBy[i]
			}
		}
		if fromB == nil || fromB.Event.Story != (timeline.StoryRef{Slug: "b", Title: "Story b"}) || claim.Story.Slug != "a" {
			t.Fatalf("a-claim answered by %+v in story %+v, want b-accuses of story b", claim.AnsweredBy, claim.Story)
		}
		// Withdrawing the answered event from a is refused, naming both.
		a := storyA(t)
		a.Events = a.Events[1:]
		a.Events[0].Answers = nil
		_, err = db.Import(ctx, a)
		if err == nil || !strings.Contains(err.Error(), "event b-accuses of story b answers event a-claim of story a") {
			t.Fatalf("withdrawing an event another story answers: err = %v", err)
		}
		if _, err := db.FindEvent(ctx, "a-claim"); err != nil {
			t.Fatalf("after the refused import: %v", err)
		}
	})

	// Files of one import that list the same actor or source: the last
	// record wins, whether the records between differ or repeat it.
	t.Run("SharedRecordsLastOneWins", func(t *testing.T) {
		renamed := func(ds *timeline.Dataset, name, outlet string) *timeline.Dataset {
			for i := range ds.Actors {
				if ds.Actors[i].Slug == "peskov" {
					ds.Actors[i].Name = name
				}
			}
			ds.Sources[0].Outlet = outlet
			return ds
		}
		c := sqlitetest.StoryDataset(t, "c", []sqlitetest.Event{{Slug: "c-claim", Kind: "claim", When: "2024", Zone: "UTC", Actors: []string{"peskov"}}})
		for _, tt := range []struct {
			name         string
			files        []*timeline.Dataset
			actor, wire  string
			actorChanges int // of peskov's records
		}{
			{"ChangedThenBack", []*timeline.Dataset{storyA(t), renamed(storyB(t), "Dmitry Peskov", "Wire, renamed"), c}, "Name peskov", "Wire service", 3},
			{"Repeated", []*timeline.Dataset{renamed(storyA(t), "Dmitry Peskov", "Wire, renamed"), renamed(storyB(t), "Dmitry Peskov", "Wire, renamed")}, "Dmitry Peskov", "Wire, renamed", 1},
		} {
			t.Run(tt.name, func(t *testing.T) {
				db := sqlitetest.MustOpen(t)
				im, err := db.BeginImport(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer im.Rollback()
				actorRecords := 0
				for _, ds := range tt.files {
					actorRecords += len(ds.Actors)
					if err := im.Apply(ds); err != nil {
						t.Fatal(err)
					}
				}
				res, err := im.Commit()
				if err != nil {
					t.Fatal(err)
				}
				peskov, err := db.FindActor(ctx, "peskov")
				if err != nil || peskov.Name != tt.actor {
					t.Fatalf("peskov = %+v (%v), want named %q", peskov, err, tt.actor)
				}
				// Every actor but peskov is in one file: each is one change.
				distinct := 0
				seen := map[string]bool{}
				for _, ds := range tt.files {
					for _, a := range ds.Actors {
						if !seen[a.Slug] {
							seen[a.Slug] = true
							distinct++
						}
					}
				}
				if want := distinct - 1 + tt.actorChanges; res.ActorsChanged != want {
					t.Errorf("actors changed = %d, want %d", res.ActorsChanged, want)
				}
				var outlet string
				if err := sqlite.ReadConn(db).QueryRow(`SELECT outlet FROM sources WHERE key = 'wire'`).Scan(&outlet); err != nil || outlet != tt.wire {
					t.Errorf("wire's outlet = %q (%v), want %q", outlet, err, tt.wire)
				}
				// Each story still lists what its file listed, repeated or not.
				for _, ds := range tt.files {
					got, err := dataset.Read(bytes.NewReader(exportStory(t, db, ds.Slug)))
					if err != nil {
						t.Fatal(err)
					}
					if g, w := actorSlugs(got.Actors), actorSlugs(ds.Actors); g != w {
						t.Errorf("story %s lists actors %s, want %s", ds.Slug, g, w)
					}
					if len(got.Sources) != 1 || got.Sources[0].Key != "wire" {
						t.Errorf("story %s lists sources %+v, want wire", ds.Slug, got.Sources)
					}
				}
			})
		}
	})

	t.Run("AnEventIsInOneStory", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, storyA(t))
		ds := sqlitetest.StoryDataset(t, "c", []sqlitetest.Event{{Slug: "a-claim", Kind: "claim", When: "2023", Zone: "UTC", Actors: []string{"x"}}})
		_, err := db.Import(ctx, ds)
		if err == nil || !strings.Contains(err.Error(), "belongs to an event of story a") {
			t.Fatalf("an event of a in c's file: err = %v", err)
		}
	})

	t.Run("UnknownStory", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		if _, err := db.FindEvents(ctx, timeline.Filter{Story: "nope"}); timeline.ErrorCode(err) != timeline.ENOTFOUND {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
	})

	t.Run("FirstFormatSlug", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		ds := sqlitetest.Dataset(t, []sqlitetest.Event{{Slug: "x1", Kind: "claim", When: "2023", Zone: "UTC", Actors: []string{"x"}}})
		ds.Title = "Drones over the Kremlin, May 2023"
		res := sqlitetest.MustImport(t, db, ds)
		if got := strings.Join(res.Stories, ","); got != "drones-over-the-kremlin-may-2023" {
			t.Fatalf("stories = %s", got)
		}
	})
}

// TestMigrateStories: a database of one story, from before stories, keeps
// it as a story with a slug from its title, holding every event.
func TestMigrateStories(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/old.db", sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	w := sqlite.WriteConn(db)
	for _, q := range []string{
		`UPDATE story SET title = 'Drones over the Kremlin, May 2023', description = 'D', data_version = 3`,
		`INSERT INTO actors (slug, name, kind) VALUES ('peskov', 'Peskov', 'person')`,
		`INSERT INTO sources (key, outlet) VALUES ('wire', 'Wire')`,
		`INSERT INTO events (slug, title, summary, kind, when_text, zone, sort_unix, content_hash) VALUES ('e1', 'T', 'S', 'claim', '2023-05-03', 'UTC', 1683115200, 'h')`,
		`INSERT INTO event_actors (event_id, actor_id, role, position, sort_unix) VALUES (1, 1, 'speaker', 0, 1683115200)`,
		`INSERT INTO event_sources (event_id, position, source_id, quote) VALUES (1, 0, 1, 'q')`,
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := db.FindStory(ctx, "drones-over-the-kremlin-may-2023")
	if err != nil {
		t.Fatal(err)
	}
	if st.Title != "Drones over the Kremlin, May 2023" || st.Description != "D" || st.EventCount != 1 || st.ClaimCount != 1 || st.Updated != 3 {
		t.Fatalf("migrated story = %+v", st)
	}
	e, err := db.FindEvent(ctx, "e1")
	if err != nil || e.Story.Slug != st.Slug {
		t.Fatalf("e1 = %+v (%v)", e, err)
	}
	page, err := db.FindEvents(ctx, timeline.Filter{Story: st.Slug, Actors: []string{"peskov"}})
	if err != nil || slugs(page.Events) != "e1" {
		t.Fatalf("peskov in the story = %v (%v)", page, err)
	}
	if got, want := st.Slug, timeline.SlugOf(st.Title); got != want {
		t.Fatalf("SQL slug %q, Go slug %q", got, want)
	}
}

func actorSlugs(actors []timeline.Actor) string {
	var b strings.Builder
	for _, a := range actors {
		b.WriteString(a.Slug + " ")
	}
	return b.String()
}

func slugs(events []timeline.Event) string {
	var out []string
	for _, e := range events {
		out = append(out, e.Slug)
	}
	return strings.Join(out, " ")
}

// TestRetitledFileNamingNoStory: a file that names no story goes into the
// story its title makes, so an editor who retitles it is refused with a
// way to keep it one story, and nothing is written.
func TestRetitledFileNamingNoStory(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, []sqlitetest.Event{{Slug: "e1", Kind: "statement", When: "2023-05-03", Zone: "UTC", Actors: []string{"peskov"}}})
	ds.Slug, ds.Title = "", "Drones over the Kremlin"
	sqlitetest.MustImport(t, db, ds)
	ds.Title = "Drones over the Kremlin, corrected"
	_, err := db.Import(ctx, ds)
	if timeline.ErrorCode(err) != timeline.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	for _, want := range []string{"drones-over-the-kremlin", "--story drones-over-the-kremlin", "name the story in the file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to say %q", err, want)
		}
	}
	page, err := db.FindStories(ctx, nil, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Stories) != 1 || page.Stories[0].Title != "Drones over the Kremlin" {
		t.Errorf("stories after the refused import: %+v", page.Stories)
	}
}
