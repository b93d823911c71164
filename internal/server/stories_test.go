package server_test

import (
	"net/http"
	"slices"
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

	// An event item says which story it is in wherever the list is not its
	// story's own, and its actors lead to the timeline the list is of.
	t.Run("ItemsNameTheirStory", func(t *testing.T) {
		item := func(doc *goquery.Document, id string) *goquery.Selection {
			t.Helper()
			s := doc.Find(`li.event[id$="` + id + `"]`).First()
			if s.Length() == 0 {
				t.Fatalf("no item %s", id)
			}
			return s
		}
		for _, tt := range []struct {
			path, id, story, actor string // story: the linked story; "" for none
		}{
			{"/actors/peskov", "b-accuses", "/stories/b", "/timeline?actor=peskov"},
			{"/actors/peskov", "a-claim", "/stories/a", "/timeline?actor=peskov"},
			{"/timeline?actor=peskov", "b-accuses", "/stories/b", "/timeline?actor=peskov"},
			{"/stories/a", "a-claim", "", "/stories/a?actor=peskov"},
			{"/stories/a?actor=kirby", "a-denial", "", "/stories/a?actor=kirby"},
			{"/threads/a-claim", "b-accuses", "/stories/b", "/timeline?actor=peskov"},
			{"/threads/a-claim", "a-claim", "", "/stories/a?actor=peskov"},
		} {
			doc := page(t, srv, tt.path, http.StatusOK)
			it := item(doc, tt.id)
			story := it.Find(`[data-testid="item-story"]`)
			if got := story.AttrOr("href", ""); got != tt.story {
				t.Errorf("%s: %s's story link = %q, want %q", tt.path, tt.id, got, tt.story)
			}
			if tt.story != "" && strings.TrimSpace(story.Text()) == "" {
				t.Errorf("%s: %s's story link has no text", tt.path, tt.id)
			}
			slug := strings.TrimPrefix(tt.actor[strings.Index(tt.actor, "actor="):], "actor=")
			var hrefs []string
			it.Find(`ul.actors a`).Each(func(_ int, a *goquery.Selection) { hrefs = append(hrefs, a.AttrOr("href", "")) })
			if !slices.Contains(hrefs, tt.actor) {
				t.Errorf("%s: %s's actor links %v, want %s's to be %s", tt.path, tt.id, hrefs, slug, tt.actor)
			}
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
