package timelinejs

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/timelinenews/timeline/internal/timeline"
)

// TestMediaAlwaysHasURL: TimelineJS 3.9 throws, and draws nothing, at a
// slide whose media has no url, which a source known only by its outlet
// would give (TestTimelineJSShowsTheExport in cmd/timeline sees it in the
// browser).
func TestMediaAlwaysHasURL(t *testing.T) {
	var out bytes.Buffer
	tw := NewWriter(&out)
	tw.Story("s", "A story", "")
	tw.Actor(timeline.Actor{Slug: "kremlin", Name: "The Kremlin", Kind: timeline.ActorOrg})
	tw.Source(timeline.Source{Key: "a", Outlet: "Article A"})
	when, err := timeline.ParseWhen("2023-05-03", Zone)
	if err != nil {
		t.Fatal(err)
	}
	tw.Event(&timeline.Event{Slug: "e", Title: "An event", Summary: "What happened.", When: when, Kind: eventKind,
		Actors: []timeline.EventActor{{Actor: timeline.Actor{Slug: "kremlin"}, Role: actorRole}}, Sources: []timeline.Citation{{Source: timeline.Source{Key: "a"}}}})
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var f struct {
		Events []struct{ Media map[string]any } `json:"events"`
	}
	if err := json.Unmarshal(out.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Events) != 1 {
		t.Fatalf("%d events written:\n%s", len(f.Events), out.String())
	}
	m := f.Events[0].Media
	if url, ok := m["url"]; !ok || url != "" || m["credit"] != "Article A" {
		t.Errorf("the media of a source without an address is %v, want url \"\" and the outlet as credit", m)
	}
}
