package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// TestAccountAndInferredDateShown: a reader sees whose account an incident
// is, and which dates are inferred and how, on the timeline and on the
// permalink.
func TestAccountAndInferredDateShown(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)

	doc := page(t, srv, "/events/drones-downed-over-kremlin", http.StatusOK)
	account := doc.Find(`[data-testid="event-detail"] .meta a.account`)
	if account.Text() != "According to The Kremlin" || account.AttrOr("href", "") != web.ActorPath("kremlin") {
		t.Errorf("the incident's account reads %q → %q, want According to The Kremlin → %s", account.Text(), account.AttrOr("href", ""), web.ActorPath("kremlin"))
	}
	if doc.Find(`[data-testid="event-detail"] .meta .contested`).Length() != 1 {
		t.Error("the Kremlin's account of the incident is not shown contested")
	}
	if doc.Find(`.meta .inferred`).Length() != 0 {
		t.Error("a stated date is shown as inferred")
	}

	doc = page(t, srv, "/events/kyiv-denies-involvement", http.StatusOK)
	if got := doc.Find(`[data-testid="event-detail"] .meta .inferred`).Text(); got != "("+web.InferredDateLabel+")" {
		t.Errorf("an inferred date is marked %q", got)
	}
	if note := doc.Find(`.when-note`).Text(); !strings.HasPrefix(note, web.WhenNoteHeading+":") || !strings.Contains(note, "immediately") {
		t.Errorf("the permalink's note on the date reads %q", note)
	}

	doc = page(t, srv, web.TimelinePath(timeline.Filter{Actors: []string{"kremlin"}}), http.StatusOK)
	if doc.Find(`li.event#drones-downed-over-kremlin .meta a.account`).Length() != 1 {
		t.Error("the timeline does not say whose account the incident is")
	}
}
