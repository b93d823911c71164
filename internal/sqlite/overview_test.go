package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestFindOverview(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, []sqlitetest.Event{
		{Slug: "blast", Kind: "incident", When: "2023-05-03T02:27", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "claim", Kind: "claim", When: "2023-05-03T14:10", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "denies", Kind: "denial", When: "2023-05-03T14:40", Zone: "UTC", Actors: []string{"kyiv"}, Answers: []string{"claim:denies"}},
		{Slug: "cites", Kind: "statement", When: "2023-05-03T15:05", Zone: "UTC", Actors: []string{"kyiv"}, Answers: []string{"claim:cites"}},
	}))
	hour := func(h int) time.Time { return time.Date(2023, 5, 3, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		f       timeline.Filter
		period  timeline.Period
		buckets int
		lanes   map[string]map[int]timeline.Tally // by actor, by bucket; others empty
	}{
		{"Whole", timeline.Filter{}, timeline.PeriodHour, 14, map[string]map[int]timeline.Tally{
			"": {0: {timeline.ClassOther: 1}, 12: {timeline.ClassClaim: 1, timeline.ClassContesting: 1}, 13: {timeline.ClassOther: 1}}}},
		{"Actors", timeline.Filter{Actors: []string{"kremlin", "kyiv"}}, timeline.PeriodHour, 14, map[string]map[int]timeline.Tally{
			"kremlin": {0: {timeline.ClassOther: 1}, 12: {timeline.ClassClaim: 1}},
			"kyiv":    {12: {timeline.ClassContesting: 1}, 13: {timeline.ClassOther: 1}}}},
		// A date range is the span drawn, whatever the events in it.
		{"Range", timeline.Filter{From: hour(0), To: hour(24)}, timeline.PeriodHour, 24, map[string]map[int]timeline.Tally{
			"": {2: {timeline.ClassOther: 1}, 14: {timeline.ClassClaim: 1, timeline.ClassContesting: 1}, 15: {timeline.ClassOther: 1}}}},
		{"Kind", timeline.Filter{Kinds: []timeline.EventKind{timeline.KindDenial}}, timeline.PeriodHour, 1, map[string]map[int]timeline.Tally{
			"": {0: {timeline.ClassContesting: 1}}}},
		{"Paging ignored", timeline.Filter{Limit: 1, Desc: true, Later: &timeline.Cursor{Start: hour(14).Unix(), Slug: "claim"}}, timeline.PeriodHour, 14, map[string]map[int]timeline.Tally{
			"": {0: {timeline.ClassOther: 1}, 12: {timeline.ClassClaim: 1, timeline.ClassContesting: 1}, 13: {timeline.ClassOther: 1}}}},
		{"Empty", timeline.Filter{From: hour(20)}, "", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := db.FindOverview(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if o.Period != tt.period || len(o.Buckets) != tt.buckets {
				t.Fatalf("got %d %ss, want %d %ss", len(o.Buckets), o.Period, tt.buckets, tt.period)
			}
			if len(o.Lanes) != len(tt.lanes) {
				t.Fatalf("got %d lanes, want %d", len(o.Lanes), len(tt.lanes))
			}
			for _, lane := range o.Lanes {
				want, ok := tt.lanes[lane.Actor]
				if !ok {
					t.Fatalf("lane of %q, want none", lane.Actor)
				}
				for i, got := range lane.Tallies {
					if got != want[i] {
						t.Errorf("lane %q, bucket %d (%s): got %v, want %v", lane.Actor, i, o.Buckets[i].Start, got, want[i])
					}
				}
			}
		})
	}
}

// overviewStory is a story of n events over about n/3 days from the
// day, several a day, with claims, their denials (contesting answers) and
// citations, alice in every other event and bob (also as a target) in
// every third; every eleventh is known only to its month, and every
// twenty-third to its year, so that the shorter periods spread them.
func overviewStory(t *testing.T, slug, day string, n int) *timeline.Dataset {
	t.Helper()
	start := sqlitetest.When(t, day, "UTC").Start
	var events []sqlitetest.Event
	for i := range n {
		e := sqlitetest.Event{Slug: fmt.Sprintf("%s-%03d", slug, i), Kind: "statement", Zone: "UTC",
			When: start.Add(time.Duration(i) * 7 * time.Hour).Format("2006-01-02T15:04")}
		switch {
		case i%23 == 22:
			e.When = e.When[:4]
		case i%11 == 10:
			e.When = e.When[:7]
		}
		switch i % 4 {
		case 0:
			e.Kind = "claim"
		case 1:
			e.Kind, e.Answers = "denial", []string{fmt.Sprintf("%s-%03d:denies", slug, i-1)}
		case 2:
			e.Answers = []string{fmt.Sprintf("%s-%03d:cites", slug, i-2)}
		}
		if i%2 == 0 {
			e.Actors = append(e.Actors, "alice")
		}
		if i%3 == 0 {
			e.Actors = append(e.Actors, "bob", "bob:target")
		}
		if len(e.Actors) == 0 {
			e.Actors = []string{"carol"}
		}
		events = append(events, e)
	}
	return sqlitetest.StoryDataset(t, slug, events)
}

