package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
)

// matches is the search's meaning, written plainly over a dataset: every
// term found in one of the event's texts (title, summary, body, a quote,
// an actor's name), a phrase as consecutive words of one text, a prefix as
// the start of a word; OR and NOT as they say.
func matches(ds *timeline.Dataset, e timeline.Event, s timeline.Search) bool {
	names := map[string]string{}
	for _, a := range ds.Actors {
		names[a.Slug] = a.Name
	}
	texts := []string{e.Title, e.Summary, e.Body}
	for _, c := range e.Sources {
		texts = append(texts, c.Quote)
	}
	for _, a := range e.Actors {
		texts = append(texts, names[a.Actor.Slug])
	}
	found := func(t timeline.SearchTerm) bool {
		for _, text := range texts {
			words := timeline.SearchWords(text)
			for i := 0; i+len(t.Words) <= len(words); i++ {
				ok := true
				for j, w := range t.Words {
					last := j == len(t.Words)-1
					if words[i+j] != w && !(last && t.Prefix && strings.HasPrefix(words[i+j], w)) {
						ok = false
						break
					}
				}
				if ok {
					return true
				}
			}
		}
		return false
	}
	// NOT binds tighter than AND, AND than OR, as in FTS5: a list of
	// AND groups, any of which matches.
	any, group := false, true
	for i, t := range s.Terms {
		if t.Op == "OR" && i > 0 {
			any, group = any || group, true
		}
		if t.Op == "NOT" {
			group = group && !found(t)
		} else {
			group = group && found(t)
		}
	}
	return any || group
}

// allPages reads every page of f, limit events at a time, in its order.
func allPages(t *testing.T, db *sqlite.DB, f timeline.Filter, limit int) []string {
	t.Helper()
	f.Limit = limit
	var slugs []string
	for range 1000 {
		page, err := db.FindEvents(context.Background(), f)
		if err != nil {
			t.Fatalf("FindEvents(%+v): %v", f, err)
		}
		for _, e := range page.Events {
			slugs = append(slugs, e.Slug)
		}
		next := page.Later
		if f.Desc && !f.Relevance {
			next = page.Earlier
		}
		if next == nil {
			return slugs
		}
		f.Later, f.Earlier = nil, nil
		if f.Desc && !f.Relevance {
			f.Earlier = next
		} else {
			f.Later = next
		}
	}
	t.Fatal("paging does not end")
	return nil
}

