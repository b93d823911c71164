package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestQueryPlans checks that every shape of list query is driven by an
// index: no full scan of events or event_actors, and no sort of all the
// matching rows, which is what would make a page slow with a million events.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 300))
	// Statistics as a large archive would have them, so the planner
	// chooses as it would there.
	if _, err := sqlite.WriteConn(db).Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	day := sqlitetest.When(t, "2020-01-01", "UTC").Start
	shapes := []struct {
		name string
		f    timeline.Filter
	}{
		{"All", timeline.Filter{}},
		{"Desc", timeline.Filter{Desc: true}},
		{"OneActor", timeline.Filter{Actors: []string{"alice"}}},
		{"TwoActors", timeline.Filter{Actors: []string{"alice", "bob"}}},
		{"ActorRole", timeline.Filter{Actors: []string{"alice"}, Role: timeline.RoleTarget}},
		{"ActorKind", timeline.Filter{Actors: []string{"alice"}, Kinds: []timeline.EventKind{"denial"}}},
		{"ActorKindRole", timeline.Filter{Actors: []string{"alice", "bob"}, Kinds: []timeline.EventKind{"denial", "claim"}, Role: timeline.RoleSpeaker}},
		{"OneKind", timeline.Filter{Kinds: []timeline.EventKind{"denial"}}},
		{"TwoKinds", timeline.Filter{Kinds: []timeline.EventKind{"denial", "statement"}}},
		{"Claims", timeline.Filter{Kinds: timeline.ClaimKinds}},
		{"Range", timeline.Filter{From: day, To: day.AddDate(0, 0, 1)}},
		{"ActorRange", timeline.Filter{Actors: []string{"bob"}, From: day, To: day.AddDate(0, 0, 1)}},
		{"Contested", timeline.Filter{Contested: true}},
		{"ActorContested", timeline.Filter{Actors: []string{"bob"}, Contested: true}},
		{"Search", timeline.Filter{Query: "title"}},
		{"SearchPhrasePrefix", timeline.Filter{Query: `"title of" e00*`}},
		{"SearchActors", timeline.Filter{Query: "title", Actors: []string{"alice", "bob"}, Role: timeline.RoleSpeaker}},
		{"SearchKinds", timeline.Filter{Query: "title", Kinds: []timeline.EventKind{"denial", "statement"}}},
		{"SearchRangeContested", timeline.Filter{Query: "title", From: day, To: day.AddDate(0, 0, 1), Contested: true}},
		{"SearchPrefixActor", timeline.Filter{Query: "tit*", Actors: []string{"alice"}}},
		// By relevance, the search index always drives: FTS5 ranks every match.
		{"SearchRelevance", timeline.Filter{Query: "title", Relevance: true}},
		{"SearchRelevanceFilters", timeline.Filter{Query: `"title of" e00*`, Relevance: true, Actors: []string{"alice", "bob"}, Kinds: []timeline.EventKind{"denial"}, From: day, Contested: true}},
	}
	// Every shape again within one story, over the indexes by story.
	for _, shape := range shapes[:len(shapes):len(shapes)] {
		f := shape.f
		f.Story = "test-story"
		shapes = append(shapes, struct {
			name string
			f    timeline.Filter
		}{"Story" + shape.name, f})
	}
	for _, shape := range shapes {
		// The overview's counts: a range scan of the same indexes for
		// each period, never a scan of every event.
		t.Run("Overview"+shape.name, func(t *testing.T) {
			query, plan, err := sqlite.OverviewQueryPlan(ctx, db, shape.f)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s\n  %s", query, strings.Join(plan, "\n  "))
			searched := false
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN e") || strings.HasPrefix(step, "SCAN a ") || strings.HasPrefix(step, "SCAN d") {
					t.Errorf("step %q in plan\n  %s\nof %s", step, strings.Join(plan, "\n  "), query)
				}
				// The events' indexes by time, or the figures' key by day.
				searched = searched || strings.Contains(step, "sort_unix>?") && strings.Contains(step, "INDEX") ||
					strings.Contains(step, "USING PRIMARY KEY (story_id=? AND actor_id=? AND day_unix>? AND day_unix<?)")
			}
			if !searched {
				t.Errorf("no index range over sort_unix in plan\n  %s", strings.Join(plan, "\n  "))
			}
		})
	}
	for _, shape := range shapes {
		for _, plan := range []struct {
			name string
			plan sqlite.SearchPlan
		}{{"", sqlite.SearchDrives}, {"Listed", sqlite.SearchListed}, {"Dense", sqlite.SearchLooksUp}} {
			name := shape.name + plan.name
			if shape.f.Query == "" && plan.name != "" {
				continue // without a search, there is one plan
			}
			driven := plan.plan == sqlite.SearchDrives
			t.Run(name, func(t *testing.T) {
				sqlite.SetSearchPlan(t, plan.plan)
				plans, err := sqlite.QueryPlans(ctx, db, shape.f)
				if err != nil {
					t.Fatal(err)
				}
				for query, plan := range plans {
					t.Logf("%s\n  %s", query, strings.Join(plan, "\n  "))
					all := strings.Join(plan, "|")
					// A search the search index drives reads its
					// matches and sorts them; the others keep the time
					// order of the indexes.
					fromSearch := strings.HasPrefix(plan[0], "SCAN event_search VIRTUAL TABLE INDEX")
					wantFromSearch := driven || shape.f.Relevance
					if shape.f.Query != "" && query != sqlite.ResolveQuery && query != sqlite.ResolveRankedQuery && fromSearch != wantFromSearch {
						t.Errorf("plan driven by the search index: %v, want %v\n  %s\nof %s", fromSearch, wantFromSearch, strings.Join(plan, "\n  "), query)
					}
					for _, step := range plan {
						bad := strings.HasPrefix(step, "SCAN e ") && !strings.Contains(step, "INDEX") ||
							step == "SCAN e" || strings.HasPrefix(step, "SCAN ea") ||
							strings.Contains(step, "USE TEMP B-TREE FOR ORDER BY") && !strings.Contains(all, "COMPOUND") && !strings.Contains(all, "UNION") && !fromSearch
						if bad {
							t.Errorf("step %q in plan\n  %s\nof %s", step, strings.Join(plan, "\n  "), query)
						}
					}
				}
			})
		}
	}
}

