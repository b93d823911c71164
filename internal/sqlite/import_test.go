package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/migrations"
)

func TestImport(t *testing.T) {
	ctx := context.Background()

	t.Run("SameFileTwiceChangesNothing", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		first := sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if first.EventsChanged != 5 || first.DataVersion != 1 {
			t.Fatalf("first import = %+v", first)
		}
		second := sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if second.Changed() || second.EventsSame != 5 || second.DataVersion != 1 {
			t.Fatalf("second import = %+v, want no change and data version 1", second)
		}
	})

	t.Run("EditUpdatesInPlace", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		before, _ := db.FindEvent(ctx, "us-blamed")
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[3].Title = "Kremlin blames Washington"
		ds.Events[3].Actors = ds.Events[3].Actors[:2] // drop ukraine:mentioned
		res := sqlitetest.MustImport(t, db, ds)
		if res.EventsChanged != 1 || res.EventsSame != 4 || res.DataVersion != 2 {
			t.Fatalf("import = %+v", res)
		}
		after, _ := db.FindEvent(ctx, "us-blamed")
		if after.ID != before.ID || after.Title != "Kremlin blames Washington" || len(after.Actors) != 2 {
			t.Fatalf("after edit: id %d→%d title %q actors %d", before.ID, after.ID, after.Title, len(after.Actors))
		}
		ukraine, _ := db.FindActor(ctx, "ukraine")
		if ukraine.EventCount != 2 {
			t.Errorf("ukraine's event count = %d after the edit, want 2", ukraine.EventCount)
		}
	})

	t.Run("RenameKeepsIdentity", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		before, _ := db.FindEvent(ctx, "claim")
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[1].Slug = "kremlin-claims-attack"
		ds.Events[1].FormerSlugs = []string{"claim"}
		ds.Events[2].Answers[0].Event.Slug = "kremlin-claims-attack"
		sqlitetest.MustImport(t, db, ds)
		after, err := db.FindEvent(ctx, "kremlin-claims-attack")
		if err != nil || after.ID != before.ID {
			t.Fatalf("renamed event: %v, id %d want %d", err, after.ID, before.ID)
		}
		if len(after.AnsweredBy) != 1 {
			t.Errorf("renamed event lost its answers: %+v", after.AnsweredBy)
		}
		_, err = db.FindEvent(ctx, "claim")
		var moved *timeline.Error
		if !errors.As(err, &moved) || moved.Code != timeline.EMOVED || moved.Slug != "kremlin-claims-attack" {
			t.Fatalf("old slug: %v", err)
		}
	})

	t.Run("ErrorWritesNothing", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[4].Actors = append(ds.Events[4].Actors, timeline.EventActor{Actor: timeline.Actor{Slug: "ghost"}, Role: timeline.RoleSpeaker})
		if _, err := db.Import(ctx, ds); err == nil {
			t.Fatal("import with an unknown actor succeeded")
		}
		page, err := db.FindEvents(ctx, timeline.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		st, _ := db.FindArchive(ctx)
		actors, _ := db.FindActors(ctx)
		if len(page.Events) != 0 || len(actors) != 0 || st.DataVersion != 0 {
			t.Fatalf("a failed import left %d events, %d actors, version %d", len(page.Events), len(actors), st.DataVersion)
		}
	})

	// Rows of event_actors, event_sources and answers are inserted many
	// at a time; one the database refuses must still be named, whether it
	// is in a full batch or in the last, part batch, and whether the
	// database was empty or not. A trigger stands in for the refusal.
	t.Run("BatchedRowErrorNamesItsEvent", func(t *testing.T) {
		tests := []struct {
			table string
			spoil func(e *timeline.Event)
			want  func(e *timeline.Event) string // what the error names after the event
		}{
			{"event_actors", func(e *timeline.Event) { e.Actors[0].Role = "refused" },
				func(e *timeline.Event) string { return "actor " + e.Actors[0].Actor.Slug }},
			{"event_sources", func(e *timeline.Event) { e.Sources[0].Quote = "refused" },
				func(e *timeline.Event) string { return "source wire" }},
			{"answers", func(e *timeline.Event) {
				e.Answers = append(e.Answers, timeline.Answer{Type: "refused", Event: timeline.EventRef{Slug: "e0001"}})
			}, func(e *timeline.Event) string { return "answer to e0001" }},
		}
		for _, tt := range tests {
			for _, at := range []int{70, 99} {
				for _, over := range []bool{false, true} {
					db := sqlitetest.MustOpen(t)
					if over {
						sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 3))
					}
					if _, err := sqlite.WriteConn(db).Exec(`CREATE TRIGGER refuse BEFORE INSERT ON ` + tt.table + `
						WHEN 'refused' IN (` + map[string]string{"event_actors": "NEW.role", "event_sources": "NEW.quote", "answers": "NEW.type"}[tt.table] + `)
						BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
						t.Fatal(err)
					}
					ds := sqlitetest.ManyEvents(t, 100)
					bad := &ds.Events[at]
					tt.spoil(bad)
					_, err := db.Import(ctx, ds)
					want := fmt.Sprintf("import event %s: %s: refused by the test", bad.Slug, tt.want(bad))
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Fatalf("%s, event %d, over existing events %v: err = %v, want %q", tt.table, at, over, err, want)
					}
					page, _ := db.FindEvents(ctx, timeline.Filter{})
					if want := map[bool]int{false: 0, true: 3}[over]; len(page.Events) != want {
						t.Fatalf("a failed import left %d events, want %d", len(page.Events), want)
					}
				}
			}
		}
	})

	// Two records of one event in one import (a file would be refused, a
	// dataset is not): the second's rows replace the first's, though the
	// first's may still be waiting in a batch.
	t.Run("SameEventTwice", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[1].Title = "Edited once"
		again := ds.Events[1]
		again.Slug, again.FormerSlugs, again.Title = "claim-renamed", []string{"claim"}, "Edited twice"
		again.Actors = []timeline.EventActor{{Actor: timeline.Actor{Slug: "zelensky"}, Role: timeline.RoleMentioned}}
		ds.Events = append(ds.Events, again)
		ds.Events[2].Answers[0].Event.Slug = "claim-renamed"
		sqlitetest.MustImport(t, db, ds)
		e, err := db.FindEvent(ctx, "claim-renamed")
		if err != nil {
			t.Fatal(err)
		}
		if e.Title != "Edited twice" || len(e.Actors) != 1 || e.Actors[0].Actor.Slug != "zelensky" {
			t.Fatalf("event = %q with actors %+v, want the second record's", e.Title, e.Actors)
		}
	})

	t.Run("DisputesFollowAnswers", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		contested := func() []string {
			page, err := db.FindEvents(ctx, timeline.Filter{Contested: true})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, e := range page.Events {
				slugs = append(slugs, e.Slug)
			}
			return slugs
		}
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[3].Answers[0].Type = timeline.AnswerCites // us-blamed no longer disputes kyiv-denies
		ds.Events[4].Answers = nil                          // nor does us-denies deny us-blamed
		sqlitetest.MustImport(t, db, ds)
		if got, want := contested(), []string{"claim", "kyiv-denies"}; !slices.Equal(got, want) {
			t.Errorf("in dispute after the edit: %v, want %v", got, want)
		}
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if got, want := contested(), []string{"claim", "kyiv-denies", "us-blamed", "us-denies"}; !slices.Equal(got, want) {
			t.Errorf("in dispute after the edit is undone: %v, want %v", got, want)
		}
	})

	// A bulk import shrinks the writer's page cache and lets SQLite sort on
	// helper threads; the connection outlives the import and must get its
	// own settings back, whether the import commits or fails.
	t.Run("BulkSettingsPutBack", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		settings := func() (cacheSize, threads int) {
			conn := sqlite.WriteConn(db)
			if err := conn.QueryRow(`PRAGMA cache_size`).Scan(&cacheSize); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(`PRAGMA threads`).Scan(&threads); err != nil {
				t.Fatal(err)
			}
			return cacheSize, threads
		}
		cacheSize, threads := settings()
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[4].Actors[0].Actor.Slug = "ghost"
		if _, err := db.Import(ctx, ds); err == nil {
			t.Fatal("import with an unknown actor succeeded")
		}
		if c, th := settings(); c != cacheSize || th != threads {
			t.Errorf("after a failed import: cache_size %d, threads %d; want %d, %d", c, th, cacheSize, threads)
		}
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if c, th := settings(); c != cacheSize || th != threads {
			t.Errorf("after an import: cache_size %d, threads %d; want %d, %d", c, th, cacheSize, threads)
		}
	})

	// A bulk import drops the indexes of the event tables and the story
	// lists, and builds every one again before it commits.
	t.Run("BulkIndexesBuilt", func(t *testing.T) {
		indexes := func(db *sqlite.DB) string {
			var names string
			if err := sqlite.ReadConn(db).QueryRow(`SELECT group_concat(name, ' ' ORDER BY name) FROM sqlite_master WHERE type = 'index'`).Scan(&names); err != nil {
				t.Fatal(err)
			}
			return names
		}
		db := sqlitetest.MustOpen(t)
		want := indexes(db)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if got := indexes(db); got != want {
			t.Fatalf("after a bulk import, indexes\n%s\nwant\n%s", got, want)
		}
	})

	// A bulk import widens the search index's hashsize while it writes the
	// search rows; what the index had before is there after: its own
	// setting, or none.
	t.Run("BulkSearchHashPutBack", func(t *testing.T) {
		hashsize := func(db *sqlite.DB) string {
			var v sql.NullString
			err := sqlite.ReadConn(db).QueryRow(`SELECT v FROM event_search_config WHERE k = 'hashsize'`).Scan(&v)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Fatal(err)
			}
			return v.String
		}
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if got := hashsize(db); got != "" {
			t.Errorf("after a bulk import, hashsize = %q, want none set", got)
		}
		db = sqlitetest.MustOpen(t)
		if _, err := sqlite.WriteConn(db).Exec(`INSERT INTO event_search (event_search, rank) VALUES ('hashsize', 2097152)`); err != nil {
			t.Fatal(err)
		}
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if got := hashsize(db); got != "2097152" {
			t.Errorf("after a bulk import, hashsize = %q, want the 2097152 set before", got)
		}
		var n int
		if err := sqlite.ReadConn(db).QueryRow(`SELECT count(*) FROM event_search WHERE event_search MATCH 'blamed'`).Scan(&n); err != nil || n == 0 {
			t.Errorf("search for 'blamed' found %d (%v), want the events", n, err)
		}
	})

	t.Run("SearchIndexFollows", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[0].Summary = "Footage shows a flash over the dome"
		ds.Events[3].Sources = append(ds.Events[3].Sources, timeline.Citation{Source: timeline.Source{Key: "wire"}, Quote: "A second quote"})
		sqlitetest.MustImport(t, db, ds)
		var n int
		if err := sqlite.ReadConn(db).QueryRow(`SELECT count(*) FROM event_search WHERE event_search MATCH 'dome'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		var total int
		sqlite.ReadConn(db).QueryRow(`SELECT count(*) FROM event_search`).Scan(&total)
		if n != 1 || total != 5 {
			t.Fatalf("search finds %d for 'dome' in %d rows, want 1 in 5", n, total)
		}
		// Quotes are searched too, each event's in order.
		var quotes string
		if err := sqlite.ReadConn(db).QueryRow(`SELECT quotes FROM event_search WHERE event_search MATCH 'quotes:blamed'`).Scan(&quotes); err != nil {
			t.Fatal(err)
		}
		if want := "Quote for us-blamed\nA second quote"; quotes != want {
			t.Errorf("quotes = %q, want %q", quotes, want)
		}
	})
}

// TestImportWhileReading checks that readers never see an error or a half
// import while a writer imports in a loop.
func TestImportWhileReading(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	plain := sqlitetest.ManyEvents(t, 300)
	sqlitetest.MustImport(t, db, plain)
	revised := sqlitetest.ManyEvents(t, 300)
	for i := range revised.Events {
		revised.Events[i].Title += " (revised)"
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				page, err := db.FindEvents(ctx, timeline.Filter{Actors: []string{"alice"}})
				if err != nil {
					errs <- err
					return
				}
				// Every import rewrites every title: a page is all old or all new.
				n := 0
				for _, e := range page.Events {
					if strings.HasSuffix(e.Title, "(revised)") {
						n++
					}
				}
				if len(page.Events) != 100 || (n != 0 && n != 100) {
					errs <- errors.New("a reader saw a half-applied import")
					return
				}
			}
		}()
	}
	for i := 0; i < 6; i++ {
		ds := plain
		if i%2 == 0 {
			ds = revised
		}
		if _, err := db.Import(ctx, ds); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	latest, err := sqlite.LatestVersion()
	if err != nil {
		t.Fatal(err)
	}
	// A database left at each earlier version migrates to the latest. The
	// versions are the files' numbers, which a branch may leave a gap in
	// until it is merged and renumbered.
	versions := []int{0}
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if n, err := strconv.Atoi(name[:4]); err == nil && n < latest {
			versions = append(versions, n)
		}
	}
	for _, v := range versions {
		path := filepath.Join(t.TempDir(), "db")
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if v > 0 {
			if err := db.MigrateTo(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := db.SchemaVersion(ctx); got != v {
			t.Fatalf("at version %d, schema says %d", v, got)
		}
		if v >= 1 {
			// Data written at the old version must survive and be found.
			if _, err := sqlite.WriteConn(db).Exec(`INSERT INTO actors (slug, name, kind) VALUES ('galeotti', 'Mark Galeotti', 'analyst')`); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("from version %d: %v", v, err)
		}
		if got, _ := db.SchemaVersion(ctx); got != latest {
			t.Fatalf("from version %d: reached %d, want %d", v, got, latest)
		}
		if v >= 1 {
			if found, err := db.SearchActors(ctx, "galeo", 5); err != nil || len(found) != 1 {
				t.Fatalf("from version %d: an actor written before the migration is not found: %v %v", v, found, err)
			}
		}
		// Migrating again is a no-op.
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}

	t.Run("ErrNewerSchema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "db")
		db := sqlitetest.MustOpenPath(t, path)
		if _, err := sqlite.WriteConn(db).Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
			t.Fatal(err)
		}
		var tables int
		sqlite.ReadConn(db).QueryRow(`SELECT count(*) FROM sqlite_master`).Scan(&tables)
		err := db.Migrate(ctx)
		if timeline.ErrorCode(err) != timeline.ECONFLICT || !strings.Contains(err.Error(), "newer than this binary") {
			t.Fatalf("err = %v, want a refusal", err)
		}
		var after int
		sqlite.ReadConn(db).QueryRow(`SELECT count(*) FROM sqlite_master`).Scan(&after)
		if after != tables {
			t.Fatalf("the refused database changed: %d objects, then %d", tables, after)
		}
	})

	t.Run("ReadOnly", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "db")
		rw := sqlitetest.MustOpenPath(t, path)
		sqlitetest.MustImport(t, rw, sqlitetest.Dataset(t, storySpecs))
		ro, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if err := ro.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		page, err := ro.FindEvents(ctx, timeline.Filter{})
		if err != nil || len(page.Events) != 5 {
			t.Fatalf("read-only read: %v, %d events", err, len(page.Events))
		}
		if _, err := ro.Import(ctx, sqlitetest.Dataset(t, storySpecs)); timeline.ErrorCode(err) != timeline.ECONFLICT {
			t.Fatalf("read-only import: err = %v", err)
		}
	})
}