// overviewFromEvents is the overview of f counted from the events, as
// views the figures cannot answer are: what the figures must give.
func overviewFromEvents(t *testing.T, db *sqlite.DB, f timeline.Filter) *timeline.Overview {
	t.Helper()
	defer sqlite.CountOverviewFromEvents(t)()
	o, err := db.FindOverview(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestOverviewFigures: the figures kept at import give the counts the
// events give, in the archive and a story, with and without actors and
// whole-day ranges, in periods from days to centuries and before 1970,
// and stay so when a story is imported again with events moved, changed
// and withdrawn.
func TestOverviewFigures(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, overviewStory(t, "recent", "2023-05-03", 120))
	sqlitetest.MustImport(t, db, overviewStory(t, "old", "1969-12-20", 60))
	day := func(s string) time.Time { return sqlitetest.When(t, s, "UTC").Start }
	views := []timeline.Filter{
		{}, {Story: "recent"}, {Story: "old"},
		{Actors: []string{"alice"}}, {Actors: []string{"alice", "bob"}}, {Story: "recent", Actors: []string{"bob", "carol"}},
		{Story: "recent", From: day("2023-05-10"), To: day("2023-05-20")},
		{Story: "old", From: day("1969-12-25")},
		{To: day("2023-05-10")},
		// The claims pages: the claims column alone.
		{Kinds: timeline.ClaimKinds}, {Story: "recent", Actors: []string{"alice"}, Kinds: timeline.ClaimKinds},
	}
	check := func(t *testing.T) {
		t.Helper()
		for _, f := range views {
			got, err := db.FindOverview(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !sqlite.OverviewFromFigures(ctx, t, db, f) {
				t.Errorf("overview of %+v not from the figures", f)
			}
			want := overviewFromEvents(t, db, f)
			if len(want.Buckets) < 2 {
				t.Fatalf("overview of %+v has %d periods: the test counts nothing", f, len(want.Buckets))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("overview of %+v (%ss):\n got %v %v\nwant %v %v", f, got.Period, got.Lanes, got.Spread, want.Lanes, want.Spread)
			}
		}
	}
	t.Run("Imported", check)
	again := overviewStory(t, "recent", "2023-05-03", 100) // the last 20 withdrawn
	again.Events[5].When = sqlitetest.When(t, "2023-06-30T10:00", "UTC")
	again.Events[8].Kind = "denial"
	again.Events[9].Answers = nil // no longer contests
	sqlitetest.MustImport(t, db, again)
	t.Run("ImportedAgain", check)

	// Views the figures cannot answer are counted from the events.
	for _, f := range []timeline.Filter{{Query: "title"}, {Actors: []string{"bob"}, Role: timeline.RoleTarget},
		{Kinds: []timeline.EventKind{"claim"}}, {Kinds: []timeline.EventKind{"claim", "accusation", "denial"}}, {Contested: true}, {From: day("2023-05-03").Add(time.Hour)}} {
		if sqlite.OverviewFromFigures(ctx, t, db, f) {
			t.Errorf("overview of %+v from the figures", f)
		}
	}
}

// TestOverviewSpread: a bar counts only the events known to fall in its
// period; the rest are spread over the period they are known to fall in,
// the ends that hold only them are dropped, and a view of only such events
// is drawn in periods of theirs. Counted from the figures and from the
// events alike.
func TestOverviewSpread(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.StoryDataset(t, "days", []sqlitetest.Event{
		{Slug: "first", Kind: "claim", When: "2023-05-03 early-hours", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
		{Slug: "second", Kind: "denial", When: "2023-05-04", Zone: "Europe/Kyiv", Actors: []string{"kyiv"}, Answers: []string{"first:denies"}},
		{Slug: "in-may", Kind: "analysis", When: "2023-05", Zone: "UTC", Actors: []string{"kyiv"}, Answers: []string{"first:doubts"}},
		{Slug: "also-in-may", Kind: "statement", When: "2023-05", Zone: "UTC", Actors: []string{"kremlin"}},
	}))
	sqlitetest.MustImport(t, db, sqlitetest.StoryDataset(t, "months", []sqlitetest.Event{
		{Slug: "spring", Kind: "statement", When: "2023-04", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "may", Kind: "claim", When: "2023-05", Zone: "UTC", Actors: []string{"kremlin"}},
	}))
	sqlitetest.MustImport(t, db, sqlitetest.StoryDataset(t, "hours", []sqlitetest.Event{
		{Slug: "at-two", Kind: "incident", When: "2023-05-03T02:27", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "at-six", Kind: "statement", When: "2023-05-03T06:05", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "that-morning", Kind: "statement", When: "2023-05-03 morning", Zone: "UTC", Actors: []string{"kremlin"}},
	}))
	utc := func(s string) time.Time { return sqlitetest.When(t, s, "UTC").Start }
	may := timeline.Span{Start: utc("2023-05"), End: utc("2023-06")}
	tests := []struct {
		name    string
		f       timeline.Filter
		period  timeline.Period
		buckets []time.Time
		tallies []timeline.Tally // of the one lane
		spread  []timeline.OverviewSpread
	}{
		// The May events sort mid-May: the days after the 4th, which only
		// they reach, are dropped, and they are in no day's bar.
		{"Days", timeline.Filter{Story: "days"}, timeline.PeriodDay, []time.Time{utc("2023-05-03"), utc("2023-05-04")},
			[]timeline.Tally{{timeline.ClassClaim: 1}, {timeline.ClassContesting: 1}},
			[]timeline.OverviewSpread{{Period: timeline.PeriodMonth, Span: may, Tallies: []timeline.Tally{{timeline.ClassContesting: 1, timeline.ClassOther: 1}}}}},
		{"DaysOfAnActor", timeline.Filter{Story: "days", Actors: []string{"kyiv"}}, timeline.PeriodDay, []time.Time{utc("2023-05-04")},
			[]timeline.Tally{{timeline.ClassContesting: 1}},
			[]timeline.OverviewSpread{{Period: timeline.PeriodMonth, Span: may, Tallies: []timeline.Tally{{timeline.ClassContesting: 1}}}}},
		// A range is drawn whole, even where only spread events reach;
		// events known only to the month are in a range that holds it,
		// not in one of some of its days.
		{"Range", timeline.Filter{Story: "days", From: utc("2023-05-01"), To: utc("2023-06-01")}, timeline.PeriodDay, nil, nil,
			[]timeline.OverviewSpread{{Period: timeline.PeriodMonth, Span: may, Tallies: []timeline.Tally{{timeline.ClassContesting: 1, timeline.ClassOther: 1}}}}},
		{"Days", timeline.Filter{Story: "days", From: utc("2023-05-03"), To: utc("2023-05-20")}, timeline.PeriodDay, nil,
			[]timeline.Tally{{timeline.ClassClaim: 1}, {timeline.ClassContesting: 1}}, nil},
		// Two months sort 30 days apart, which days would draw, but no day
		// holds either: they are drawn in months.
		{"Months", timeline.Filter{Story: "months"}, timeline.PeriodMonth, []time.Time{utc("2023-04"), utc("2023-05")},
			[]timeline.Tally{{timeline.ClassOther: 1}, {timeline.ClassClaim: 1}}, nil},
		// A part of a day is in no hour's bar: the hours after six, which
		// only the morning reaches, are dropped.
		{"Hours", timeline.Filter{Story: "hours"}, timeline.PeriodHour, []time.Time{utc("2023-05-03T02"), utc("2023-05-03T03"), utc("2023-05-03T04"), utc("2023-05-03T05"), utc("2023-05-03T06")},
			[]timeline.Tally{0: {timeline.ClassOther: 1}, 4: {timeline.ClassOther: 1}},
			[]timeline.OverviewSpread{{Period: timeline.PeriodDay, Span: timeline.Span{Start: utc("2023-05-03"), End: utc("2023-05-04")}, Tallies: []timeline.Tally{{timeline.ClassOther: 1}}}}},
	}
	for _, tt := range tests {
		for _, counted := range []string{"figures", "events"} {
			t.Run(tt.name+"/"+counted, func(t *testing.T) {
				if counted == "events" {
					defer sqlite.CountOverviewFromEvents(t)()
				}
				o, err := db.FindOverview(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if o.Period != tt.period {
					t.Errorf("period %s, want %s", o.Period, tt.period)
				}
				if tt.buckets != nil {
					var starts []time.Time
					for _, b := range o.Buckets {
						starts = append(starts, b.Start)
					}
					if !reflect.DeepEqual(starts, tt.buckets) {
						t.Errorf("periods from %v, want %v", starts, tt.buckets)
					}
				}
				if len(o.Lanes) != 1 || len(o.Lanes[0].Tallies) < len(tt.tallies) {
					t.Fatalf("lanes %v, want one of at least %d periods", o.Lanes, len(tt.tallies))
				}
				for i, want := range tt.tallies {
					if got := o.Lanes[0].Tallies[i]; got != want {
						t.Errorf("bar %d (%s): %v, want %v", i, o.Buckets[i].Start, got, want)
					}
				}
				if !reflect.DeepEqual(o.Spread, tt.spread) {
					t.Errorf("spread %+v, want %+v", o.Spread, tt.spread)
				}
			})
		}
	}
}

// TestDateRangesListWhatTheyCount: the events listed in a date range
// are those its overview counts, and each bar and each spread period,
// followed as its link follows it, lists what it counts: an event known
// only to the month is listed in the month, never in a day of it. The
// events a range leaves out though they may fall in it, known only to a
// period it cuts, are counted apart, and that period's list has them.
func TestDateRangesListWhatTheyCount(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.StoryDataset(t, "mixed", []sqlitetest.Event{
		{Slug: "early", Kind: "claim", When: "2023-05-03 early-hours", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
		{Slug: "that-day", Kind: "denial", When: "2023-05-03", Zone: "Europe/Kyiv", Actors: []string{"kyiv"}, Answers: []string{"early:denies"}},
		{Slug: "at-ten", Kind: "statement", When: "2023-05-03T10:00", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
		{Slug: "next-hour", Kind: "statement", When: "2023-05-16T13", Zone: "UTC", Actors: []string{"kyiv"}},
		{Slug: "in-may", Kind: "analysis", When: "2023-05", Zone: "Europe/Moscow", Actors: []string{"kyiv"}, Answers: []string{"early:doubts"}},
		{Slug: "also-in-may", Kind: "statement", When: "2023-05", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "far-in-may", Kind: "statement", When: "2023-05", Zone: "Pacific/Kiritimati", Actors: []string{"kyiv"}},
		{Slug: "in-june", Kind: "statement", When: "2023-06-02", Zone: "UTC", Actors: []string{"kremlin"}},
		{Slug: "that-year", Kind: "claim", When: "2023", Zone: "UTC", Actors: []string{"kremlin"}},
	}))
	utc := func(s string) time.Time { return sqlitetest.When(t, s, "UTC").Start }
	listed := func(t *testing.T, f timeline.Filter) []timeline.Event {
		t.Helper()
		f.Limit = timeline.MaxPageSize
		page, err := db.FindEvents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return page.Events
	}
	slugs := func(events []timeline.Event) []string {
		var out []string
		for _, e := range events {
			out = append(out, e.Slug)
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	tests := []struct {
		name      string
		from, to  time.Time
		want, cut []string
	}{
		{"a day", utc("2023-05-03"), utc("2023-05-04"), []string{"early", "that-day", "at-ten"}, []string{"in-may", "also-in-may", "far-in-may", "that-year"}},
		{"the middle of May", utc("2023-05-16"), utc("2023-05-17"), []string{"next-hour"}, []string{"in-may", "also-in-may", "far-in-may", "that-year"}},
		{"some days of May", utc("2023-05-01"), utc("2023-05-21"), []string{"early", "that-day", "at-ten", "next-hour"}, []string{"in-may", "also-in-may", "far-in-may", "that-year"}},
		{"May", utc("2023-05-01"), utc("2023-06-01"), []string{"early", "that-day", "at-ten", "next-hour", "in-may", "also-in-may", "far-in-may"}, []string{"that-year"}},
		{"from the middle of May", utc("2023-05-16"), time.Time{}, []string{"next-hour", "in-june"}, []string{"in-may", "also-in-may", "far-in-may", "that-year"}},
		{"until June", time.Time{}, utc("2023-06-01"), []string{"early", "that-day", "at-ten", "next-hour", "in-may", "also-in-may", "far-in-may"}, []string{"that-year"}},
		{"an hour", utc("2023-05-03T07"), utc("2023-05-03T08"), []string{"at-ten"}, []string{"early", "that-day", "in-may", "also-in-may", "far-in-may", "that-year"}},
		{"the year", utc("2023-01-01"), utc("2024-01-01"), []string{"early", "that-day", "at-ten", "next-hour", "in-may", "also-in-may", "far-in-may", "in-june", "that-year"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := timeline.Filter{Story: "mixed", From: tt.from, To: tt.to}
			if got := slugs(listed(t, f)); !slices.Equal(got, sorted(tt.want)) {
				t.Errorf("listed %v, want %v", got, sorted(tt.want))
			}
			for _, counted := range []string{"figures", "events"} {
				var restore func()
				if counted == "events" {
					restore = sqlite.CountOverviewFromEvents(t)
				}
				o, err := db.FindOverview(ctx, f)
				if restore != nil {
					restore()
				}
				if err != nil {
					t.Fatal(err)
				}
				total := 0
				follow := func(what string, s timeline.Span, n int) {
					inner := f
					inner.From, inner.To = s.Start, s.End
					if got := len(listed(t, inner)); got != n {
						t.Errorf("%s: %s %v–%v counts %d, its link lists %d", counted, what, s.Start, s.End, n, got)
					}
				}
				within := func(in, out timeline.Span) bool { return !in.Start.Before(out.Start) && !in.End.After(out.End) }
				for i, b := range o.Buckets {
					total += o.Lanes[0].Tallies[i].Total()
					follow("bar", b, o.Lanes[0].Tallies[i].Total())
				}
				// A spread period's link lists its month (say) whole: the
				// events spread over it and those the bars and shorter
				// spreads in it count.
				for _, s := range o.Spread {
					total += s.Tallies[0].Total()
					n := s.Tallies[0].Total()
					for i, b := range o.Buckets {
						if within(b, s.Span) {
							n += o.Lanes[0].Tallies[i].Total()
						}
					}
					for _, inner := range o.Spread {
						if inner.Span != s.Span && within(inner.Span, s.Span) {
							n += inner.Tallies[0].Total()
						}
					}
					follow("spread", s.Span, n)
				}
				if total != len(tt.want) {
					t.Errorf("%s: the overview counts %d events, the list has %d", counted, total, len(tt.want))
				}
				var cut []string
				for _, c := range o.Cut {
					inner := f
					inner.From, inner.To = c.Span.Start, c.Span.End
					var known []timeline.Event
					for _, e := range listed(t, inner) {
						if e.When.Precision.Period() == c.Period {
							known = append(known, e)
						}
					}
					if n := c.Tallies[0].Total(); n != len(known) {
						t.Errorf("%s: cut period %v–%v counts %d, its list has %d known only to it", counted, c.Span.Start, c.Span.End, n, len(known))
					}
					cut = append(cut, slugs(known)...)
				}
				if slices.Sort(cut); !slices.Equal(cut, sorted(tt.cut)) {
					t.Errorf("%s: the periods the dates cut count %v, want %v", counted, cut, sorted(tt.cut))
				}
			}
		})
	}
}

// TestWhenPrecisionColumn: the precision the store reads from an event's
// written time (events.when_precision) is the domain's, for every form.
func TestWhenPrecisionColumn(t *testing.T) {
	texts := []string{"2023", "2023-05", "2023-05-03", "2023-05-03 early-hours", "2023-05-03 late", "2023-05-03T14", "2023-05-03T14:10"}
	var events []sqlitetest.Event
	for i, text := range texts {
		events = append(events, sqlitetest.Event{Slug: fmt.Sprintf("e%d", i), Kind: "statement", When: text, Zone: "Europe/Moscow", Actors: []string{"kremlin"}})
	}
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, events))
	for i, text := range texts {
		var got string
		if err := sqlite.WriteConn(db).QueryRow(`SELECT when_precision FROM events WHERE slug = ?`, fmt.Sprintf("e%d", i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := sqlitetest.When(t, text, "Europe/Moscow").Precision; got != string(want) {
			t.Errorf("%q: the store reads precision %q, the domain %q", text, got, want)
		}
	}
}

// TestOverviewOfSearch: a search's overview counts its matches, lane by
// lane, as the overview of the same events without the search counts
// them, and a search of more matches than it counts draws nothing.
func TestOverviewOfSearch(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, overviewStory(t, "recent", "2023-05-03", 120))
	sqlitetest.MustImport(t, db, overviewStory(t, "old", "1969-12-20", 60))
	sqlitetest.MustImport(t, db, overviewStory(t, "many", "2001-01-01", timeline.MaxSearchOverview+1))
	day := func(s string) time.Time { return sqlitetest.When(t, s, "UTC").Start }
	// Every event of story "recent" has the word "recent" in its title.
	for _, f := range []timeline.Filter{
		{Story: "recent"}, {Story: "recent", Actors: []string{"alice", "bob"}}, {Story: "recent", Actors: []string{"bob"}, Role: timeline.RoleTarget},
		{Story: "recent", Kinds: timeline.ClaimKinds}, {Story: "recent", From: day("2023-05-10"), To: day("2023-05-20")},
		{Story: "recent", From: day("2023-05-01"), To: day("2023-06-01")}, {Story: "many", Actors: []string{"carol"}},
	} {
		searched := f
		searched.Query = f.Story
		got, err := db.FindOverview(ctx, searched)
		if err != nil {
			t.Fatal(err)
		}
		want := overviewFromEvents(t, db, f)
		if len(want.Buckets) < 2 {
			t.Fatalf("overview of %+v has %d periods: the test counts nothing", f, len(want.Buckets))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("overview of %+v (%ss):\n got %v %v\nwant %v %v", searched, got.Period, got.Lanes, got.Spread, want.Lanes, want.Spread)
		}
		// A lane counts each of its actor's events once, in whatever roles.
		for _, lane := range got.Lanes {
			if lane.Actor == "" {
				continue
			}
			n := 0
			for _, tally := range lane.Tallies {
				n += tally.Total()
			}
			for _, s := range got.Spread {
				for i, tally := range s.Tallies {
					if got.Lanes[i].Actor == lane.Actor {
						n += tally.Total()
					}
				}
			}
			one := f
			one.Actors, one.Limit = []string{lane.Actor}, timeline.MaxPageSize
			page, err := db.FindEvents(ctx, one)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Events) == timeline.MaxPageSize {
				continue // more than a page to count
			}
			if n != len(page.Events) {
				t.Errorf("lane of %s in %+v counts %d events, the list of %s has %d", lane.Actor, f, n, lane.Actor, len(page.Events))
			}
		}
	}
	// A search of a few events across stories.
	few := timeline.Filter{Query: "007 OR 010"}
	o, err := db.FindOverview(ctx, few)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, tally := range o.Lanes[0].Tallies {
		total += tally.Total()
	}
	for _, s := range o.Spread {
		total += s.Tallies[0].Total()
	}
	few.Limit = timeline.MaxPageSize
	page, err := db.FindEvents(ctx, few)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(page.Events) || total == 0 {
		t.Errorf("the overview of %q counts %d events, the list has %d", few.Query, total, len(page.Events))
	}
	o, err = db.FindOverview(ctx, timeline.Filter{Query: "many"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.TooManyMatches || len(o.Buckets) != 0 {
		t.Errorf("overview of a search of %d matches: too many %v, %d periods; want too many and none", timeline.MaxSearchOverview+1, o.TooManyMatches, len(o.Buckets))
	}
}

// TestMigrationRecountsLanes: migration 0017 counts the figures again, an
// event once in the lane of an actor it names in two roles, where the
// figures of earlier versions counted it once a role.
func TestMigrationRecountsLanes(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateTo(ctx, 16); err != nil {
		t.Fatal(err)
	}
	sqlitetest.MustImport(t, db, overviewStory(t, "recent", "2023-05-03", 120))
	// As version 16 counted them: bob once for each of his roles.
	if _, err := sqlite.WriteConn(db).Exec(`UPDATE overview_days SET others = others + 1 WHERE actor_id = (SELECT id FROM actors WHERE slug = 'bob')`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []timeline.Filter{{Story: "recent", Actors: []string{"bob"}}, {Actors: []string{"alice", "bob"}}} {
		got, err := db.FindOverview(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := overviewFromEvents(t, db, f)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("overview of %+v after the migration:\n got %v %v\nwant %v %v", f, got.Lanes, got.Spread, want.Lanes, want.Spread)
		}
	}
}
