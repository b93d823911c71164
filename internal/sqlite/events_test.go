package sqlite_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func slugsOf(events []timeline.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Slug)
	}
	return out
}

// storySpecs is a small exchange: a claim, two denials, a rebuttal.
var storySpecs = []sqlitetest.Event{
	{Slug: "blast", Kind: "incident", When: "2023-05-03 early-hours", Zone: "Europe/Moscow", Actors: []string{"kremlin:target"}},
	{Slug: "claim", Kind: "claim", When: "2023-05-03", Zone: "Europe/Moscow", Actors: []string{"kremlin", "ukraine:target"}},
	{Slug: "kyiv-denies", Kind: "denial", When: "2023-05-03 afternoon", Zone: "Europe/Kyiv", Actors: []string{"zelensky", "ukraine"}, Answers: []string{"claim:denies"}},
	{Slug: "us-blamed", Kind: "accusation", When: "2023-05-04", Zone: "Europe/Moscow", Actors: []string{"peskov", "us:target", "ukraine:mentioned"}, Answers: []string{"kyiv-denies:disputes"}},
	{Slug: "us-denies", Kind: "denial", When: "2023-05-04T09:15", Zone: "America/New_York", Actors: []string{"kirby", "us"}, Answers: []string{"us-blamed:denies"}},
}