// exportBytes exports every story of db in the file format, one after
// another, in slug order.
func exportBytes(t *testing.T, db *sqlite.DB) []byte {
	t.Helper()
	slugs, err := db.FindStorySlugs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, slug := range slugs {
		all = append(all, exportStory(t, db, slug)...)
	}
	return all
}

// exportStory exports one story of db in the file format.
func exportStory(t *testing.T, db *sqlite.DB, slug string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := dataset.NewWriter(&buf)
	if err := db.Export(context.Background(), slug, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	one := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, storySpecs)
	ds.Events[1].FormerSlugs = []string{"zz-old", "aa-older"}
	ds.Sources = append(ds.Sources, timeline.Source{Key: "guardian", Outlet: "The Guardian", Via: "wire"})
	ds.Events[2].Sources = append(ds.Events[2].Sources, timeline.Citation{Source: timeline.Source{Key: "guardian"}, Quote: "We don't attack Putin"})
	ds.Events[4].Until = sqlitetest.When(t, "2023-05-04T10:30", "America/New_York")
	sqlitetest.MustImport(t, one, ds)
	many := sqlitetest.ManyEvents(t, 1200) // more than one export batch
	many.Slug = "many"                     // a second story
	sqlitetest.MustImport(t, one, many)

	first := exportBytes(t, one)
	two := sqlitetest.MustOpen(t)
	im, err := two.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"many", "test-story"} { // one import of both files
		if err := dataset.Scan(bytes.NewReader(exportStory(t, one, slug)), im); err != nil {
			t.Fatalf("the export of %s does not import: %v", slug, err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	second := exportBytes(t, two)
	if !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs (%d and %d bytes)", len(first), len(second))
	}
	first = exportStory(t, one, "test-story")
	back, err := dataset.Read(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Events) != 5 || len(back.Actors) != len(ds.Actors) || back.Title != "Test story" || back.Slug != "test-story" {
		t.Fatalf("export holds %d events, %d actors, title %q", len(back.Events), len(back.Actors), back.Title)
	}
}

// TestFirstSlugSurvivesExport: an event renamed three times, whose editor
// lists its former slugs in no order, is exported with them oldest first,
// and a database built from the export gives it the same first slug, the id
// of its feed entries. Updating it there keeps the stored first slug.
func TestFirstSlugSurvivesExport(t *testing.T) {
	ctx := context.Background()
	one := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, one, sqlitetest.Dataset(t, storySpecs))
	// Slug order ("claim", "mm-third", "zz-second") is not the order made.
	made := []string{"claim", "zz-second", "mm-third"}
	for i, slug := range []string{"zz-second", "mm-third", "renamed"} {
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[1].Slug = slug
		ds.Events[1].FormerSlugs = slices.Clone(made[:i+1])
		slices.Reverse(ds.Events[1].FormerSlugs)
		ds.Events[2].Answers[0].Event.Slug = slug
		sqlitetest.MustImport(t, one, ds)
	}
	before, err := one.FindEvent(ctx, "renamed")
	if err != nil {
		t.Fatal(err)
	}
	if before.FirstSlug != "claim" || before.EntrySlug() != "claim" || !slices.Equal(before.FormerSlugs, made) {
		t.Fatalf("after three renames: first slug %q, entry slug %q, former slugs %v; want claim, claim, %v", before.FirstSlug, before.EntrySlug(), before.FormerSlugs, made)
	}
	exported := exportStory(t, one, "test-story")
	file, err := dataset.Read(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	if got := file.Events[slices.IndexFunc(file.Events, func(e timeline.Event) bool { return e.Slug == "renamed" })].FormerSlugs; !slices.Equal(got, made) {
		t.Errorf("the export lists former slugs %v, want them oldest first, %v", got, made)
	}

	two := sqlitetest.MustOpen(t)
	im, err := two.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := dataset.Scan(bytes.NewReader(exported), im); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	after, err := two.FindEvent(ctx, "renamed")
	if err != nil {
		t.Fatal(err)
	}
	if after.FirstSlug != before.FirstSlug || after.EntrySlug() != before.EntrySlug() || !slices.Equal(after.FormerSlugs, made) {
		t.Errorf("imported from the export: first slug %q, entry slug %q, former slugs %v; want %q, %q, %v",
			after.FirstSlug, after.EntrySlug(), after.FormerSlugs, before.FirstSlug, before.EntrySlug(), made)
	}
	if again := exportStory(t, two, "test-story"); !bytes.Equal(again, exported) {
		t.Errorf("export → import → export differs:\n%s\nwant\n%s", again, exported)
	}

	t.Run("UpdateKeepsStoredFirstSlug", func(t *testing.T) {
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[1].Slug, ds.Events[1].FormerSlugs = "renamed", []string{"mm-third", "zz-second", "claim"}
		ds.Events[1].Title = "Edited where it moved"
		ds.Events[2].Answers[0].Event.Slug = "renamed"
		if res := sqlitetest.MustImport(t, two, ds); res.EventsChanged != 1 {
			t.Fatalf("import = %+v, want the one event changed", res)
		}
		e, err := two.FindEvent(ctx, "renamed")
		if err != nil {
			t.Fatal(err)
		}
		if e.FirstSlug != "claim" || !slices.Equal(e.FormerSlugs, made) {
			t.Errorf("after an update: first slug %q, former slugs %v; want claim, %v", e.FirstSlug, e.FormerSlugs, made)
		}
	})

	t.Run("FormerSlugsOfOlderSchemas", func(t *testing.T) {
		// Former slugs made before their order was kept come first, the
		// first slug ahead of them, the others in slug order.
		if _, err := sqlite.WriteConn(one).ExecContext(ctx, `UPDATE event_redirects SET position = NULL WHERE slug <> 'mm-third'`); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlite.WriteConn(one).ExecContext(ctx, `UPDATE events SET first_slug = 'zz-second' WHERE slug = 'renamed'`); err != nil {
			t.Fatal(err)
		}
		e, err := one.FindEvent(ctx, "renamed")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"zz-second", "claim", "mm-third"}; !slices.Equal(e.FormerSlugs, want) {
			t.Errorf("former slugs %v, want %v", e.FormerSlugs, want)
		}
	})
}

