package server_test

import (
	"bytes"
	"net/http"
	"os"
	"testing"

	storyfile "github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timelinejs"
	"github.com/timelinenews/timeline/web"
)

// TestDisplayDateShown: a TimelineJS display_date is stored and shown
// beside the time, on the permalink and on the timeline, and only where given.
func TestDisplayDateShown(t *testing.T) {
	src, err := os.ReadFile("../timelinejs/testdata/kremlin-drones.json")
	if err != nil {
		t.Fatal(err)
	}
	var converted bytes.Buffer
	if err := timelinejs.Convert(bytes.NewReader(src), &converted); err != nil {
		t.Fatal(err)
	}
	ds, err := storyfile.Read(&converted)
	if err != nil {
		t.Fatal(err)
	}
	ds.Slug = "drones"
	srv, _ := newServer(t, ds)

	want := "(" + web.DisplayDateLabel("Early hours of 3 May 2023") + ")"
	doc := page(t, srv, "/events/drones-downed-over-kremlin", http.StatusOK)
	if got := doc.Find(`[data-testid="event-detail"] .meta [data-testid="display-date"]`).Text(); got != want {
		t.Errorf("the permalink shows the display date as %q, want %q", got, want)
	}
	doc = page(t, srv, "/events/kremlin-calls-it-a-terrorist-attack-and-an-attempt-on-putin-s-life", http.StatusOK)
	if n := doc.Find(`[data-testid="display-date"]`).Length(); n != 0 {
		t.Errorf("an event without a display date shows %d", n)
	}
	doc = page(t, srv, web.StoryPath("drones"), http.StatusOK)
	if got := doc.Find(`li.event#drones-downed-over-kremlin [data-testid="display-date"]`).Text(); got != want {
		t.Errorf("the timeline shows the display date as %q, want %q", got, want)
	}
}
