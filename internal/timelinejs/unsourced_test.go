package timelinejs

import (
	"errors"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

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
			h := &dataset.Collector{}
			err := f.scan(f.src, h)
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) || len(invalid.Problems) != 1 {
				t.Fatalf("err = %v, want one problem", err)
			}
			if p := invalid.Problems[0]; p.Where != f.where || !strings.Contains(p.Message, "add media.url") || !strings.Contains(p.Message, "--allow-unsourced") {
				t.Errorf("problem %v, want at %s what to add and the flag", p, f.where)
			}
			if len(h.Events) != 0 {
				t.Errorf("a refused file handed on %d events", len(h.Events))
			}
		})
		t.Run(f.name+"/Allowed", func(t *testing.T) {
			h := &dataset.Collector{Allow: timeline.Allowance{Unsourced: true}}
			if err := f.scan(f.src, h); err != nil {
				t.Fatal(err)
			}
			if len(h.Events) != 2 || !h.Events[0].Unsourced || len(h.Events[0].Sources) != 0 || h.Events[1].Unsourced {
				t.Fatalf("events %+v, want the first marked unsourced, the second sourced", h.Events)
			}
		})
	}
	// Media that is not an address (TimelineJS takes a blockquote's or an
	// iframe's markup there) names no source: refused, or, where unsourced
	// events are allowed, taken marked unsourced, the markup left out.
	t.Run("EmbedMarkupIsNoSource", func(t *testing.T) {
		src := `{"events": [{"start_date": {"year": 2023}, "text": {"headline": "H"}, "group": "G", "media": {"url": "<iframe>"}}]}`
		if err := Scan(strings.NewReader(src), &dataset.Collector{}); err == nil || !strings.Contains(err.Error(), "events[0].media: names no source") {
			t.Errorf("without leave: %v, want the slide refused as naming no source", err)
		}
		got := &dataset.Collector{Allow: timeline.Allowance{Unsourced: true}}
		if err := Scan(strings.NewReader(src), got); err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != 1 || !got.Events[0].Unsourced || len(got.Events[0].Sources) != 0 {
			t.Errorf("with leave: %+v, want one event marked unsourced", got.Events)
		}
	})
}