func TestImportCancelled(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	im, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	ds := sqlitetest.ManyEvents(t, 3000)
	for _, a := range ds.Actors {
		im.Actor(a)
	}
	im.Source(ds.Sources[0])
	cancel()
	var stopped error
	for i := range ds.Events {
		if stopped = im.Event(&ds.Events[i]); stopped != nil {
			break
		}
	}
	// Either the check of cancellation or the transaction, which
	// database/sql rolls back when its context ends, stops the import.
	if stopped == nil {
		t.Fatal("a cancelled import went on")
	}
	im.Rollback()
	if page, _ := db.FindEvents(context.Background(), timeline.Filter{}); len(page.Events) != 0 {
		t.Fatalf("a cancelled import left %d events", len(page.Events))
	}
}

// TestFindArchiveAfterCommit: the archive (its data version names every page's
// ETag) is read from memory between commits, yet a commit through the same
// DB is seen at once, and one through another handle on the file, as a
// command-line import is, within ArchiveMaxAge.
func TestFindArchiveAfterCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "story.db")
	server, importer := sqlitetest.MustOpenPath(t, path), sqlitetest.MustOpenPath(t, path)
	version := func(db *sqlite.DB) int64 {
		t.Helper()
		st, err := db.FindArchive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.DataVersion
	}
	sqlitetest.MustImport(t, server, sqlitetest.Dataset(t, storySpecs))
	if v := version(server); v != 1 {
		t.Fatalf("after the first import through the same DB: version %d, want 1", v)
	}
	ds := sqlitetest.Dataset(t, storySpecs)
	ds.Events[0].Title = "Changed elsewhere"
	if res := sqlitetest.MustImport(t, importer, ds); res.DataVersion != 2 {
		t.Fatalf("second import: %+v", res)
	}
	deadline := time.Now().Add(sqlite.ArchiveMaxAge + time.Second) // slack for a slow machine
	for version(server) != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("another handle's import not seen %v later", sqlite.ArchiveMaxAge+time.Second)
		}
		time.Sleep(sqlite.ArchiveMaxAge / 5)
	}
	ds.Events[0].Title = "Changed here"
	sqlitetest.MustImport(t, server, ds)
	if v := version(server); v != 3 {
		t.Errorf("right after an import through the same DB: version %d, want 3", v)
	}
}

