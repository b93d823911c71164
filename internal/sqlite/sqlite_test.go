package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/timeline"
)

// MustOpen opens a migrated database in a new file under t.TempDir().
func MustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "timeline.db"))
}

// MustOpenPath opens and migrates the database file at path.
func MustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// MustImport imports ds or fails.
func MustImport(tb testing.TB, db *sqlite.DB, ds *timeline.Dataset) sqlite.ImportResult {
	tb.Helper()
	res, err := db.Import(context.Background(), ds)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func when(tb testing.TB, text, zone string) timeline.When {
	tb.Helper()
	w, err := timeline.ParseWhen(text, zone)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

type eventSpec struct {
	slug, kind, when, zone string
	actors                 []string // "slug" (speaker) or "slug:role"
	answers                []string // "slug:type"
}

// buildDataset makes a small dataset: every actor named in specs exists, one
// source backs every event.
func buildDataset(tb testing.TB, specs []eventSpec) *timeline.Dataset {
	tb.Helper()
	ds := &timeline.Dataset{Title: "Test story", Description: "For tests.",
		Sources: []timeline.Source{{Key: "wire", Outlet: "Wire service", URL: "https://example.org/wire"}}}
	seen := map[string]bool{}
	for _, s := range specs {
		e := timeline.Event{Slug: s.slug, Title: "Title of " + s.slug, Summary: "Summary of " + s.slug,
			Kind: timeline.EventKind(s.kind), When: when(tb, s.when, s.zone),
			Sources: []timeline.Citation{{Source: timeline.Source{Key: "wire"}, Quote: "Quote for " + s.slug}}}
		for _, a := range s.actors {
			slug, role, ok := strings.Cut(a, ":")
			if !ok {
				role = "speaker"
			}
			if !seen[slug] {
				seen[slug] = true
				ds.Actors = append(ds.Actors, timeline.Actor{Slug: slug, Name: "Name " + slug, Kind: timeline.ActorPerson})
			}
			e.Actors = append(e.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: timeline.Role(role)})
		}
		for _, a := range s.answers {
			target, typ, _ := strings.Cut(a, ":")
			e.Answers = append(e.Answers, timeline.Answer{Type: timeline.AnswerType(typ), Event: timeline.EventRef{Slug: target}})
		}
		ds.Events = append(ds.Events, e)
	}
	return ds
}

// manyEvents makes n events a day apart in UTC, alternating two actors and
// two kinds, named e0000, e0001, …
func manyEvents(tb testing.TB, n int) *timeline.Dataset {
	tb.Helper()
	var specs []eventSpec
	for i := 0; i < n; i++ {
		actor, kind := "alice", "statement"
		if i%2 == 1 {
			actor, kind = "bob", "denial"
		}
		day := fmt.Sprintf("2020-01-01T%02d:%02d", (i/60)%24, i%60)
		specs = append(specs, eventSpec{slug: fmt.Sprintf("e%04d", i), kind: kind, when: day, zone: "UTC", actors: []string{actor}})
	}
	return buildDataset(tb, specs)
}

func TestOpen(t *testing.T) {
	t.Run("Pragmas", func(t *testing.T) {
		db := MustOpen(t)
		ctx := context.Background()
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		latest, _ := sqlite.LatestVersion()
		if v != latest || v == 0 {
			t.Fatalf("schema version = %d, want %d", v, latest)
		}
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("Ready: %v", err)
		}
		for _, conn := range []*sql.DB{sqlite.WriteConn(db), sqlite.ReadConn(db)} {
			var fk, timeout int
			var mode string
			if err := conn.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if fk != 1 || timeout != 5000 || mode != "wal" {
				t.Errorf("foreign_keys=%d busy_timeout=%d journal_mode=%s, want 1, 5000, wal", fk, timeout, mode)
			}
		}
		if _, err := sqlite.ReadConn(db).Exec(`DELETE FROM actors`); err == nil {
			t.Error("a reader connection could write")
		}
	})
	t.Run("ErrNoPath", func(t *testing.T) {
		if _, err := sqlite.Open(context.Background(), "", sqlite.Options{}); err == nil {
			t.Fatal("want error for an empty path")
		}
	})
}