func TestFindEvents(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))

	tests := []struct {
		name   string
		filter timeline.Filter
		want   []string
	}{
		// blast (early hours) sorts before claim (known only to the day,
		// so placed at its middle).
		{"All", timeline.Filter{}, []string{"blast", "claim", "kyiv-denies", "us-blamed", "us-denies"}},
		{"Desc", timeline.Filter{Desc: true}, []string{"us-denies", "us-blamed", "kyiv-denies", "claim", "blast"}},
		{"OneActor", timeline.Filter{Actors: []string{"ukraine"}}, []string{"claim", "kyiv-denies", "us-blamed"}},
		{"ActorsAnyOf", timeline.Filter{Actors: []string{"kirby", "zelensky"}}, []string{"kyiv-denies", "us-denies"}},
		{"ActorsShareEvent", timeline.Filter{Actors: []string{"zelensky", "ukraine"}}, []string{"claim", "kyiv-denies", "us-blamed"}},
		{"ActorAndKind", timeline.Filter{Actors: []string{"ukraine"}, Kinds: []timeline.EventKind{"denial"}}, []string{"kyiv-denies"}},
		{"KindsAnyOf", timeline.Filter{Kinds: []timeline.EventKind{"denial", "incident"}}, []string{"blast", "kyiv-denies", "us-denies"}},
		{"RoleTarget", timeline.Filter{Actors: []string{"us"}, Role: timeline.RoleTarget}, []string{"us-blamed"}},
		{"RoleSpeaker", timeline.Filter{Actors: []string{"us"}, Role: timeline.RoleSpeaker}, []string{"us-denies"}},
		{"Contested", timeline.Filter{Contested: true}, []string{"claim", "kyiv-denies", "us-blamed", "us-denies"}},
		{"Range", timeline.Filter{From: sqlitetest.When(t, "2023-05-04", "UTC").Start}, []string{"us-blamed", "us-denies"}},
		{"NoMatch", timeline.Filter{Actors: []string{"kirby"}, Kinds: []timeline.EventKind{"incident"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := db.FindEvents(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(page.Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if page.Earlier != nil || page.Later != nil {
				t.Errorf("one page has cursors earlier=%v later=%v", page.Earlier, page.Later)
			}
		})
	}

	t.Run("Details", func(t *testing.T) {
		page, err := db.FindEvents(ctx, timeline.Filter{Actors: []string{"peskov"}})
		if err != nil {
			t.Fatal(err)
		}
		e := page.Events[0]
		if len(e.Actors) != 3 || e.Actors[0].Actor.Slug != "peskov" || e.Actors[1].Role != timeline.RoleTarget {
			t.Errorf("actors = %+v", e.Actors)
		}
		if len(e.Sources) != 1 || e.Sources[0].Source.Outlet != "Wire service" || e.Sources[0].Quote != "Quote for us-blamed" {
			t.Errorf("sources = %+v", e.Sources)
		}
		if len(e.Answers) != 1 || e.Answers[0].Event.Slug != "kyiv-denies" || e.Answers[0].Type != timeline.AnswerDisputes {
			t.Errorf("answers = %+v", e.Answers)
		}
		if len(e.Answers[0].Event.Speakers) != 2 || e.Answers[0].Event.Speakers[0].Slug != "zelensky" {
			t.Errorf("speakers of answered event = %+v", e.Answers[0].Event.Speakers)
		}
		if len(e.AnsweredBy) != 1 || e.AnsweredBy[0].Event.Slug != "us-denies" || e.AnsweredBy[0].Type != timeline.AnswerDenies {
			t.Errorf("answered by = %+v", e.AnsweredBy)
		}
		if !e.Contested() {
			t.Error("a denied accusation is not contested")
		}
		if got, want := e.When.Text()+" "+e.When.Zone(), "2023-05-04 Europe/Moscow"; got != want {
			t.Errorf("when = %q, want %q", got, want)
		}
	})

	t.Run("ErrUnknownActor", func(t *testing.T) {
		_, err := db.FindEvents(ctx, timeline.Filter{Actors: []string{"nobody"}})
		if timeline.ErrorCode(err) != timeline.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
	})
	t.Run("ErrUnknownKind", func(t *testing.T) {
		_, err := db.FindEvents(ctx, timeline.Filter{Kinds: []timeline.EventKind{"rumour"}})
		if timeline.ErrorCode(err) != timeline.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
	})
}

func TestFindEventsPagination(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 250))

	t.Run("ForwardAndBack", func(t *testing.T) {
		p1, err := db.FindEvents(ctx, timeline.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Events) != 100 || p1.Events[0].Slug != "e0000" || p1.Earlier != nil || p1.Later == nil {
			t.Fatalf("page 1: %d events from %s, earlier=%v later=%v", len(p1.Events), p1.Events[0].Slug, p1.Earlier, p1.Later)
		}
		p2, _ := db.FindEvents(ctx, timeline.Filter{Later: p1.Later})
		if len(p2.Events) != 100 || p2.Events[0].Slug != "e0100" || p2.Earlier == nil || p2.Later == nil {
			t.Fatalf("page 2: %d events from %s", len(p2.Events), p2.Events[0].Slug)
		}
		p3, _ := db.FindEvents(ctx, timeline.Filter{Later: p2.Later})
		if len(p3.Events) != 50 || p3.Events[49].Slug != "e0249" || p3.Later != nil || p3.Earlier == nil {
			t.Fatalf("page 3: %d events, later=%v", len(p3.Events), p3.Later)
		}
		back, _ := db.FindEvents(ctx, timeline.Filter{Earlier: p3.Earlier})
		if !slices.Equal(slugsOf(back.Events), slugsOf(p2.Events)) {
			t.Fatalf("earlier than page 3 is not page 2: %v…", back.Events[0].Slug)
		}
		first, _ := db.FindEvents(ctx, timeline.Filter{Earlier: back.Earlier})
		if !slices.Equal(slugsOf(first.Events), slugsOf(p1.Events)) || first.Earlier != nil || first.Later == nil {
			t.Fatalf("back to page 1: from %s, earlier=%v", first.Events[0].Slug, first.Earlier)
		}
	})
	t.Run("Desc", func(t *testing.T) {
		p1, _ := db.FindEvents(ctx, timeline.Filter{Desc: true})
		if p1.Events[0].Slug != "e0249" || p1.Later != nil || p1.Earlier == nil {
			t.Fatalf("desc page 1 starts at %s later=%v earlier=%v", p1.Events[0].Slug, p1.Later, p1.Earlier)
		}
		p2, _ := db.FindEvents(ctx, timeline.Filter{Desc: true, Earlier: p1.Earlier})
		if p2.Events[0].Slug != "e0149" || p2.Events[99].Slug != "e0050" || p2.Later == nil {
			t.Fatalf("desc page 2 = %s…%s", p2.Events[0].Slug, p2.Events[99].Slug)
		}
	})
	t.Run("FilteredKeepsFilter", func(t *testing.T) {
		f := timeline.Filter{Actors: []string{"bob"}, Limit: 50}
		p1, _ := db.FindEvents(ctx, f)
		f.Later = p1.Later
		p2, _ := db.FindEvents(ctx, f)
		f.Later = p2.Later
		p3, _ := db.FindEvents(ctx, f)
		if len(p1.Events) != 50 || len(p2.Events) != 50 || len(p3.Events) != 25 || p3.Later != nil {
			t.Fatalf("bob pages: %d %d %d later=%v", len(p1.Events), len(p2.Events), len(p3.Events), p3.Later)
		}
		for _, e := range append(p2.Events, p3.Events...) {
			if e.Actors[0].Actor.Slug != "bob" {
				t.Fatalf("%s is not bob's", e.Slug)
			}
		}
	})
	t.Run("Around", func(t *testing.T) {
		e, err := db.FindEvent(ctx, "e0180")
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.FindAround(ctx, timeline.Filter{}, timeline.CursorOf(e))
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.Index(slugsOf(page.Events), "e0180"); i != 10 {
			t.Fatalf("e0180 at index %d of a page from %s, want 10", i, page.Events[0].Slug)
		}
		if page.Earlier == nil || page.Later != nil {
			t.Errorf("around page earlier=%v later=%v", page.Earlier, page.Later)
		}
		e, _ = db.FindEvent(ctx, "e0003")
		page, _ = db.FindAround(ctx, timeline.Filter{}, timeline.CursorOf(e))
		if page.Events[0].Slug != "e0000" || page.Earlier != nil {
			t.Errorf("around an early event starts at %s, earlier=%v", page.Events[0].Slug, page.Earlier)
		}
	})
}