// TestImportCancelledBeforeCommit: a cancellation after the last record
// is seen before the finishing steps, and nothing is written.
func TestImportCancelledBeforeCommit(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	im, err := db.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	ds := sqlitetest.Dataset(t, storySpecs)
	for _, a := range ds.Actors {
		im.Actor(a)
	}
	im.Source(ds.Sources[0])
	im.Story(ds.Slug, ds.Title, ds.Description)
	for i := range ds.Events {
		if err := im.Event(&ds.Events[i]); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if _, err := im.Commit(); !errors.Is(err, context.Canceled) {
		t.Fatalf("commit after a cancellation: err = %v, want context.Canceled", err)
	}
	if page, _ := db.FindEvents(context.Background(), timeline.Filter{}); len(page.Events) != 0 {
		t.Fatalf("a cancelled import left %d events", len(page.Events))
	}
}

// TestEventTimesSurviveExport: an export carries when each event was
// added and last changed, and an import into another database keeps them,
// where it stamped its own time on everything; an event changed there is
// changed at that import, and a time after the import is the import's.
func TestEventTimesSurviveExport(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	one := sqlitetest.MustOpen(t)
	importAt(t, one, sqlitetest.Dataset(t, storySpecs), t0)
	edited := sqlitetest.Dataset(t, storySpecs)
	edited.Events[1].Title = "Edited a day later"
	importAt(t, one, edited, t0.Add(24*time.Hour))
	answered := sqlitetest.Dataset(t, append(slices.Clone(storySpecs),
		sqlitetest.Event{Slug: "late-doubt", Kind: "analysis", When: "2023-05-06", Zone: "UTC", Actors: []string{"galeotti"}, Answers: []string{"blast:doubts"}}))
	answered.Events[1].Title = edited.Events[1].Title
	importAt(t, one, answered, t0.Add(48*time.Hour))
	times := func(db *sqlite.DB) map[string][2]time.Time {
		t.Helper()
		out := map[string][2]time.Time{}
		for _, slug := range []string{"blast", "claim", "kyiv-denies", "late-doubt"} {
			e, err := db.FindEvent(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			out[slug] = [2]time.Time{e.Added.UTC(), e.Changed.UTC()}
		}
		return out
	}
	want := times(one)
	if want["blast"][1] != t0.Add(48*time.Hour) || want["claim"][1] != t0.Add(24*time.Hour) || want["kyiv-denies"][1] != t0 {
		t.Fatalf("the first database's times: %v", want)
	}

	exported := exportStory(t, one, "test-story")
	file, err := dataset.Read(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	two := sqlitetest.MustOpen(t)
	moved := t0.Add(30 * 24 * time.Hour)
	importAt(t, two, file, moved)
	if got := times(two); !maps.Equal(got, want) {
		t.Errorf("after the move: %v, want %v", got, want)
	}
	if res := importAt(t, two, file, moved.Add(time.Hour)); res.EventsChanged != 0 {
		t.Errorf("the same file again changed %d events", res.EventsChanged)
	}
	if again := exportStory(t, two, "test-story"); !bytes.Equal(again, exported) {
		t.Errorf("export → import → export differs:\n%s\nwant\n%s", again, exported)
	}

	file.Events[1].Title = "Edited where it moved"
	importAt(t, two, file, moved.Add(2*time.Hour))
	if got := times(two)["claim"]; got[0] != want["claim"][0] || got[1] != moved.Add(2*time.Hour) {
		t.Errorf("an event edited where it moved: added %v, changed %v; want %v, %v", got[0], got[1], want["claim"][0], moved.Add(2*time.Hour))
	}

	// A time after the import, from a clock ahead of this one, is the import's.
	file.Events[0].Added, file.Events[0].Changed = moved.Add(-time.Hour), moved.Add(time.Hour)
	three := sqlitetest.MustOpen(t)
	importAt(t, three, file, moved)
	e, err := three.FindEvent(ctx, file.Events[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Added.Equal(moved.Add(-time.Hour)) || !e.Changed.Equal(moved) {
		t.Errorf("changed an hour after the import: added %v, changed %v; want %v, %v", e.Added, e.Changed, moved.Add(-time.Hour), moved)
	}
}