// TestSearchBundledStory: searches a reader would type, on the bundled
// story, find what the plain meaning of the search finds, in time order,
// whole across pages, read from the search index or through the time
// order alike.
func TestSearchBundledStory(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, ds)
	searches := []struct {
		name string
		f    timeline.Filter
		min  int // at least this many events match: the search is not vacuous
	}{
		{"Phrase", timeline.Filter{Query: `"shaker of salt"`}, 1},
		{"PhraseNotInOrder", timeline.Filter{Query: `"salt of shaker"`}, 0},
		{"Prefix", timeline.Filter{Query: "drone*"}, 10},
		{"Words", timeline.Filter{Query: "kremlin drones"}, 5},
		{"PrefixAndWord", timeline.Filter{Query: "drone* kremlin"}, 5},
		{"ActorName", timeline.Filter{Query: "Peskov"}, 2},
		{"Or", timeline.Filter{Query: "Blinken OR Kirby"}, 2},
		{"Not", timeline.Filter{Query: "drone* NOT Kremlin"}, 1},
		{"WithActors", timeline.Filter{Query: "drone*", Actors: []string{"peskov", "zelensky"}}, 2},
		{"WithKinds", timeline.Filter{Query: "drone*", Kinds: []timeline.EventKind{"denial", "claim"}}, 2},
		{"WithActorAndKind", timeline.Filter{Query: "kremlin OR drone*", Actors: []string{"peskov", "kremlin"}, Kinds: []timeline.EventKind{"claim", "denial"}}, 1},
		{"Desc", timeline.Filter{Query: "drone*", Desc: true}, 10},
		// "drone*" is spelled out as the words it begins; "a*" begins too
		// many to spell, and stays a prefix.
		{"PrefixOfManyWords", timeline.Filter{Query: "a*"}, 20},
		{"PrefixInAPhrase", timeline.Filter{Query: `"drone att"*`}, 1},
		{"OrPrefix", timeline.Filter{Query: "Peskov OR zelensk*"}, 3},
		{"NotPrefix", timeline.Filter{Query: "kremlin NOT drone*"}, 1},
	}
	for _, tt := range searches {
		t.Run(tt.name, func(t *testing.T) {
			s, err := timeline.ParseSearch(tt.f.Query)
			if err != nil {
				t.Fatal(err)
			}
			var want []timeline.Event
			for _, e := range ds.Events {
				ok := matches(ds, e, s) &&
					(len(tt.f.Kinds) == 0 || slices.Contains(tt.f.Kinds, e.Kind)) &&
					(len(tt.f.Actors) == 0 || slices.ContainsFunc(e.Actors, func(a timeline.EventActor) bool { return slices.Contains(tt.f.Actors, a.Actor.Slug) }))
				if ok {
					want = append(want, e)
				}
			}
			if len(want) < tt.min {
				t.Fatalf("%d events match %q in the dataset, want at least %d", len(want), tt.f.Query, tt.min)
			}
			wantSlugs := make([]string, len(want))
			for i, e := range want {
				wantSlugs[i] = e.Slug
			}
			for _, strategy := range []struct {
				name string
				plan sqlite.SearchPlan
			}{{"FromIndex", sqlite.SearchDrives}, {"Listed", sqlite.SearchListed}, {"InTimeOrder", sqlite.SearchLooksUp}} {
				sqlite.SetSearchPlan(t, strategy.plan)
				got := allPages(t, db, tt.f, 3)
				page, err := db.FindEvents(context.Background(), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var order []int64
				for _, e := range page.Events {
					order = append(order, e.When.SortKey())
				}
				sorted := slices.IsSorted(order)
				if tt.f.Desc {
					sorted = slices.IsSortedFunc(order, func(a, b int64) int { return int(b - a) })
				}
				if !sorted {
					t.Errorf("%s: events not in time order: %v", strategy.name, order)
				}
				if !sameSet(got, wantSlugs) || len(got) != len(wantSlugs) {
					t.Errorf("%s: %q found %v, want %v", strategy.name, tt.f.Query, got, wantSlugs)
				}
			}
		})
	}
	// A prefix that begins few words is read as the choice of them, which
	// the time order can look up row by row; one that begins many is not.
	for q, want := range map[string]string{
		"drone*":             `("drone" OR "drones")`,
		`"drone att"*`:       `("drone attack" OR "drone attacked" OR "drone attacks" OR "drone attempt" OR "drone attempted" OR "drone attempts")`,
		"Peskov OR zelensk*": `"peskov" OR ("zelensky" OR "zelenskyy")`,
		"a*":                 `"a"*`,
		"drone* kremlin":     `("drone" OR "drones") AND "kremlin"`,
		"kremlin drone*":     `"kremlin" AND ("drone" OR "drones")`,
	} {
		got, err := sqlite.SearchMatch(context.Background(), db, timeline.Filter{Query: q})
		if err != nil || got != want {
			t.Errorf("search %q is read as %q, %v; want %q", q, got, err, want)
		}
	}
	if page, err := db.FindEvents(context.Background(), timeline.Filter{Query: `"shaker of salt"`}); err != nil || len(page.Events) == 0 || page.Events[0].Slug != "blinken-very-large-shaker-of-salt" {
		t.Errorf(`"shaker of salt" = %v, %v, want blinken-very-large-shaker-of-salt first`, page, err)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}

// TestSearchFixture: on a small fixture, quotes and actors' names are
// searched, a renamed actor is found by the new name, and a search the
// syntax cannot read is EINVALID, never an internal error.
func TestSearchFixture(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, []sqlitetest.Event{
		{Slug: "one", Kind: "claim", When: "2023-05-03", Zone: "UTC", Actors: []string{"alice"}, Title: "Drones over the dome"},
		{Slug: "two", Kind: "denial", When: "2023-05-04", Zone: "UTC", Actors: []string{"bob"}, Title: "A denial in Kyïv"},
	})
	ds.Events[1].Sources[0].Quote = `He said <script>alert(1)</script> and left`
	sqlitetest.MustImport(t, db, ds)
	find := func(q string) []string {
		t.Helper()
		page, err := db.FindEvents(ctx, timeline.Filter{Query: q})
		if err != nil {
			t.Fatalf("FindEvents(%q): %v", q, err)
		}
		var slugs []string
		for _, e := range page.Events {
			slugs = append(slugs, e.Slug)
		}
		return slugs
	}
	for q, want := range map[string][]string{
		"drone*":       {"one"},
		"drone":        nil, // a word is whole: drones is not drone
		"script":       {"two"},
		`"alert 1"`:    {"two"},
		"name bob":     {"two"}, // "Name bob", the actor
		"dome OR left": {"one", "two"},
		// The index folds ï to i: a prefix not in ASCII is left to it,
		// one in ASCII is spelled from the folded words.
		"kyï*": {"two"},
		"kyi*": {"two"},
	} {
		if got := find(q); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	// A feed of a search holds the events it matches.
	if changes, err := db.FindChanges(ctx, timeline.Filter{Query: "dome"}, nil, 10); err != nil || len(changes.Events) != 1 || changes.Events[0].Slug != "one" {
		t.Errorf("changes of a search for dome = %+v, %v, want [one]", changes, err)
	}
	ds.Actors[1].Name = "Roberta Renamed"
	sqlitetest.MustImport(t, db, ds)
	if got := find("roberta"); !slices.Equal(got, []string{"two"}) {
		t.Errorf("after the rename, search roberta = %v, want [two]", got)
	}
	if got := find("name bob"); got != nil {
		t.Errorf("after the rename, search for the old name = %v, want none", got)
	}
	for _, q := range []string{`"unbalanced`, "AND", "drone NOT"} {
		if _, err := db.FindEvents(ctx, timeline.Filter{Query: q}); timeline.ErrorCode(err) != timeline.EINVALID {
			t.Errorf("FindEvents(%q): err = %v, want EINVALID", q, err)
		}
	}
}

// TestSearchRelevance: the order by relevance puts the best match first,
// pages by keyset through every match once, in both directions, keeps the
// other filters, and refuses a cursor of the time order.
func TestSearchRelevance(t *testing.T) {
	ctx := context.Background()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, ds)
	inTime := allPages(t, db, timeline.Filter{Query: "drone*"}, 100)
	f := timeline.Filter{Query: "drone*", Relevance: true}
	ranked := allPages(t, db, f, 3)
	if !sameSet(ranked, inTime) || len(ranked) != len(inTime) {
		t.Errorf("by relevance, 3 a page: %v, want the matches in time order %v", ranked, inTime)
	}
	if slices.Equal(ranked, inTime) {
		t.Errorf("the order by relevance is the time order: %v", ranked)
	}
	// Back from the last page: the same events, in the same order.
	f.Limit = 3
	page, err := db.FindEvents(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var back []string
	for page.Later != nil {
		f.Later = page.Later
		if page, err = db.FindEvents(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for {
		for i := len(page.Events) - 1; i >= 0; i-- {
			back = append(back, page.Events[i].Slug)
		}
		if page.Earlier == nil {
			break
		}
		f.Later, f.Earlier = nil, page.Earlier
		if page, err = db.FindEvents(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	slices.Reverse(back)
	if !slices.Equal(back, ranked) {
		t.Errorf("paged back: %v, want %v", back, ranked)
	}
	if first, err := db.FindEvents(ctx, timeline.Filter{Query: `"shaker of salt" OR salt`, Relevance: true}); err != nil || len(first.Events) == 0 || first.Events[0].Slug != "blinken-very-large-shaker-of-salt" {
		t.Errorf("best match of the phrase = %+v, %v, want blinken-very-large-shaker-of-salt", first, err)
	}
	withActors := allPages(t, db, timeline.Filter{Query: "drone*", Actors: []string{"peskov", "zelensky"}, Relevance: true}, 2)
	want := allPages(t, db, timeline.Filter{Query: "drone*", Actors: []string{"peskov", "zelensky"}}, 100)
	if !sameSet(withActors, want) || len(withActors) != len(want) {
		t.Errorf("by relevance with actors: %v, want %v", withActors, want)
	}
	timed := &timeline.Cursor{Start: 1683072000, Slug: inTime[0]}
	if _, err := db.FindEvents(ctx, timeline.Filter{Query: "drone*", Relevance: true, Later: timed}); timeline.ErrorCode(err) != timeline.EINVALID {
		t.Errorf("relevance from a time cursor: err = %v, want EINVALID", err)
	}
}

// TestSearchRelevanceBounded: a search whose matches are more than the
// order by relevance may rank is refused with a clear reason, naming the
// order as what to change, and the same search in time order is read.
func TestSearchRelevanceBounded(t *testing.T) {
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: timeline.MaxRankedMatches + 2000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.MustOpen(t)
	im, err := db.BeginImport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := dataset.Scan(&buf, im); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	// Every synthetic summary says "A synthetic …".
	_, err = db.FindEvents(context.Background(), timeline.Filter{Query: "synthetic", Relevance: true})
	var refused *timeline.Error
	if !errors.As(err, &refused) || refused.Code != timeline.EINVALID || refused.Field != "order" || refused.Value != "relevance" {
		t.Fatalf("ranking every event: err %v, want EINVALID on order=relevance", err)
	}
	if page, err := db.FindEvents(context.Background(), timeline.Filter{Query: "synthetic"}); err != nil || len(page.Events) == 0 {
		t.Errorf("the same search in time order: %v, %v", page, err)
	}
}

// TestSearchRandomQueries: searches made at random of the bundled story's
// words, whole or as prefixes, phrases among them, joined by AND unsaid,
// OR and NOT, find what their plain meaning finds: FTS5 reads every one,
// the prefixes spelled out as words and those left as prefixes alike.
func TestSearchRandomQueries(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, ds)
	var vocabulary []string
	for _, e := range ds.Events {
		vocabulary = append(vocabulary, timeline.SearchWords(e.Title+" "+e.Summary)...)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	word := func() string {
		w := vocabulary[rng.IntN(len(vocabulary))]
		if rng.IntN(2) == 0 && len(w) > 2 {
			w = w[:1+rng.IntN(len(w)-1)] + "*"
		}
		return w
	}
	for range 300 {
		var q strings.Builder
		for i := range 1 + rng.IntN(3) {
			if i > 0 {
				q.WriteString([]string{" ", " OR ", " NOT "}[rng.IntN(3)])
			}
			if rng.IntN(4) == 0 {
				w := strings.TrimSuffix(word(), "*")
				q.WriteString(`"` + w + " " + strings.TrimSuffix(word(), "*") + `"`)
				if rng.IntN(2) == 0 {
					q.WriteString("*")
				}
			} else {
				q.WriteString(word())
			}
		}
		s, err := timeline.ParseSearch(q.String())
		if err != nil {
			continue // the domain refuses it with a reason of its own
		}
		var want []string
		for _, e := range ds.Events {
			if matches(ds, e, s) {
				want = append(want, e.Slug)
			}
		}
		got := allPages(t, db, timeline.Filter{Query: q.String()}, 50)
		if !sameSet(got, want) || len(got) != len(want) {
			match, _ := sqlite.SearchMatch(context.Background(), db, timeline.Filter{Query: q.String()})
			t.Errorf("search %q (read as %s) found %v, want %v", q.String(), match, got, want)
		}
	}
}
