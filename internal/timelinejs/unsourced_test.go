package timelinejs

import (
	"errors"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// allowing collects what a scan hands on, taking events with no source.
type allowing struct {
	events []timeline.Event
	allow  bool
}

func (a *allowing) Story(string, string, string) error { return nil }
func (a *allowing) Actor(timeline.Actor) error         { return nil }
func (a *allowing) Source(timeline.Source) error       { return nil }
func (a *allowing) Event(e *timeline.Event) error      { a.events = append(a.events, *e); return nil }
func (a *allowing) Allowed() timeline.Allowance        { return timeline.Allowance{Unsourced: a.allow} }

func TestUnsourcedSlides(t *testing.T) {
	jsonFile := `{"events": [
		{"start_date": {"year": 2023}, "text": {"headline": "No media"}, "group": "A group"},
		{"start_date": {"year": 2023}, "text": {"headline": "Sourced"}, "group": "A group", "media": {"credit": "An outlet"}}
	]}`
	sheet := header + "2023,,,,,,,,,No media,,,,,,,A group,\n2023,,,,,,,,,Sourced,,,An outlet,,,,A group,\n"
	formats := []struct {
		name, src, where string
		scan             func(string, dataset.Handler) error
	}{
		{"JSON", jsonFile, "events[0].media", func(s string, h dataset.Handler) error { return Scan(strings.NewReader(s), h) }},
		{"CSV", sheet, "row 2, column Media Credit", func(s string, h dataset.Handler) error { return ScanCSV(strings.NewReader(s), h) }},
	}
	for _, f := range formats {
		t.Run(f.name+"/Refused", func(t *testing.T) {
			h := &allowing{}
			err := f.scan(f.src, h)
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) || len(invalid.Problems) != 1 {
				t.Fatalf("err = %v, want one problem", err)
			}
			if p := invalid.Problems[0]; p.Where != f.where || !strings.Contains(p.Message, "add media.url") || !strings.Contains(p.Message, "--allow-unsourced") {
				t.Errorf("problem %v, want at %s what to add and the flag", p, f.where)
			}
			if len(h.events) != 0 {
				t.Errorf("a refused file handed on %d events", len(h.events))
			}
		})
		t.Run(f.name+"/Allowed", func(t *testing.T) {
			h := &allowing{allow: true}
			if err := f.scan(f.src, h); err != nil {
				t.Fatal(err)
			}
			if len(h.events) != 2 || !h.events[0].Unsourced || len(h.events[0].Sources) != 0 || h.events[1].Unsourced {
				t.Fatalf("events %+v, want the first marked unsourced, the second sourced", h.events)
			}
		})
	}
	// Media that is not an address (TimelineJS takes a blockquote's or an
	// iframe's markup there) names no source: refused, or, where unsourced
	// events are allowed, taken marked unsourced, the markup left out.
	t.Run("EmbedMarkupIsNoSource", func(t *testing.T) {
		src := `{"events": [{"start_date": {"year": 2023}, "text": {"headline": "H"}, "group": "G", "media": {"url": "<iframe>"}}]}`
		if err := Scan(strings.NewReader(src), &allowing{}); err == nil || !strings.Contains(err.Error(), "events[0].media: names no source") {
			t.Errorf("without leave: %v, want the slide refused as naming no source", err)
		}
		got := &allowing{allow: true}
		if err := Scan(strings.NewReader(src), got); err != nil {
			t.Fatal(err)
		}
		if len(got.events) != 1 || !got.events[0].Unsourced || len(got.events[0].Sources) != 0 {
			t.Errorf("with leave: %+v, want one event marked unsourced", got.events)
		}
	})
}
