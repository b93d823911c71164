package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestDaysAcrossZones orders events by the instant they happened and heads
// each with its own local day, so a day can come round again: late on 3 May
// in New York is after the early hours of 4 May in Moscow. Each heading is
// still a distinct element with its own id.
func TestDaysAcrossZones(t *testing.T) {
	srv, _ := newServer(t, dataset(t, []sqlitetest.Event{
		{Slug: "moscow-evening", Kind: "statement", When: "2023-05-03 evening", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
		{Slug: "moscow-early", Kind: "statement", When: "2023-05-04 early-hours", Zone: "Europe/Moscow", Actors: []string{"kremlin"}},
		{Slug: "new-york-late", Kind: "statement", When: "2023-05-03 late", Zone: "America/New_York", Actors: []string{"us"}},
		{Slug: "kyiv-noon", Kind: "statement", When: "2023-05-04T12:00", Zone: "Europe/Kyiv", Actors: []string{"ukraine"}},
	}))
	doc := page(t, srv, "/timeline", http.StatusOK)
	if got, want := eventIDs(doc), []string{"moscow-evening", "moscow-early", "new-york-late", "kyiv-noon"}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	var days []string
	doc.Find(`section.day`).Each(func(_ int, s *goquery.Selection) {
		var events []string
		s.Find(`li.event`).Each(func(_ int, e *goquery.Selection) { events = append(events, e.AttrOr("id", "")) })
		days = append(days, s.AttrOr("data-day", "")+" "+s.Find("h2").Text()+": "+strings.Join(events, ","))
	})
	want := []string{
		"2023-05-03 Wednesday 3 May 2023: moscow-evening",
		"2023-05-04 Thursday 4 May 2023: moscow-early",
		"2023-05-03 Wednesday 3 May 2023: new-york-late",
		"2023-05-04 Thursday 4 May 2023: kyiv-noon",
	}
	if !slices.Equal(days, want) {
		t.Errorf("days:\n%s\nwant:\n%s", strings.Join(days, "\n"), strings.Join(want, "\n"))
	}
}

// TestPageEdges pages through timelines of awkward sizes, both ways, in
// both orders: every event exactly once, no page over the page size, no
// link to an empty page.
func TestPageEdges(t *testing.T) {
	size := server.TimelinePageSize
	for _, n := range []int{2, size - 1, size, size + 1, 2 * size, 2*size + 1} {
		srv, _ := newServer(t, sqlitetest.ManyEvents(t, n))
		for _, order := range []string{"", "desc"} {
			t.Run(fmt.Sprintf("%d%s", n, order), func(t *testing.T) {
				start, forward, backward := "/timeline?actor=alice&actor=bob", "later", "earlier"
				if order == "desc" {
					start, forward, backward = start+"&order=desc", "earlier", "later"
				}
				var pages [][]string
				var seen, paths []string
				for path := start; path != ""; {
					paths = append(paths, path)
					doc := page(t, srv, path, http.StatusOK)
					ids := eventIDs(doc)
					if len(ids) == 0 || len(ids) > size {
						t.Fatalf("%s: %d events", path, len(ids))
					}
					if len(pages) == 0 && doc.Find(`[data-testid="`+backward+`"]`).Length() != 0 {
						t.Errorf("the first page links %s", backward)
					}
					seen = append(seen, ids...)
					pages = append(pages, ids)
					path = doc.Find(`[data-testid="`+forward+`"]`).First().AttrOr("href", "")
					if path != "" {
						q, _ := url.ParseQuery(strings.TrimPrefix(path, "/timeline?"))
						if !slices.Equal(q["actor"], []string{"alice", "bob"}) || q.Get("order") != order {
							t.Fatalf("%s link %q lost the filter", forward, path)
						}
					}
				}
				want := make([]string, n)
				for i := range n {
					want[i] = fmt.Sprintf("e%04d", i)
				}
				if order == "desc" {
					slices.Reverse(want)
				}
				if !slices.Equal(seen, want) {
					t.Fatalf("paging %s saw %d events, want %d in order", forward, len(seen), n)
				}
				if wantPages := (n + size - 1) / size; len(pages) != wantPages {
					t.Errorf("%d pages, want %d", len(pages), wantPages)
				}
				// And back from the last page: the same pages, in reverse.
				doc := page(t, srv, paths[len(paths)-1], http.StatusOK)
				for i := len(pages) - 2; i >= 0; i-- {
					back := doc.Find(`[data-testid="`+backward+`"]`).First().AttrOr("href", "")
					if back == "" {
						t.Fatalf("no %s link back to page %d", backward, i+1)
					}
					doc = page(t, srv, back, http.StatusOK)
					if got := eventIDs(doc); !slices.Equal(got, pages[i]) {
						t.Fatalf("back on page %d: %v…, want %v…", i+1, got[:1], pages[i][:1])
					}
				}
				if doc.Find(`[data-testid="`+backward+`"]`).Length() != 0 {
					t.Errorf("back on the first page, a %s link remains", backward)
				}
			})
		}
	}
}

// TestActorInTwoRoles lists an event under each role its actor plays in it,
// without giving two elements one id.
func TestActorInTwoRoles(t *testing.T) {
	srv, _ := newServer(t, dataset(t, []sqlitetest.Event{
		{Slug: "kremlin-on-kremlin", Kind: "statement", When: "2023-05-03", Zone: "Europe/Moscow", Actors: []string{"kremlin", "kremlin:mentioned"}},
	}))
	doc := page(t, srv, "/actors/kremlin", http.StatusOK)
	for _, role := range []string{"speaker", "mentioned"} {
		if got := eventSlug(doc.Find(`[data-role="` + role + `"] li.event`).First()); got != "kremlin-on-kremlin" {
			t.Errorf("under %s: %q", role, got)
		}
	}
}

// TestAround opens the page that holds an event, in either order and
// within a filter, and says so when the filter leaves the event out.
func TestAround(t *testing.T) {
	srv, _ := newServer(t, sqlitetest.ManyEvents(t, 230))
	tests := []struct {
		query       string
		holds       bool // the page holds the event
		beforeIt    int  // at least this many events come before it on the page
		first, last string
	}{
		{"around=e0150", true, 1, "e0000", "e0229"},
		{"around=e0000", true, 0, "e0000", "e0229"},
		{"around=e0229", true, 1, "e0000", "e0229"},
		{"around=e0050", true, 1, "e0000", "e0229"},
		{"around=e0150&order=desc", true, 1, "e0000", "e0229"},
		{"around=e0150&actor=alice", true, 1, "e0000", "e0228"},
		{"around=e0151&actor=alice", false, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc := page(t, srv, "/timeline?"+tt.query, http.StatusOK)
			q, _ := url.ParseQuery(tt.query)
			slug := q.Get("around")
			ids := eventIDs(doc)
			i := slices.Index(ids, slug)
			outside := doc.Find(`[data-testid="outside"]`)
			if !tt.holds {
				if i >= 0 || outside.Length() != 1 || outside.Find("a").AttrOr("href", "") != "/timeline?around="+slug+"#"+slug {
					t.Errorf("event at %d, notice %q", i, outside.Text())
				}
				return
			}
			if i < tt.beforeIt || len(ids) > timeline.MaxPageSize || outside.Length() != 0 {
				t.Fatalf("event at %d of %d (notice: %d)", i, len(ids), outside.Length())
			}
			if q.Get("order") == "desc" && ids[0] < ids[len(ids)-1] {
				t.Errorf("desc page in ascending order: %s…%s", ids[0], ids[len(ids)-1])
			}
			// The pager keeps the filter and drops around.
			doc.Find(`[data-testid="earlier"], [data-testid="later"]`).Each(func(_ int, s *goquery.Selection) {
				u, _ := url.Parse(s.AttrOr("href", ""))
				if u.Query().Has("around") || u.Query().Get("actor") != q.Get("actor") || u.Query().Get("order") != q.Get("order") {
					t.Errorf("pager link %q", s.AttrOr("href", ""))
				}
			})
			// Earlier and later links exactly where there are events beyond the page.
			lo, hi := slices.Min(ids), slices.Max(ids)
			if got, want := doc.Find(`[data-testid="earlier"]`).Length() > 0, lo != tt.first; got != want {
				t.Errorf("page %s…%s: earlier link %v, want %v", lo, hi, got, want)
			}
			if got, want := doc.Find(`[data-testid="later"]`).Length() > 0, hi != tt.last; got != want {
				t.Errorf("page %s…%s: later link %v, want %v", lo, hi, got, want)
			}
		})
	}
}
