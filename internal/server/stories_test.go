package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
)

func TestStoryPages(t *testing.T) {
	a := sqlitetest.StoryDataset(t, "a", []sqlitetest.Event{
		{Slug: "a-claim", Kind: "claim", When: "2023-05-03", Zone: "UTC", Actors: []string{"peskov", "kirby:target"}},
		{Slug: "a-denial", Kind: "denial", When: "2023-05-04", Zone: "UTC", Actors: []string{"kirby"}, Answers: []string{"a-claim:denies"}},
		{Slug: "a-later", Kind: "statement", When: "2023-06", Zone: "UTC", Actors: []string{"peskov"}},
	})
	b := sqlitetest.StoryDataset(t, "b", []sqlitetest.Event{
		{Slug: "b-accuses", Kind: "accusation", When: "2024-01-02", Zone: "UTC", Actors: []string{"peskov", "zelensky:target"}, Answers: []string{"a-claim:disputes"}},
	})
	srv, db := newServer(t, a)
	sqlitetest.MustImport(t, db, b)
	a.Events = a.Events[:2] // a-later is withdrawn
	sqlitetest.MustImport(t, db, a)

	t.Run("FrontPage", func(t *testing.T) {
		doc := page(t, srv, "/", http.StatusOK)
		var order []string
		doc.Find(`[data-testid="story"]`).Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("data-slug", "")) })
		if got := strings.Join(order, " "); got != "a b" { // a changed last
			t.Fatalf("stories = %s, want a b", got)
		}
		first := doc.Find(`[data-testid="story"]`).First()
		if got := first.Find(`[data-testid="story-counts"]`).Text(); got != "2 events, 1 claim" {
			t.Errorf("counts = %q", got)
		}
		if got := first.Find(`[data-testid="story-span"]`).Text(); got != "3 May 2023 – 4 May 2023" {
			t.Errorf("span = %q", got)
		}
		if got := first.Find(`[data-testid="story-actor"]`).First().AttrOr("href", ""); got != "/stories/a?actor=kirby" && got != "/stories/a?actor=peskov" {
			t.Errorf("busiest actor link = %q", got)
		}
	})

	t.Run("StoryTimelineIsItsOwn", func(t *testing.T) {
		if got := strings.Join(eventIDs(page(t, srv, "/stories/a", http.StatusOK)), " "); got != "a-claim a-denial" {
			t.Errorf("story a = %s", got)
		}
		if got := strings.Join(eventIDs(page(t, srv, "/stories/a?kind=denial", http.StatusOK)), " "); got != "a-denial" {
			t.Errorf("story a, denials = %s", got)
		}
		if got := strings.Join(eventIDs(page(t, srv, "/timeline?actor=peskov", http.StatusOK)), " "); got != "a-claim b-accuses" {
			t.Errorf("peskov everywhere = %s", got)
		}
		page(t, srv, "/stories/nope", http.StatusNotFound)
		doc := page(t, srv, "/stories/b/claims", http.StatusOK)
		if doc.Find(`#b-accuses, [id="b-accuses"], [data-slug="b-accuses"]`).Length() == 0 && !strings.Contains(doc.Text(), "Title of b-accuses") {
			t.Errorf("story b's claims do not show b-accuses")
		}
	})

	t.Run("Withdrawn", func(t *testing.T) {
		doc := page(t, srv, "/events/a-later", http.StatusGone)
		if doc.Find(`main a[href="/stories/a"]`).Length() == 0 {
			t.Error("the 410 page does not link the story")
		}
	})

	t.Run("CrossStoryAnswer", func(t *testing.T) {
		doc := page(t, srv, "/events/a-claim", http.StatusOK)
		if got := doc.Find(`[data-testid="answer-story"]`).AttrOr("href", ""); got != "/stories/b" {
			t.Errorf("the answer from story b links %q", got)
		}
		if got := doc.Find(`[data-testid="event-story"]`).AttrOr("href", ""); got != "/stories/a" {
			t.Errorf("the event's story link = %q", got)
		}
	})

	t.Run("OldURLs", func(t *testing.T) {
		for path, want := range map[string]string{
			"/?actor=peskov&kind=claim": "/timeline?actor=peskov&kind=claim",
			"/?order=desc":              "/timeline?order=desc",
			"/?around=a-denial":         "/stories/a?around=a-denial#a-denial",
		} {
			res := get(t, srv, path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("GET %s = %d → %q, want 301 → %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
	})
}
