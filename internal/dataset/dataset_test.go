package dataset_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
)

// valid is a small, correct file; tests break one thing at a time.
const valid = `{
  "format": "timeline/v1",
  "title": "Test",
  "actors": [
    {"slug": "kremlin", "name": "The Kremlin", "kind": "government-body", "country": "Russia"},
    {"slug": "ukraine", "name": "Ukraine", "kind": "state"}
  ],
  "sources": [
    {"key": "article", "outlet": "An outlet", "published": "2023-05-04"},
    {"key": "guardian", "outlet": "The Guardian", "via": "article"}
  ],
  "events": [
    {
      "slug": "claim",
      "title": "Kremlin claims an attack",
      "summary": "The Kremlin said two drones were downed.",
      "kind": "claim",
      "when": "2023-05-03 early-hours",
      "zone": "Europe/Moscow",
      "actors": [{"actor": "kremlin", "role": "speaker"}, {"actor": "ukraine", "role": "target"}],
      "sources": [{"source": "guardian", "quote": "an attempt on the president's life"}]
    },
    {
      "slug": "denial",
      "title": "Kyiv denies",
      "summary": "Ukraine denied it.",
      "kind": "denial",
      "when": "2023-05-03",
      "zone": "Europe/Kyiv",
      "actors": [{"actor": "ukraine", "role": "speaker"}],
      "sources": [{"source": "article", "quote": "which Kyiv immediately denied"}],
      "answers": [{"event": "claim", "type": "denies"}]
    }
  ]
}
`

func TestReadValid(t *testing.T) {
	ds, err := dataset.Read(strings.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Actors) != 2 || len(ds.Sources) != 2 || len(ds.Events) != 2 {
		t.Fatalf("read %d actors, %d sources, %d events", len(ds.Actors), len(ds.Sources), len(ds.Events))
	}
	e := ds.Events[1]
	if e.Answers[0].Event.Slug != "claim" || e.Answers[0].Type != "denies" || e.When.Zone() != "Europe/Kyiv" {
		t.Errorf("event = %+v", e)
	}
	var out bytes.Buffer
	if err := dataset.Write(&out, ds); err != nil {
		t.Fatal(err)
	}
	again, err := dataset.Read(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("reading what Write wrote: %v", err)
	}
	var out2 bytes.Buffer
	dataset.Write(&out2, again)
	if !bytes.Equal(out.Bytes(), out2.Bytes()) {
		t.Fatal("write is not stable")
	}
}

// TestFormerSlugsKeepTheirOrder: former slugs are oldest first, the first
// slug first, so writing and reading a file keeps their order, which is
// not slug order.
func TestFormerSlugsKeepTheirOrder(t *testing.T) {
	ds, err := dataset.Read(strings.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"zz-first", "aa-second", "mm-third"}
	ds.Events[0].FormerSlugs = slices.Clone(want)
	var out bytes.Buffer
	if err := dataset.Write(&out, ds); err != nil {
		t.Fatal(err)
	}
	back, err := dataset.Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Events[0].FormerSlugs; !slices.Equal(got, want) {
		t.Errorf("former slugs read back %v, want %v", got, want)
	}
}

// TestReadReportsEveryProblem breaks the file in many ways at once and
// expects every problem back, each with where it is.
func TestReadReportsEveryProblem(t *testing.T) {
	broken := strings.NewReplacer(
		`"kind": "state"`, `"kind": "planet"`,
		`"published": "2023-05-04"`, `"published": "2023-02-30"`,
		`"via": "article"`, `"via": "nowhere"`,
		`"when": "2023-05-03 early-hours"`, `"when": "2023-05-03 teatime"`,
		`"kind": "claim"`, `"kind": "rumour"`,
		`{"actor": "ukraine", "role": "target"}`, `{"actor": "russia", "role": "victim"}`,
		`"sources": [{"source": "article", "quote": "which Kyiv immediately denied"}]`, `"sources": []`,
		`{"event": "claim", "type": "denies"}`, `{"event": "claim", "type": "denies"}, {"event": "ghost", "type": "refutes"}`,
		`"slug": "denial"`, `"slug": "claim"`,
	).Replace(valid)
	_, err := dataset.Read(strings.NewReader(broken))
	var invalid *dataset.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v, want *InvalidError", err)
	}
	want := []struct{ where, message string }{
		{"actor ukraine", `unknown actor kind "planet"`},
		{"source article", `published "2023-02-30" is not a real date`},
		{"source guardian", `via names unknown source "nowhere"`},
		{"event claim", `unknown part of day "teatime"`},
		{"event claim", `unknown event kind "rumour"`},
		{"event claim", `unknown actor "russia"`},
		{"event claim", `unknown role "victim"`},
		{"event claim", `duplicate event slug "claim"`},
		{"event claim", "has no source"},
		{"event claim", "answers itself"},
		{"event claim", `answers unknown event "ghost"`},
		{"event claim", `unknown type "refutes"`},
	}
	for _, w := range want {
		found := false
		for _, p := range invalid.Problems {
			if p.Where == w.where && strings.Contains(p.Message, w.message) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing problem %s: %s", w.where, w.message)
		}
	}
	if t.Failed() {
		for _, p := range invalid.Problems {
			t.Log(p)
		}
	}
}