// ties are 30 events three to a minute, alice's and bob's in turn, so that
// a page of ten ends inside a minute.
func ties() []sqlitetest.Event {
	var events []sqlitetest.Event
	for i := range 30 {
		actor := []string{"alice", "bob"}[i%2]
		events = append(events, sqlitetest.Event{Slug: fmt.Sprintf("tie-%02d", i), Kind: "statement",
			When: fmt.Sprintf("2021-06-01T10:%02d", i/3), Zone: "UTC", Actors: []string{actor}})
	}
	return events
}

// TestCursorAfterRebuild: a "later" link made on one database leads to the
// same events on another built from its export, though every row id there
// differs. The cursor names its event by slug, and the export keeps the
// order of events at the same second, which the rebuilt ids then follow.
func TestCursorAfterRebuild(t *testing.T) {
	ctx := context.Background()
	// Imported back to front, the first database's ids run against time,
	// and within each minute against the slugs.
	one := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, ties())
	slices.Reverse(ds.Events)
	sqlitetest.MustImport(t, one, ds)

	// The second has events of its own first, long after the others, then
	// the export, read as the import command reads a file.
	var export bytes.Buffer
	w := dataset.NewWriter(&export)
	if err := one.Export(ctx, timeline.SlugOf(ds.Title), w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	two := sqlitetest.MustOpen(t)
	var first []sqlitetest.Event
	for i := range 7 {
		first = append(first, sqlitetest.Event{Slug: fmt.Sprintf("later-%d", i), Kind: "statement", When: "2030-01-01", Zone: "UTC", Actors: []string{"alice"}})
	}
	later := sqlitetest.Dataset(t, first)
	later.Slug = "later" // a story of its own: the export's story would withdraw them
	sqlitetest.MustImport(t, two, later)
	im, err := two.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Scan(&export, im); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	for _, f := range []timeline.Filter{{Limit: 10}, {Limit: 10, Actors: []string{"alice", "bob"}}} {
		t.Run(fmt.Sprintf("Actors%v", f.Actors), func(t *testing.T) {
			p1, err := one.FindEvents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			at := p1.Events[len(p1.Events)-1].Slug
			a, _ := one.FindEvent(ctx, at)
			b, _ := two.FindEvent(ctx, at)
			if a.ID == b.ID {
				t.Fatalf("%s has id %d in both databases: the test shows nothing", at, a.ID)
			}
			link := p1.Later.String()
			c, err := timeline.ParseCursor(link)
			if err != nil {
				t.Fatal(err)
			}
			g := f
			g.Later = &c
			var pages [2]*timeline.EventPage
			for i, db := range []*sqlite.DB{one, two} {
				if pages[i], err = db.FindEvents(ctx, g); err != nil {
					t.Fatal(err)
				}
			}
			got, want := slugsOf(pages[1].Events), slugsOf(pages[0].Events)
			if !slices.Equal(got, want) {
				t.Errorf("after %s: rebuilt database gives %v, want %v", link, got, want)
			}
			all, _ := one.FindEvents(ctx, timeline.Filter{Limit: 20})
			if seen := append(slugsOf(p1.Events), want...); !slices.Equal(seen, slugsOf(all.Events)) {
				t.Errorf("pages 1 and 2 are %v, want the first 20 %v", seen, slugsOf(all.Events))
			}
			if pages[0].Earlier.String() != pages[1].Earlier.String() || pages[0].Later.String() != pages[1].Later.String() {
				t.Errorf("page 2 links earlier %v later %v, rebuilt %v %v", pages[0].Earlier, pages[0].Later, pages[1].Earlier, pages[1].Later)
			}
			g.Later, g.Earlier = nil, pages[1].Earlier
			back, err := two.FindEvents(ctx, g)
			if err != nil || !slices.Equal(slugsOf(back.Events), slugsOf(p1.Events)) {
				t.Errorf("earlier than page 2 in the rebuilt database: %v, %v; want %v", slugsOf(back.Events), err, slugsOf(p1.Events))
			}
		})
	}
}

