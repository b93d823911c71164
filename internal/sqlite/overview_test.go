package sqlite_test

import (
	"context"
	"testing"
	"time"

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
