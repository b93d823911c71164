// Package sqlitetest builds what the store's and the server's tests read: a
// migrated database in a temporary file, and small datasets written short.
package sqlitetest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/timeline"
)

// MustOpen opens a migrated database in a new file under tb.TempDir().
func MustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "timeline.db"))
}

// MustOpenPath opens and migrates the database file at path, and closes it
// when the test ends.
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

// When parses a time as the file format writes it, or fails.
func When(tb testing.TB, text, zone string) timeline.When {
	tb.Helper()
	w, err := timeline.ParseWhen(text, zone)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// Event is an event of a test dataset, written short.
type Event struct {
	Slug, Kind, When, Zone string
	Title                  string   // "Title of <slug>" when empty
	Actors                 []string // "slug" (a speaker) or "slug:role"
	Answers                []string // "slug:type"
}

// Story is what a test dataset's events share: the story's title, the
// sources, and the actors the events name.
type Story struct {
	Title, Description string
	// Sources are the dataset's sources; every event quotes the first.
	Sources []timeline.Source
	// Actor is the actor with the slug, for each slug an event names.
	Actor func(slug string) timeline.Actor
}

// TestStory is the plain story: one source, "wire", and actors who are
// people named "Name <slug>".
var TestStory = Story{
	Title:       "Test story",
	Description: "For tests.",
	Sources:     []timeline.Source{{Key: "wire", Outlet: "Wire service", URL: "https://example.org/wire"}},
	Actor: func(slug string) timeline.Actor {
		return timeline.Actor{Slug: slug, Name: "Name " + slug, Kind: timeline.ActorPerson}
	},
}

// Dataset is TestStory with the events.
func Dataset(tb testing.TB, events []Event) *timeline.Dataset {
	tb.Helper()
	return TestStory.Dataset(tb, events)
}

// Dataset builds a dataset of the events in s: every actor they name
// exists, in the order first named, and every event quotes the first
// source, "Quote for <slug>".
func (s Story) Dataset(tb testing.TB, events []Event) *timeline.Dataset {
	tb.Helper()
	ds := &timeline.Dataset{Title: s.Title, Description: s.Description, Sources: slices.Clone(s.Sources)}
	seen := map[string]bool{}
	for _, spec := range events {
		e := timeline.Event{Slug: spec.Slug, Title: spec.Title, Summary: "Summary of " + spec.Slug,
			Kind: timeline.EventKind(spec.Kind), When: When(tb, spec.When, spec.Zone),
			Sources: []timeline.Citation{{Source: timeline.Source{Key: s.Sources[0].Key}, Quote: "Quote for " + spec.Slug}}}
		if e.Title == "" {
			e.Title = "Title of " + spec.Slug
		}
		for _, a := range spec.Actors {
			slug, role, ok := strings.Cut(a, ":")
			if !ok {
				role = string(timeline.RoleSpeaker)
			}
			if !seen[slug] {
				seen[slug] = true
				ds.Actors = append(ds.Actors, s.Actor(slug))
			}
			e.Actors = append(e.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: timeline.Role(role)})
		}
		for _, a := range spec.Answers {
			target, typ, _ := strings.Cut(a, ":")
			e.Answers = append(e.Answers, timeline.Answer{Type: timeline.AnswerType(typ), Event: timeline.EventRef{Slug: target}})
		}
		ds.Events = append(ds.Events, e)
	}
	return ds
}

// ManyEvents is TestStory with n events a minute apart from 1 January
// 2020, UTC, named e0000, e0001, …: alice's statements at even numbers,
// bob's denials at odd ones.
func ManyEvents(tb testing.TB, n int) *timeline.Dataset {
	tb.Helper()
	events := make([]Event, 0, n)
	for i := range n {
		actor, kind := "alice", "statement"
		if i%2 == 1 {
			actor, kind = "bob", "denial"
		}
		events = append(events, Event{Slug: fmt.Sprintf("e%04d", i), Kind: kind, Zone: "UTC", Actors: []string{actor},
			When: fmt.Sprintf("2020-01-%02dT%02d:%02d", 1+i/1440, (i/60)%24, i%60)})
	}
	return Dataset(tb, events)
}

// StoryDataset is TestStory's dataset of the events as the story with the
// slug, titled "Story <slug>".
func StoryDataset(tb testing.TB, slug string, events []Event) *timeline.Dataset {
	tb.Helper()
	ds := Dataset(tb, events)
	ds.Slug, ds.Title = slug, "Story "+slug
	return ds
}