// TestCursorNamesNoEvent: a cursor whose slug names no event at its second
// (the event has gone or moved in time, or the link is older than cursors
// with slugs) stands for the whole second, whichever way the page goes; a
// former slug still names its event.
func TestCursorNamesNoEvent(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, ties())
	sqlitetest.MustImport(t, db, ds)
	all, _ := db.FindEvents(ctx, timeline.Filter{})
	order := slugsOf(all.Events)
	// tie-09, tie-10 and tie-11 share 10:03.
	minute := sqlitetest.When(t, "2021-06-01T10:03", "UTC").SortKey()
	i := slices.Index(order, "tie-09")

	for _, slug := range []string{"gone", "42", "tie-20"} {
		t.Run("Later_"+slug, func(t *testing.T) {
			page, err := db.FindEvents(ctx, timeline.Filter{Limit: 5, Later: &timeline.Cursor{Start: minute, Slug: slug}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := slugsOf(page.Events), order[i:i+5]; !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if page.Earlier == nil || page.Later == nil {
				t.Errorf("earlier %v later %v, want both", page.Earlier, page.Later)
			}
		})
		t.Run("Earlier_"+slug, func(t *testing.T) {
			page, err := db.FindEvents(ctx, timeline.Filter{Limit: 5, Earlier: &timeline.Cursor{Start: minute, Slug: slug}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := slugsOf(page.Events), order[i+3-5:i+3]; !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
		t.Run("Around_"+slug, func(t *testing.T) {
			page, err := db.FindAround(ctx, timeline.Filter{Limit: 10}, timeline.Cursor{Start: minute, Slug: slug})
			if err != nil {
				t.Fatal(err)
			}
			if got := slugsOf(page.Events); !slices.Contains(got, "tie-09") || !slices.Contains(got, "tie-11") {
				t.Errorf("around 10:03: %v", got)
			}
		})
	}
	t.Run("OldLink", func(t *testing.T) {
		// A link from before cursors had slugs ends in a row id, which
		// reads as a slug that names nothing.
		c, err := timeline.ParseCursor(fmt.Sprintf("%d.17", minute))
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.FindEvents(ctx, timeline.Filter{Limit: 3, Later: &c})
		if err != nil || !slices.Equal(slugsOf(page.Events), order[i:i+3]) {
			t.Errorf("got %v, %v, want %v", slugsOf(page.Events), err, order[i:i+3])
		}
	})
	t.Run("FormerSlug", func(t *testing.T) {
		before, _ := db.FindEvents(ctx, timeline.Filter{Limit: 5, Later: &timeline.Cursor{Start: minute, Slug: "tie-10"}})
		renamed := sqlitetest.Dataset(t, ties())
		renamed.Events[10].Slug, renamed.Events[10].FormerSlugs = "tie-ten", []string{"tie-10"}
		sqlitetest.MustImport(t, db, renamed)
		after, err := db.FindEvents(ctx, timeline.Filter{Limit: 5, Later: &timeline.Cursor{Start: minute, Slug: "tie-10"}})
		if err != nil || !slices.Equal(slugsOf(after.Events), slugsOf(before.Events)) {
			t.Errorf("after the rename: %v, %v; want %v", slugsOf(after.Events), err, slugsOf(before.Events))
		}
	})
}

func TestFindEvent(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, storySpecs)
	ds.Events[1].FormerSlugs = []string{"old-claim"}
	sqlitetest.MustImport(t, db, ds)

	e, err := db.FindEvent(ctx, "claim")
	if err != nil {
		t.Fatal(err)
	}
	if e.Slug != "claim" || !slices.Equal(e.FormerSlugs, []string{"old-claim"}) {
		t.Errorf("got %s former %v", e.Slug, e.FormerSlugs)
	}
	_, err = db.FindEvent(ctx, "old-claim")
	var moved *timeline.Error
	if timeline.ErrorCode(err) != timeline.EMOVED || !asError(err, &moved) || moved.Slug != "claim" {
		t.Errorf("former slug: err = %v, want EMOVED to claim", err)
	}
	if _, err := db.FindEvent(ctx, "nope"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
		t.Errorf("unknown slug: err = %v, want ENOTFOUND", err)
	}

	prev, next, err := db.FindNeighbours(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if prev == nil || prev.Slug != "blast" || next == nil || next.Slug != "kyiv-denies" {
		t.Errorf("neighbours of claim: prev=%v next=%v", prev, next)
	}
}

func asError(err error, target **timeline.Error) bool {
	e, ok := err.(*timeline.Error)
	if ok {
		*target = e
	}
	return ok
}

// TestContestedFollowsTheDomain: which answers contest a claim is the
// domain's rule; the store reads it from there, so a type newly counted as
// contesting reaches ?contested=1 with no edit to the store.
func TestContestedFollowsTheDomain(t *testing.T) {
	ctx := context.Background()
	saved := timeline.ContestingTypes
	t.Cleanup(func() { timeline.ContestingTypes = saved })
	timeline.ContestingTypes = append(slices.Clone(saved), timeline.AnswerSupports)

	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, []sqlitetest.Event{
		{Slug: "claim", Kind: "claim", When: "2023-05-03", Zone: "UTC", Actors: []string{"alice"}},
		{Slug: "backing", Kind: "statement", When: "2023-05-04", Zone: "UTC", Actors: []string{"bob"}, Answers: []string{"claim:supports"}},
		{Slug: "aside", Kind: "statement", When: "2023-05-05", Zone: "UTC", Actors: []string{"bob"}},
	}))
	page, err := db.FindEvents(ctx, timeline.Filter{Contested: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Events {
		got = append(got, e.Slug)
	}
	if want := []string{"claim", "backing"}; !slices.Equal(got, want) {
		t.Errorf("contested = %v, want %v", got, want)
	}
}

// TestAccountAndInferredDate: an event known through one party's account
// comes back with that actor whole, and an inferred date with its note;
// the same file again changes nothing.
func TestAccountAndInferredDate(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, []sqlitetest.Event{
		{Slug: "downed", Kind: "incident", When: "2023-05-03 early-hours", Zone: "Europe/Moscow", Actors: []string{"kremlin", "putin:mentioned"}},
		{Slug: "plain", Kind: "statement", When: "2023-05-04", Zone: "UTC", Actors: []string{"kremlin"}},
	})
	ds.Events[0].AccordingTo = timeline.Actor{Slug: "kremlin"}
	ds.Events[0].WhenInferred, ds.Events[0].WhenNote = true, "Dated by the statement's own day."
	sqlitetest.MustImport(t, db, ds)
	e, err := db.FindEvent(ctx, "downed")
	if err != nil {
		t.Fatal(err)
	}
	if e.AccordingTo.Slug != "kremlin" || e.AccordingTo.Name == "" || !e.WhenInferred || e.WhenNote != "Dated by the statement's own day." {
		t.Errorf("loaded according to %+v, inferred %v, note %q", e.AccordingTo, e.WhenInferred, e.WhenNote)
	}
	if p, _ := db.FindEvent(ctx, "plain"); p.AccordingTo.Slug != "" || p.WhenInferred {
		t.Errorf("an event without them loaded %+v, %v", p.AccordingTo, p.WhenInferred)
	}
	if res := sqlitetest.MustImport(t, db, ds); res.Changed() {
		t.Errorf("the same file again changed %+v", res)
	}
	ds.Events[0].WhenNote = "Dated otherwise."
	if res := sqlitetest.MustImport(t, db, ds); res.EventsChanged != 1 {
		t.Errorf("a changed note changed %d events, want 1", res.EventsChanged)
	}
}
