package sqlite_test

import (
	"bytes"
	"cmp"
	"context"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
)

// benchDB opens the database named by TIMELINE_BENCH_DB (e.g. one made by
// `timeline synth --events 1000000 | timeline import --db big.db -`), or
// builds a 20,000-event one.
func benchDB(b *testing.B) *sqlite.DB {
	b.Helper()
	if path := os.Getenv("TIMELINE_BENCH_DB"); path != "" {
		db, err := sqlite.Open(context.Background(), path, sqlite.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: 20000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	db := sqlitetest.MustOpenPath(b, filepath.Join(b.TempDir(), "bench.db"))
	im, err := db.BeginImport(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if err := dataset.Scan(&buf, im); err != nil {
		b.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkFindEvents runs 200 random filter combinations (1-3 actors from
// the busiest to the rarest, 0-2 kinds, an optional role, an optional date
// range; first page and a page deep in the middle) and reports the slowest.
func BenchmarkFindEvents(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	actors, err := db.FindActors(ctx)
	if err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(actors, func(x, y timeline.Actor) int { return y.EventCount - x.EventCount })
	first, _ := db.FindEvents(ctx, timeline.Filter{Limit: 1})
	last, _ := db.FindEvents(ctx, timeline.Filter{Limit: 1, Desc: true})
	from, to := first.Events[0].When.Start, last.Events[0].When.Start
	if to.Before(from) {
		// Events sort by their sort key, which for a coarse date (a year,
		// a month) is not its start: a file whose events all fall within
		// one year may begin at 2003-02 and end at 2003, which starts
		// earlier.
		from, to = to, from
	}
	middle := timeline.Cursor{Start: from.Unix() + (to.Unix()-from.Unix())/2}

	rng := rand.New(rand.NewPCG(1, 2))
	filters := make([]timeline.Filter, 200)
	for i := range filters {
		var f timeline.Filter
		for range 1 + rng.IntN(3) {
			// Half from the busiest hundred, half from anywhere (mostly rare).
			pool := actors[:min(100, len(actors))]
			if rng.IntN(2) == 0 {
				pool = actors
			}
			f.Actors = append(f.Actors, pool[rng.IntN(len(pool))].Slug)
		}
		for range rng.IntN(3) {
			f.Kinds = append(f.Kinds, timeline.EventKinds[rng.IntN(len(timeline.EventKinds))])
		}
		if rng.IntN(3) == 0 {
			f.Role = timeline.Roles[rng.IntN(len(timeline.Roles))]
		}
		if rng.IntN(3) == 0 {
			start := from.Add(time.Duration(rng.Int64N(max(1, int64(to.Sub(from))))))
			f.From, f.To = start, start.AddDate(1+rng.IntN(5), 0, 0)
		}
		if i%2 == 1 {
			f.Later = &middle
		}
		filters[i] = f
	}
	var slowest time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := filters[i%len(filters)]
		start := time.Now()
		if _, err := db.FindEvents(ctx, f); err != nil {
			b.Fatal(err)
		}
		slowest = max(slowest, time.Since(start))
	}
	b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-ms")
}

// BenchmarkFindAround opens the page of 50 around one event from each of
// the first 200 pages of the timeline, every other one within the filter
// of one of its actors, as a link to an event in the timeline does.
func BenchmarkFindAround(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	type around struct {
		f timeline.Filter
		c timeline.Cursor
	}
	var cases []around
	f := timeline.Filter{}
	for len(cases) < 200 {
		page, err := db.FindEvents(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		e := &page.Events[len(page.Events)/2]
		a := around{f: timeline.Filter{Limit: 50}, c: timeline.CursorOf(e)}
		if len(cases)%2 == 1 && len(e.Actors) > 0 {
			a.f.Actors = []string{e.Actors[0].Actor.Slug}
		}
		cases = append(cases, a)
		if page.Later == nil {
			break
		}
		f.Later = page.Later
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := cases[i%len(cases)]
		if _, err := db.FindAround(ctx, a.f, a.c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindOverview counts the whole timeline, and the timelines of
// one to three actors (busiest and rare), some of them claims pages, by
// period, every other one within one of the newest stories, and reports
// the slowest and p99.
func BenchmarkFindOverview(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	actors, err := db.FindActors(ctx)
	if err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(actors, func(x, y timeline.Actor) int { return y.EventCount - x.EventCount })
	stories, err := db.FindStories(ctx, nil, 20, 0)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	filters := make([]timeline.Filter, 50)
	for i := 1; i < len(filters); i++ { // the first is the whole timeline
		if i%2 == 0 && len(stories.Stories) > 0 {
			filters[i].Story = stories.Stories[rng.IntN(len(stories.Stories))].Slug
			continue // a story's own lane
		}
		for range 1 + rng.IntN(3) {
			filters[i].Actors = append(filters[i].Actors, actors[rng.IntN(len(actors))].Slug)
		}
		if i%5 == 0 {
			filters[i].Kinds = timeline.ClaimKinds // a claims page
		}
		if i%7 == 0 {
			// A fortnight, which cuts its month and year: the events known
			// only to them are counted apart.
			filters[i].From = time.Date(1990+rng.IntN(35), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
			filters[i].To = filters[i].From.AddDate(0, 0, 14)
		}
	}
	// From the figures kept at import, and counting the events as views
	// the figures cannot answer do.
	for _, fromEvents := range []bool{false, true} {
		name := "Figures"
		if fromEvents {
			name = "Events"
		}
		b.Run(name, func(b *testing.B) {
			if fromEvents {
				sqlite.CountOverviewFromEvents(b)
			}
			var took []time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := db.FindOverview(ctx, filters[i%len(filters)]); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			reportLatencies(b, took, "")
		})
	}
}

// BenchmarkSearchEvents runs 300 random searches, a third each of: a
// common word with one of the busiest actors, a rare word, and a phrase
// (two words side by side in a title), every other one as a prefix, and
// reports the slowest and the 99th percentile. The words come from the
// titles and summaries of a few pages across the timeline.
func BenchmarkSearchEvents(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	actors, err := db.FindActors(ctx)
	if err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(actors, func(x, y timeline.Actor) int { return y.EventCount - x.EventCount })
	counts := map[string]int{}
	var phrases []string
	f := timeline.Filter{}
	for range 10 {
		page, err := db.FindEvents(ctx, f)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range page.Events {
			words := timeline.SearchWords(e.Title + " " + e.Summary)
			for i, w := range words {
				counts[w]++
				if i > 0 && len(words[i-1]) > 3 && len(w) > 3 {
					phrases = append(phrases, `"`+words[i-1]+" "+w+`"`)
				}
			}
		}
		if page.Later == nil {
			break
		}
		f.Later = &timeline.Cursor{Start: page.Later.Start + 86400*30} // a month on
	}
	words := slices.Collect(maps.Keys(counts))
	slices.SortFunc(words, func(x, y string) int { return cmp.Or(counts[y]-counts[x], strings.Compare(x, y)) })
	common, rare := words[:min(20, len(words))], words[max(0, len(words)-200):]
	if len(phrases) == 0 {
		b.Fatal("no phrases in the sample")
	}

	rng := rand.New(rand.NewPCG(3, 4))
	filters := make([]timeline.Filter, 300)
	for i := range filters {
		var f timeline.Filter
		switch i % 3 {
		case 0:
			f.Query = common[rng.IntN(len(common))]
			f.Actors = []string{actors[rng.IntN(min(20, len(actors)))].Slug}
		case 1:
			f.Query = rare[rng.IntN(len(rare))]
		case 2:
			f.Query = phrases[rng.IntN(len(phrases))]
		}
		if i%2 == 1 && len(f.Query) > 4 {
			f.Query = strings.Trim(f.Query, `"`)[:4] + "*"
		}
		filters[i] = f
	}
	var took []time.Duration
	// By shape: common word with an actor, rare word, phrase; then each
	// as a prefix.
	shapes, pictures := [6][]time.Duration{}, [6][]time.Duration{}
	drawn := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := filters[i%len(filters)]
		start := time.Now()
		if _, err := db.FindEvents(ctx, f); err != nil {
			b.Fatalf("search %q: %v", f.Query, err)
		}
		d := time.Since(start)
		took = append(took, d)
		shape := i % len(filters) % 3
		if strings.HasSuffix(f.Query, "*") {
			shape += 3
		}
		shapes[shape] = append(shapes[shape], d)
		if testing.Verbose() && d > 50*time.Millisecond {
			b.Logf("%v: %q actors %v", d, f.Query, f.Actors)
		}
		// The page's picture counts the same matches (at most
		// timeline.MaxSearchOverview of them).
		start = time.Now()
		o, err := db.FindOverview(ctx, f)
		if err != nil {
			b.Fatalf("overview of search %q: %v", f.Query, err)
		}
		pictures[shape] = append(pictures[shape], time.Since(start))
		if !o.TooManyMatches {
			drawn++
		}
	}
	b.ReportMetric(100*float64(drawn)/float64(b.N), "overview-drawn-%")
	reportLatencies(b, took, "")
	for i, name := range []string{"common-actor-", "rare-", "phrase-", "prefix-common-actor-", "prefix-rare-", "prefix-phrase-"} {
		if len(pictures[i]) > 0 {
			b.ReportMetric(float64(percentile(pictures[i], 99).Microseconds())/1000, "overview-"+name+"p99-ms")
		}
	}
	for i, name := range []string{"common-actor-", "rare-", "phrase-", "prefix-common-actor-", "prefix-rare-", "prefix-phrase-"} {
		if len(shapes[i]) > 0 {
			b.ReportMetric(float64(percentile(shapes[i], 99).Microseconds())/1000, name+"p99-ms")
		}
	}
}

// percentile is the p-th percentile of took, which it sorts.
func percentile(took []time.Duration, p int) time.Duration {
	slices.Sort(took)
	return took[(len(took)-1)*p/100]
}

// reportLatencies reports the slowest and the 99th percentile of took.
func reportLatencies(b *testing.B, took []time.Duration, prefix string) {
	b.ReportMetric(float64(percentile(took, 100).Microseconds())/1000, prefix+"slowest-ms")
	b.ReportMetric(float64(percentile(took, 99).Microseconds())/1000, prefix+"p99-ms")
}