// TestChangesQueryPlans: a feed reads the index of changes, the archive's
// or its story's, newest first, and stops at its page: never a sort of
// every matching event. A filter is tested on the rows the index yields.
func TestChangesQueryPlans(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 300))
	if _, err := sqlite.WriteConn(db).Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		f     timeline.Filter
		index string
	}{
		{"All", timeline.Filter{}, "events_changed"},
		{"Story", timeline.Filter{Story: "test-story"}, "events_story_changed"},
		{"StoryActor", timeline.Filter{Story: "test-story", Actors: []string{"alice"}}, "events_story_changed"},
		{"Kind", timeline.Filter{Kinds: []timeline.EventKind{"denial"}}, "events_changed"},
		{"Contested", timeline.Filter{Contested: true}, "events_changed"},
		{"StoryRange", timeline.Filter{Story: "test-story", From: sqlitetest.When(t, "2020-01-01", "UTC").Start, To: sqlitetest.When(t, "2020-01-02", "UTC").Start}, "events_story_changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plans, err := sqlite.ChangesPlans(ctx, db, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			for query, plan := range plans {
				all := strings.Join(plan, "\n  ")
				if !strings.Contains(all, "INDEX "+tc.index) || strings.Contains(all, "TEMP B-TREE") {
					t.Errorf("plan\n  %s\nof %s: want %s in order", all, query, tc.index)
				}
			}
		})
	}
}

// TestStoryQueryPlans: the front page's list of stories walks the index of
// stories by update, and a story's busiest actors the index of its actors
// by count, each stopping at the limit, whatever the number of stories.
func TestStoryQueryPlans(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.StoryDataset(t, "a-story", []sqlitetest.Event{{Slug: "a-claim", Kind: "claim", When: "2023-05-03", Zone: "UTC", Actors: []string{"peskov"}}}))
	sqlitetest.MustImport(t, db, sqlitetest.ManyEvents(t, 300))
	if _, err := sqlite.WriteConn(db).Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	plans, err := sqlite.StoryQueryPlans(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for query, plan := range plans {
		t.Logf("%s\n  %s", query, strings.Join(plan, "\n  "))
		for _, step := range plan {
			// A SCAN of an index in its order stops at the limit; a
			// table's SCAN or a sort reads every row.
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "USING INDEX") && !strings.Contains(step, "USING COVERING INDEX") || strings.Contains(step, "USE TEMP B-TREE") {
				t.Errorf("step %q in plan\n  %s\nof %s", step, strings.Join(plan, "\n  "), query)
			}
		}
		if !strings.Contains(strings.Join(plan, "|"), " INDEX stor") {
			t.Errorf("no index of stories or story_actors in plan\n  %s\nof %s", strings.Join(plan, "\n  "), query)
		}
	}
}
