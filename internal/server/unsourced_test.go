package server_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// TestUnsourcedShown: an event published with no source and naming no one
// says both on every page that shows it, and a sourced one does not.
func TestUnsourcedShown(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Slug = "drones"
	ds.Events[0].Sources, ds.Events[0].Unsourced = nil, true
	ds.Events[0].Actors, ds.Events[0].AccordingTo, ds.Events[0].Unattributed = nil, timeline.Actor{}, true
	db := sqlitetest.MustOpen(t)
	im, err := db.BeginImport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	im.SetAllowance(timeline.Allowance{Unsourced: true, Unattributed: true})
	if err := im.Apply(ds); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)

	const unsourced, sourced = "drones-downed", "kremlin-claims-attempt"
	pages := []struct{ name, path, unsourcedSel, sourcedSel string }{
		{"Timeline", web.StoryPath("drones"), "li.event#" + unsourced, "li.event#" + sourced},
		{"Permalink", web.EventPath(unsourced), `[data-testid="event-detail"]`, ""},
		{"EmbedEvent", web.EmbedPath(web.EventPath(unsourced)), `[data-testid="event-detail"]`, ""},
		{"EmbedTimeline", web.EmbedPath(web.StoryPath("drones")), `[data-testid="embed-event"]:has(a[href$="/` + unsourced + `"])`, `[data-testid="embed-event"]:has(a[href$="/` + sourced + `"])`},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			doc := page(t, srv, p.path, http.StatusOK)
			if got := doc.Find(p.unsourcedSel + ` [data-testid="unsourced"]`).Text(); got != web.UnsourcedLabel {
				t.Errorf("the unsourced event is marked %q, want %q", got, web.UnsourcedLabel)
			}
			if got := doc.Find(p.unsourcedSel + ` [data-testid="unattributed"]`).Text(); got != web.UnattributedLabel {
				t.Errorf("the event naming no one is marked %q, want %q", got, web.UnattributedLabel)
			}
			if p.sourcedSel != "" {
				if n := doc.Find(p.sourcedSel).Length(); n != 1 {
					t.Fatalf("%d sourced events found by %s", n, p.sourcedSel)
				}
				if n := doc.Find(p.sourcedSel + ` [data-testid="unsourced"], ` + p.sourcedSel + ` [data-testid="unattributed"]`).Length(); n != 0 {
					t.Errorf("a sourced event with its actors is marked unsourced or naming no one")
				}
			}
		})
	}
	t.Run("PermalinkNoteWhereSourcesGo", func(t *testing.T) {
		doc := page(t, srv, web.EventPath(unsourced), http.StatusOK)
		if got := doc.Find(`[data-testid="unsourced-note"]`).Text(); got != web.UnsourcedNote {
			t.Errorf("the sources section says %q, want %q", got, web.UnsourcedNote)
		}
	})
	// Where a link travels (a preview's description and image, a search
	// engine's structured data) the marks travel with it.
	marks := web.MarksPrefix(web.UnsourcedLabel, web.UnattributedLabel)
	t.Run("ShareTags", func(t *testing.T) {
		for _, p := range []struct {
			slug, wantPrefix string
		}{{unsourced, marks}, {sourced, ""}} {
			doc := page(t, srv, web.EventPath(p.slug), http.StatusOK)
			for _, tag := range []struct{ attr, name string }{
				{"name", "description"}, {"property", "og:description"}, {"name", "twitter:description"},
				{"property", "og:image:alt"}, {"name", "twitter:image:alt"},
			} {
				got := doc.Find(`head meta[`+tag.attr+`="`+tag.name+`"]`).AttrOr("content", "")
				if rest, ok := strings.CutPrefix(strings.TrimPrefix(got, "Share card: "), p.wantPrefix); !ok || strings.HasPrefix(rest, "[") {
					t.Errorf("%s: %s = %q, want it to begin %q", p.slug, tag.name, got, p.wantPrefix)
				}
			}
			article := pageArticle(t, doc)
			if _, cited := article["citation"]; cited == (p.wantPrefix != "") {
				t.Errorf("%s: the structured data cites %v", p.slug, article["citation"])
			}
			if got, _ := article["description"].(string); !strings.HasPrefix(got, p.wantPrefix) {
				t.Errorf("%s: the structured data's description = %q, want it to begin %q", p.slug, got, p.wantPrefix)
			}
		}
	})
	t.Run("Card", func(t *testing.T) {
		// The badge sits at the top right, where an unmarked card is paper.
		badgeArea := func(slug string) int {
			img, err := png.Decode(bytes.NewReader(cardOf(t, get(t, srv, web.EventCardPath(slug)))))
			if err != nil {
				t.Fatal(err)
			}
			red := 0
			for y := 20; y < 100; y++ {
				for x := web.CardWidth / 2; x < web.CardWidth; x++ {
					if r, g, _, _ := img.At(x, y).RGBA(); r > g+0x4000 {
						red++
					}
				}
			}
			return red
		}
		if n := badgeArea(unsourced); n < 5000 {
			t.Errorf("the unsourced event's card has %d red pixels where its badge goes: no badge", n)
		}
		if n := badgeArea(sourced); n != 0 {
			t.Errorf("the sourced event's card has %d red pixels where a badge goes", n)
		}
	})
	for _, format := range []web.FeedFormat{web.Atom, web.JSONFeed} {
		t.Run("Feed/"+string(format), func(t *testing.T) {
			res := get(t, srv, web.TimelineFeedPath(timeline.Filter{Story: "drones"}, format, nil))
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if n := strings.Count(string(body), "["+web.UnsourcedLabel+"]"); n != 2 { // the entry's summary and its content
				t.Errorf("the feed marks %d texts unsourced, want 2:\n%.3000s", n, body)
			}
			if n := strings.Count(string(body), "["+web.UnattributedLabel+"]"); n != 2 {
				t.Errorf("the feed marks %d texts as naming no one, want 2", n)
			}
		})
	}
}