func TestReadSyntax(t *testing.T) {
	tests := []struct {
		name, file, where, message string
	}{
		{"Empty", ``, "file", "empty"},
		{"Truncated", `{"format": "timeline/v1", "actors": [`, "file", "cut short"},
		{"BadJSON", "{\n  \"format\": \"timeline/v1\",\n  \"actors\": [,]\n}", "line 3, column 14", "not valid JSON"},
		{"BadJSONInALaterElement", "{\n  \"format\": \"timeline/v1\",\n  \"actors\": [\n    {\"slug\": \"a\", \"name\": \"A\", \"kind\": \"state\"},\n    {\"slug\": }\n  ]\n}", "line 5, column 14", "not valid JSON"},
		{"BadHeaderValue", "{\"format\": \"timeline/v1\", \"title\": tru}", "line 1, column 39", "not valid JSON"},
		{"DoubleComma", "{\"format\": \"timeline/v1\", \"actors\": [{\"slug\": \"a\", \"name\": \"A\", \"kind\": \"state\"},,]}", "line 1, column 82", "not valid JSON"},
		{"WrongType", "{\"format\": \"timeline/v1\", \"actors\": {}}", "line 1, column 37", `expected "actors" to be an array`},
		{"WrongFieldType", "{\"format\": \"timeline/v1\", \"actors\": [{\"slug\": 7}]}", "line 1, column 38", "actors[0].slug must be text, not a number"},
		{"UnknownField", `{"format": "timeline/v1", "colour": "red"}`, "line 1, column 35", `unknown field "colour"`},
		{"UnknownNestedField", `{"format": "timeline/v1", "actors": [{"slug": "a", "colour": "red"}]}`, "line 1, column 68", `unknown field "colour"`},
		{"TrailingData", valid + `{}`, "line 36, column 1", "after the top-level object"},
		{"WrongFormat", `{"format": "timeline/v3", "actors": [], "sources": [], "events": []}`, "file", `format must be "timeline/v2"`},
		{"V2WithoutStory", `{"format": "timeline/v2", "actors": [], "sources": [], "events": []}`, "file", `story is required`},
		{"V1NamingAStory", `{"format": "timeline/v1", "story": "x", "actors": [], "sources": [], "events": []}`, "file", `does not name its story`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.Read(strings.NewReader(tt.file))
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v, want *InvalidError", err)
			}
			p := invalid.Problems[0]
			if p.Where != tt.where || !strings.Contains(p.Message, tt.message) {
				t.Errorf("problem = %q, want %q containing %q", p, tt.where, tt.message)
			}
		})
	}
}

func TestReadCycle(t *testing.T) {
	file := strings.Replace(valid, `"answers": [{"event": "claim", "type": "denies"}]`, `"answers": [{"event": "claim", "type": "disputes"}]`, 1)
	file = strings.Replace(file, `"sources": [{"source": "guardian", "quote": "an attempt on the president's life"}]`,
		`"sources": [{"source": "guardian", "quote": "an attempt on the president's life"}],
      "answers": [{"event": "denial", "type": "disputes"}]`, 1)
	_, err := dataset.Read(strings.NewReader(file))
	var invalid *dataset.InvalidError
	if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || !strings.Contains(invalid.Problems[0].Message, `loop of "disputes": claim → denial → claim`) {
		t.Fatalf("err = %v, want one loop problem", err)
	}
	// Answers of different types between the same events are no loop.
	file = strings.Replace(file, `"answers": [{"event": "denial", "type": "disputes"}]`, `"answers": [{"event": "denial", "type": "cites"}]`, 1)
	if _, err := dataset.Read(strings.NewReader(file)); err != nil {
		t.Fatalf("mixed types: %v", err)
	}
}

// TestEventTimes: an event's added and changed times are written as RFC
// 3339 in UTC and read back as themselves; one that is not such a time,
// or a change before the adding, is named as a problem.
func TestEventTimes(t *testing.T) {
	ds, err := dataset.Read(strings.NewReader(valid))
	if err != nil {
		t.Fatal(err)
	}
	moscow := time.FixedZone("MSK", 3*3600)
	ds.Events[0].Added = time.Date(2023, 5, 3, 12, 0, 0, 0, moscow)
	ds.Events[0].Changed = time.Date(2023, 5, 4, 8, 30, 15, 0, moscow)
	var out bytes.Buffer
	if err := dataset.Write(&out, ds); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"added": "2023-05-03T09:00:00Z"`) || !strings.Contains(out.String(), `"changed": "2023-05-04T05:30:15Z"`) {
		t.Errorf("the times are not written in UTC as RFC 3339:\n%s", out.String())
	}
	back, err := dataset.Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	if e := back.Events[0]; !e.Added.Equal(ds.Events[0].Added) || !e.Changed.Equal(ds.Events[0].Changed) {
		t.Errorf("read back added %v, changed %v; want %v, %v", e.Added, e.Changed, ds.Events[0].Added, ds.Events[0].Changed)
	}
	if e := back.Events[1]; !e.Added.IsZero() || !e.Changed.IsZero() {
		t.Errorf("an event with no times read back with %v, %v", e.Added, e.Changed)
	}

	for _, tt := range []struct{ added, changed, problem string }{
		{"3 May 2023", "", `added "3 May 2023" is not a time written as RFC 3339`},
		{"2023-05-03T09:00:00Z", "2023-05-03", `changed "2023-05-03" is not a time written as RFC 3339`},
		{"2023-05-04T09:00:00Z", "2023-05-03T09:00:00Z", "changed (2023-05-03T09:00:00Z) is before added (2023-05-04T09:00:00Z)"},
	} {
		stamps := fmt.Sprintf(`"slug": "claim", "added": %q`, tt.added)
		if tt.changed != "" {
			stamps += fmt.Sprintf(`, "changed": %q`, tt.changed)
		}
		_, err := dataset.Read(strings.NewReader(strings.Replace(valid, `"slug": "claim"`, stamps, 1)))
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || invalid.Problems[0].Where != "event claim" || !strings.Contains(invalid.Problems[0].Message, tt.problem) {
			t.Errorf("added %q, changed %q: err = %v, want the one problem %q", tt.added, tt.changed, err, tt.problem)
		}
	}
}
