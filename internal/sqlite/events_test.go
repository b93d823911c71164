package sqlite_test

import (
	"context"
	"slices"
	"testing"

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
var storySpecs = []eventSpec{
	{slug: "blast", kind: "incident", when: "2023-05-03 early-hours", zone: "Europe/Moscow", actors: []string{"kremlin:target"}},
	{slug: "claim", kind: "claim", when: "2023-05-03", zone: "Europe/Moscow", actors: []string{"kremlin", "ukraine:target"}},
	{slug: "kyiv-denies", kind: "denial", when: "2023-05-03 afternoon", zone: "Europe/Kyiv", actors: []string{"zelensky", "ukraine"}, answers: []string{"claim:denies"}},
	{slug: "us-blamed", kind: "accusation", when: "2023-05-04", zone: "Europe/Moscow", actors: []string{"peskov", "us:target", "ukraine:mentioned"}, answers: []string{"kyiv-denies:disputes"}},
	{slug: "us-denies", kind: "denial", when: "2023-05-04T09:15", zone: "America/New_York", actors: []string{"kirby", "us"}, answers: []string{"us-blamed:denies"}},
}

func TestFindEvents(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	MustImport(t, db, buildDataset(t, storySpecs))

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
		{"Range", timeline.Filter{From: when(t, "2023-05-04", "UTC").Start}, []string{"us-blamed", "us-denies"}},
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
	db := MustOpen(t)
	MustImport(t, db, manyEvents(t, 250))

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

func TestFindEvent(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	ds := buildDataset(t, storySpecs)
	ds.Events[1].FormerSlugs = []string{"old-claim"}
	MustImport(t, db, ds)

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

func TestFindActors(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	MustImport(t, db, buildDataset(t, storySpecs))
	actors, err := db.FindActors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, a := range actors {
		counts[a.Slug] = a.EventCount
	}
	if counts["ukraine"] != 3 || counts["kremlin"] != 2 || counts["kirby"] != 1 {
		t.Errorf("counts = %v", counts)
	}
	a, err := db.FindActor(ctx, "ukraine")
	if err != nil || a.Name != "Name ukraine" {
		t.Errorf("FindActor = %+v, %v", a, err)
	}
	if _, err := db.FindActor(ctx, "nobody"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
		t.Errorf("unknown actor: err = %v", err)
	}
}

func TestFindThread(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	specs := append(slices.Clone(storySpecs),
		// An answer to an answer to an answer, and an unrelated event.
		eventSpec{slug: "peskov-lying", kind: "accusation", when: "2023-05-05", zone: "Europe/Moscow", actors: []string{"peskov"}, answers: []string{"us-denies:disputes"}},
		eventSpec{slug: "parade", kind: "statement", when: "2023-05-09", zone: "Europe/Moscow", actors: []string{"kremlin"}},
	)
	MustImport(t, db, buildDataset(t, specs))

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
		loop := buildDataset(t, []eventSpec{
			{slug: "a", kind: "claim", when: "2023-05-01", zone: "UTC", actors: []string{"x"}, answers: []string{"c:denies"}},
			{slug: "b", kind: "denial", when: "2023-05-02", zone: "UTC", actors: []string{"y"}, answers: []string{"a:denies"}},
			{slug: "c", kind: "denial", when: "2023-05-03", zone: "UTC", actors: []string{"x"}, answers: []string{"b:denies"}},
		})
		db := MustOpen(t)
		MustImport(t, db, loop)
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

func TestActorFinder(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	ds := buildDataset(t, storySpecs)
	for i := range ds.Actors {
		if ds.Actors[i].Slug == "zelensky" {
			ds.Actors[i].Name = "Volodymyr Zelensky"
			ds.Actors[i].Description = "President of Ukraine"
		}
	}
	MustImport(t, db, ds)
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"zel", []string{"zelensky"}},
		{"VOLO zel", []string{"zelensky"}},
		{"president", []string{"zelensky"}},
		{"name", []string{"ukraine", "kremlin", "us", "kirby", "peskov"}}, // busiest first, then by name
		{`"*)(`, nil},
		{"nobody", nil},
	} {
		got, err := db.SearchActors(ctx, tt.q, 10)
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		var slugs []string
		for _, a := range got {
			slugs = append(slugs, a.Slug)
		}
		if !slices.Equal(slugs, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.q, slugs, tt.want)
		}
	}
	// A rename reaches the index through its trigger.
	ds.Actors[0].Name = "Kremlin Palace"
	MustImport(t, db, ds)
	if got, _ := db.SearchActors(ctx, "palace", 10); len(got) != 1 {
		t.Errorf("renamed actor not found: %v", got)
	}

	top, err := db.FindTopActors(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0].Slug != "ukraine" {
		t.Errorf("top actors = %+v", top)
	}
}

// TestContestedFollowsTheDomain: which answers contest a claim is the
// domain's rule; the store reads it from there, so a type newly counted as
// contesting reaches ?contested=1 with no edit to the store.
func TestContestedFollowsTheDomain(t *testing.T) {
	ctx := context.Background()
	saved := timeline.ContestingTypes
	t.Cleanup(func() { timeline.ContestingTypes = saved })
	timeline.ContestingTypes = append(slices.Clone(saved), timeline.AnswerSupports)

	db := MustOpen(t)
	MustImport(t, db, buildDataset(t, []eventSpec{
		{slug: "claim", kind: "claim", when: "2023-05-03", zone: "UTC", actors: []string{"alice"}},
		{slug: "backing", kind: "statement", when: "2023-05-04", zone: "UTC", actors: []string{"bob"}, answers: []string{"claim:supports"}},
		{slug: "aside", kind: "statement", when: "2023-05-05", zone: "UTC", actors: []string{"bob"}},
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
