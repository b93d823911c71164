package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/timeline"
)

// These tests take the importer apart: a batch, and each finishing step
// run alone on what the records before it wrote.

func openStepsDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "steps.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBatch(t *testing.T) {
	ctx := context.Background()
	// One transaction for each case, holding a table whose CHECK refuses
	// a negative n.
	begin := func(t *testing.T) (*sql.Tx, *batch) {
		t.Helper()
		tx, err := openStepsDB(t).write.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback() })
		if _, err := tx.Exec(`CREATE TABLE numbers (event TEXT, n INTEGER CHECK (n >= 0))`); err != nil {
			t.Fatal(err)
		}
		prepare := func(query string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, query) }
		b, err := newBatch(prepare, "number", "numbers (event, n)", 2, 4)
		if err != nil {
			t.Fatal(err)
		}
		return tx, b
	}
	count := func(t *testing.T, tx *sql.Tx) int {
		t.Helper()
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM numbers`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("InsertsWhenFullAndOnFlush", func(t *testing.T) {
		tx, b := begin(t)
		for i := range 6 {
			if err := b.add(ctx, "e", "k", "e", i); err != nil {
				t.Fatal(err)
			}
		}
		if got := count(t, tx); got != 4 {
			t.Errorf("before the flush, %d rows in the table, want the full batch of 4", got)
		}
		if err := b.flush(ctx); err != nil {
			t.Fatal(err)
		}
		if err := b.flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := count(t, tx); got != 6 {
			t.Errorf("after two flushes, %d rows, want 6", got)
		}
	})

	// A refused row is named by its event and key, whether it is in a
	// full batch, which goes back row by row, or in a part batch.
	for _, tt := range []struct {
		name string
		rows int
	}{{"FullBatchFindsTheFailingRow", 4}, {"PartBatchFindsTheFailingRow", 3}} {
		t.Run(tt.name, func(t *testing.T) {
			_, b := begin(t)
			var err error
			for i := 0; i < tt.rows && err == nil; i++ {
				n := i
				if i == 2 {
					n = -1
				}
				err = b.add(ctx, fmt.Sprintf("ev-%d", i), fmt.Sprintf("key-%d", i), "e", n)
			}
			if err == nil {
				err = b.flush(ctx)
			}
			if err == nil || !strings.HasPrefix(err.Error(), "import event ev-2: number key-2: ") {
				t.Fatalf("err = %v, want it to name event ev-2 and key-2", err)
			}
			if len(b.events) != 0 || len(b.args) != 0 {
				t.Errorf("the failed batch still holds %d rows", len(b.events))
			}
		})
	}
}

// stepsFixture is a story of three events: deny answers claim, cite
// cites it, and the source wire comes to us via agency, listed after it.
func stepsFixture(t *testing.T) *timeline.Dataset {
	t.Helper()
	when, err := timeline.ParseWhen("2023-05-03", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	event := func(slug string, kind timeline.EventKind, answers ...timeline.Answer) timeline.Event {
		return timeline.Event{Slug: slug, Title: "Title of " + slug, Summary: "Summary of " + slug, Kind: kind, When: when,
			Actors:  []timeline.EventActor{{Actor: timeline.Actor{Slug: "kremlin"}, Role: timeline.RoleSpeaker}},
			Sources: []timeline.Citation{{Source: timeline.Source{Key: "wire"}, Quote: "Quote of " + slug}},
			Answers: answers}
	}
	answer := func(typ timeline.AnswerType, slug string) timeline.Answer {
		return timeline.Answer{Type: typ, Event: timeline.EventRef{Slug: slug}}
	}
	return &timeline.Dataset{Title: "Steps", Description: "For the finishing steps.",
		Actors: []timeline.Actor{{Slug: "kremlin", Name: "The Kremlin", Kind: timeline.ActorGovernment}},
		Sources: []timeline.Source{
			{Key: "wire", Outlet: "Wire", Via: "agency"},
			{Key: "agency", Outlet: "Agency"},
		},
		Events: []timeline.Event{
			event("deny", timeline.KindDenial, answer(timeline.AnswerDenies, "claim")),
			event("claim", timeline.KindClaim),
			event("cite", timeline.KindReport, answer(timeline.AnswerCites, "claim")),
		},
	}
}

// beginWith starts an import on db and gives it ds's records, leaving the
// finishing steps to the test.
func beginWith(t *testing.T, db *DB, ds *timeline.Dataset) *Importer {
	t.Helper()
	im, err := db.BeginImport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { im.Rollback() })
	for _, a := range ds.Actors {
		if err := im.Actor(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range ds.Sources {
		if err := im.Source(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Story(ds.Slug, ds.Title, ds.Description); err != nil {
		t.Fatal(err)
	}
	for i := range ds.Events {
		if err := im.Event(&ds.Events[i]); err != nil {
			t.Fatal(err)
		}
	}
	return im
}

// steps runs finishing steps in the order given.
func steps(t *testing.T, im *Importer, steps ...func(*Importer) error) {
	t.Helper()
	for _, step := range steps {
		if err := step(im); err != nil {
			t.Fatal(err)
		}
	}
}

// inDispute lists the events marked in dispute, as the import's
// transaction sees them.
func inDispute(t *testing.T, im *Importer) []string {
	t.Helper()
	var slugs []string
	err := eachRow(im.ctx, im.tx, `SELECT slug FROM events WHERE in_dispute = 1 ORDER BY slug`, nil, func(rows *sql.Rows) error {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			return err
		}
		slugs = append(slugs, slug)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return slugs
}

func TestFinishingSteps(t *testing.T) {
	t.Run("LinkVias", func(t *testing.T) {
		im := beginWith(t, openStepsDB(t), stepsFixture(t))
		before := im.res.SourcesChanged
		steps(t, im, (*Importer).linkVias)
		var via string
		if err := im.tx.QueryRow(`SELECT v.key FROM sources s JOIN sources v ON v.id = s.via_id WHERE s.key = 'wire'`).Scan(&via); err != nil || via != "agency" {
			t.Fatalf("wire's via = %q (%v), want agency", via, err)
		}
		if got := im.res.SourcesChanged - before; got != 1 {
			t.Errorf("linking one via counted %d sources changed, want 1", got)
		}
	})

	t.Run("LinkViasNamesAnUnknownSource", func(t *testing.T) {
		im := beginWith(t, openStepsDB(t), stepsFixture(t))
		im.pendingVias["agency"] = "ghost"
		err := im.linkVias()
		if timeline.ErrorCode(err) != timeline.EINVALID || !strings.Contains(err.Error(), `source agency: via names unknown source "ghost"`) {
			t.Fatalf("err = %v, want an EINVALID naming the source and its via", err)
		}
	})

	t.Run("WriteAnswers", func(t *testing.T) {
		im := beginWith(t, openStepsDB(t), stepsFixture(t))
		steps(t, im, (*Importer).flushEventRows, (*Importer).buildSlugIndex, (*Importer).writeAnswers)
		var n int
		if err := im.tx.QueryRow(`SELECT count(*) FROM answers a JOIN events t ON t.id = a.to_event_id WHERE t.slug = 'claim'`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("claim has %d answers (%v), want 2: deny's, which came before it, and cite's", n, err)
		}
	})

	t.Run("WriteAnswersNamesAnUnknownEvent", func(t *testing.T) {
		ds := stepsFixture(t)
		ds.Events[2].Answers[0].Event.Slug = "ghost"
		im := beginWith(t, openStepsDB(t), ds)
		steps(t, im, (*Importer).flushEventRows, (*Importer).buildSlugIndex)
		err := im.writeAnswers()
		if timeline.ErrorCode(err) != timeline.EINVALID || !strings.Contains(err.Error(), `event cite: answers unknown event "ghost"`) {
			t.Fatalf("err = %v, want an EINVALID naming the event and what it answers", err)
		}
	})

	t.Run("MarkDisputes", func(t *testing.T) {
		db := openStepsDB(t)
		im := beginWith(t, db, stepsFixture(t))
		steps(t, im, (*Importer).flushEventRows, (*Importer).buildSlugIndex, (*Importer).writeAnswers, (*Importer).markDisputes)
		if got := strings.Join(inDispute(t, im), " "); got != "claim deny" {
			t.Fatalf("in dispute: %q, want the two ends of the denial", got)
		}
		im.Rollback()

		// Outside bulk mode, an event no longer contested is unmarked.
		if _, err := db.Import(context.Background(), stepsFixture(t)); err != nil {
			t.Fatal(err)
		}
		ds := stepsFixture(t)
		ds.Events[0].Answers[0].Type = timeline.AnswerCites
		im = beginWith(t, db, ds)
		if im.bulk {
			t.Fatal("an import into a database with events ran in bulk mode")
		}
		steps(t, im, (*Importer).flushEventRows, (*Importer).writeAnswers, (*Importer).markDisputes)
		if got := inDispute(t, im); len(got) != 0 {
			t.Fatalf("in dispute after the denial became a citation: %q, want none", got)
		}
	})

	t.Run("CountActorEvents", func(t *testing.T) {
		im := beginWith(t, openStepsDB(t), stepsFixture(t))
		steps(t, im, (*Importer).flushEventRows, (*Importer).countActorEvents)
		var n int
		if err := im.tx.QueryRow(`SELECT event_count FROM actors WHERE slug = 'kremlin'`).Scan(&n); err != nil || n != 3 {
			t.Fatalf("kremlin's event count = %d (%v), want 3", n, err)
		}
	})

	t.Run("BumpDataVersionOnlyOnChange", func(t *testing.T) {
		db := openStepsDB(t)
		if _, err := db.Import(context.Background(), stepsFixture(t)); err != nil {
			t.Fatal(err)
		}
		im := beginWith(t, db, stepsFixture(t))
		steps(t, im, (*Importer).writeStories, (*Importer).bumpDataVersion)
		if im.storiesChanged() || im.res.Changed() || im.res.DataVersion != 1 {
			t.Fatalf("the same records again: story changed %v, %+v; want no change at data version 1", im.storiesChanged(), im.res)
		}
		im.Rollback()

		ds := stepsFixture(t)
		ds.Title = "Steps, retitled"
		ds.Slug = "steps" // the same story, with a new title
		im = beginWith(t, db, ds)
		steps(t, im, (*Importer).writeStories, (*Importer).bumpDataVersion)
		if !im.storiesChanged() || im.res.DataVersion != 2 {
			t.Fatalf("a new title: story changed %v, data version %d; want true, 2", im.storiesChanged(), im.res.DataVersion)
		}
	})
}
