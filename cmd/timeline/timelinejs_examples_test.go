package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/internal/timelinejs"
)

// The timelines TimelineJS 3.9.11 publishes in its npm package: the
// example files of its src/template/ and the sheet template its own tests
// read. None names a group for every slide, and some slides have no
// source (TimelineJS requires neither); several reach back before the year
// 1000, which Timeline cannot date.
var timelineJSExamples = []struct {
	path string
	// unsourced are the slides (their index in the JSON, their row in a
	// sheet) that give no source.
	unsourced []int
	// checks are mapped fields of a few events, by slug, as the file
	// completed by an editor imports them.
	checks map[string]exampleEvent
}{
	{path: "src/template/all-media-types.json", checks: map[string]exampleEvent{
		"youtube-videos": {when: "1901", precision: timeline.PrecisionYear, actor: "Video", url: "https://m.youtube.com/watch?v=pi2v1m6gmD8&t=5m21s"},
		"tiktok":         {when: "1904-06", precision: timeline.PrecisionMonth, actor: "Video", outlet: "@colbertlateshow"},
		// An embed given as media is no address: the credit alone is the source.
		"twitter-embed": {when: "1906-06", precision: timeline.PrecisionMonth, actor: "HTML", outlet: "ItsMeKitB", url: "-"},
		// unique_id, when it is a valid slug, is the slug.
		"wistia": {title: "Wistia", when: "1928", precision: timeline.PrecisionYear, outlet: "Wistia"},
	}},
	{path: "src/template/cosmo.json", unsourced: []int{1, 2, 3, 4}},
	{path: "src/template/cosmo-mixed.json", checks: map[string]exampleEvent{
		// Markup in a headline is dropped, its text kept; a source with an
		// empty credit is named by its address's host.
		"ibn-al-haytham-s-book-of-optics":   {title: "Ibn al-Haytham's Book of Optics", when: "1021", precision: timeline.PrecisionYear, outlet: "en.wikipedia.org"},
		"apollo-11-humans-walk-on-the-moon": {when: "1969-07-20", precision: timeline.PrecisionDay, outlet: "NASA"},
	}},
	{path: "src/template/eras.json", unsourced: []int{5}},
	{path: "src/template/my-own-timeline.csv", unsourced: []int{4}, checks: map[string]exampleEvent{
		"ada-lovelace": {when: "1815-12-10", until: "1852-11-27", precision: timeline.PrecisionDay, outlet: "Wikimedia Commons"},
		// A month without a day is that month, never its 1st.
		"and-the-women-who-made-it-work": {when: "1943-07", until: "1946", precision: timeline.PrecisionMonth},
		"r-zsa-p-ter-writes-recursion":   {title: "Rózsa Péter writes recursion", when: "1951", precision: timeline.PrecisionYear, outlet: "Wikipedia"},
	}},
	{path: "src/js/core/__tests__/women_in_computing.csv", unsourced: []int{4}},
}

// exampleEvent is what a test expects of one imported event; "" is not
// checked, and url "-" is an event whose source has no address.
type exampleEvent struct {
	title, when, until string
	precision          timeline.Precision
	actor, outlet, url string
}

// exampleSlide is what the test reads itself from an example file: where
// a slide is, what problems the file as published must report there.
type exampleSlide struct {
	place    string // "events[3]" or "row 4"
	at       int    // 3 or 4: its index in JSON, its row in a sheet
	group    bool
	years    []exampleYear
	complete func(group, credit string) // fills in what an editor adds
}

type exampleYear struct {
	field string // "start_date" or "end_date", "Year" or "End Year" in a sheet
	year  int
}

// TestImportTimelineJSExamples imports each example TimelineJS publishes,
// as published, and then as an editor would complete it after reading the
// refusal: a group and a source for every slide, the slides before the
// year 1000 left out.
func TestImportTimelineJSExamples(t *testing.T) {
	pkg := timelineJSDir(t)
	for _, ex := range timelineJSExamples {
		t.Run(filepath.Base(ex.path), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(pkg, ex.path))
			if err != nil {
				t.Fatal(err)
			}
			sheet := strings.HasSuffix(ex.path, ".csv")
			slides, encode := readExample(t, raw, sheet)

			t.Run("AsPublished", func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "tl.db")
				_, _, err := runCLI(t, nil, "import", "--db", db, writeFile(t, filepath.Base(ex.path), raw))
				if err == nil {
					t.Fatal("imported a file with slides that name no group")
				}
				msg := err.Error()
				if !strings.Contains(msg, "nothing was written") {
					t.Errorf("the refusal does not say that nothing was written: %s", msg)
				}
				var want []string
				for _, s := range slides {
					if !s.group {
						if sheet {
							want = append(want, s.place+", column Group: "+noGroup)
						} else {
							want = append(want, s.place+".group: "+noGroup)
						}
					}
					for _, y := range s.years {
						if sheet {
							want = append(want, fmt.Sprintf("%s, column %s: year %d is not one of 1000 to 9999", s.place, y.field, y.year))
						} else {
							want = append(want, fmt.Sprintf("%s.%s.year: year %d is not one of 1000 to 9999", s.place, y.field, y.year))
						}
					}
					if slices.Contains(ex.unsourced, s.at) {
						want = append(want, unsourcedProblem(t, msg, s.place))
					}
				}
				got := problemLines(msg)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("the refusal lists\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			})

			var kept int
			for _, s := range slides {
				if len(s.years) == 0 {
					kept++
				}
			}
			t.Run("AsPublishedAllowed", func(t *testing.T) {
				// With the editor's leave, slides without a group or a
				// source come in marked; only the years Timeline cannot
				// date are still refused.
				db := filepath.Join(t.TempDir(), "tl.db")
				_, stderr, err := runCLI(t, nil, "import", "--db", db, "--allow-unsourced", "--allow-unattributed", writeFile(t, filepath.Base(ex.path), raw))
				if kept < len(slides) {
					if err == nil {
						t.Fatal("imported slides before the year 1000")
					}
					for _, line := range problemLines(err.Error()) {
						if !strings.Contains(line, "is not one of 1000 to 9999") {
							t.Errorf("refused with leave for more than its years: %s", line)
						}
					}
					return
				}
				if err != nil {
					t.Fatalf("refused with leave: %v", err)
				}
				if want := fmt.Sprintf(": %d events changed", len(slides)); !strings.Contains(stderr, want) {
					t.Errorf("import said %q, want %q", stderr, want)
				}
			})
			if kept == 0 {
				return // every slide is before the year 1000
			}
			t.Run("Completed", func(t *testing.T) {
				for _, s := range slides {
					s.complete("Knight Lab", "Knight Lab")
				}
				completed := encode()
				got := &collected{actors: map[string]string{}, sources: map[string]timeline.Source{}}
				scan := timelinejs.Scan
				if sheet {
					scan = timelinejs.ScanCSV
				}
				if err := scan(bytes.NewReader(completed), got); err != nil {
					t.Fatalf("the completed file is refused: %v", err)
				}
				if len(got.events) != kept {
					t.Errorf("%d events imported, want the file's %d slides from the year 1000 on", len(got.events), kept)
				}
				if got.title == "" {
					t.Error("the story has no title: the title slide was not read")
				}
				bySlug := map[string]*timeline.Event{}
				for _, e := range got.events {
					bySlug[e.Slug] = e
					if strings.ContainsAny(e.Title+e.Summary+e.Body, "<>") {
						t.Errorf("event %s keeps markup: %q %q", e.Slug, e.Title, e.Summary)
					}
				}
				for slug, want := range ex.checks {
					e, ok := bySlug[slug]
					if !ok {
						t.Errorf("no event %s among %v", slug, slices.Sorted(maps.Keys(bySlug)))
						continue
					}
					checkExampleEvent(t, got, e, want)
				}
			})
		})
	}
}

// readExample reads an example file's slides and gives a function that
// writes the file again, with what complete changed.
func readExample(t *testing.T, raw []byte, sheet bool) ([]exampleSlide, func() []byte) {
	t.Helper()
	if sheet {
		return readExampleSheet(t, raw)
	}
	var f map[string]any
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	events, _ := f["events"].([]any)
	slides := make([]exampleSlide, len(events))
	var drop []int
	for i, ev := range events {
		e := ev.(map[string]any)
		s := exampleSlide{place: fmt.Sprintf("events[%d]", i), at: i}
		group, _ := e["group"].(string)
		s.group = strings.TrimSpace(group) != ""
		for _, field := range []string{"start_date", "end_date"} {
			d, _ := e[field].(map[string]any)
			if y, ok := yearOf(d); ok && (y < 1000 || y > 9999) {
				s.years = append(s.years, exampleYear{field, y})
			}
		}
		tooOld := len(s.years) > 0
		s.complete = func(group, credit string) {
			if tooOld {
				drop = append(drop, i)
				return
			}
			if g, _ := e["group"].(string); g == "" {
				e["group"] = group
			}
			m, _ := e["media"].(map[string]any)
			if m == nil {
				m = map[string]any{}
				e["media"] = m
			}
			if c, _ := m["credit"].(string); c == "" {
				if u, _ := m["url"].(string); !strings.HasPrefix(u, "http") {
					m["credit"] = credit
				}
			}
		}
		slides[i] = s
	}
	return slides, func() []byte {
		var kept []any
		for i, e := range events {
			if !slices.Contains(drop, i) {
				kept = append(kept, e)
			}
		}
		f["events"] = kept
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func readExampleSheet(t *testing.T, raw []byte) ([]exampleSlide, func() []byte) {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	var slides []exampleSlide
	for n, rec := range records[1:] {
		row := n + 2 // the header is row 1
		if typ := strings.ToLower(rec[col["Type"]]); typ == "title" || typ == "era" {
			continue
		}
		s := exampleSlide{place: fmt.Sprintf("row %d", row), at: row, group: strings.TrimSpace(rec[col["Group"]]) != ""}
		for _, c := range []string{"Year", "End Year"} {
			if y, err := strconv.Atoi(rec[col[c]]); err == nil && (y < 1000 || y > 9999) {
				s.years = append(s.years, exampleYear{c, y})
			}
		}
		s.complete = func(group, credit string) {
			if rec[col["Group"]] == "" {
				rec[col["Group"]] = group
			}
			if rec[col["Media Credit"]] == "" && !strings.HasPrefix(rec[col["Media"]], "http") {
				rec[col["Media Credit"]] = credit
			}
		}
		slides = append(slides, s)
	}
	return slides, func() []byte {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.WriteAll(records)
		return b.Bytes()
	}
}

// noGroup is what the refusal says of a slide without a group.
const noGroup = "names no one: add a group (the Group column of a sheet) naming who did or said it (every event has an actor), " +
	"or import with --allow-unattributed to publish it marked as naming no one"

// unsourcedProblem is the line of the refusal about the slide at place
// having no source, which must say where and what to add.
func unsourcedProblem(t *testing.T, msg, place string) string {
	t.Helper()
	for _, line := range problemLines(msg) {
		if strings.HasPrefix(line, place+".media") || strings.HasPrefix(line, place+", column Media") {
			if !strings.Contains(line, "media.credit") {
				t.Errorf("the refusal of a slide without a source does not say what to add: %s", line)
			}
			return line
		}
	}
	t.Errorf("the refusal says nothing of the source of %s:\n%s", place, msg)
	return place + ": (a problem with its source)"
}

// problemLines are the problems a refused import lists, one a line.
func problemLines(msg string) []string {
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if strings.HasPrefix(l, "  ") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return lines
}

func yearOf(d map[string]any) (int, bool) {
	switch y := d["year"].(type) {
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(y))
		return n, err == nil
	case float64:
		return int(y), true
	}
	return 0, false
}

func checkExampleEvent(t *testing.T, got *collected, e *timeline.Event, want exampleEvent) {
	t.Helper()
	if want.title != "" && e.Title != want.title {
		t.Errorf("%s: title %q, want %q", e.Slug, e.Title, want.title)
	}
	if want.when != "" && (e.When.Precision != want.precision || !strings.HasPrefix(e.When.Start.Format("2006-01-02"), want.when)) {
		t.Errorf("%s: when %s at precision %s, want %s at precision %s", e.Slug, e.When.Start.Format("2006-01-02"), e.When.Precision, want.when, want.precision)
	}
	if want.until != "" && !strings.HasPrefix(e.Until.Start.Format("2006-01-02"), want.until) {
		t.Errorf("%s: until %s, want %s", e.Slug, e.Until.Start.Format("2006-01-02"), want.until)
	}
	if want.actor != "" && (len(e.Actors) != 1 || got.actors[e.Actors[0].Actor.Slug] != want.actor) {
		t.Errorf("%s: actors %+v, want the group %q", e.Slug, e.Actors, want.actor)
	}
	if len(e.Sources) != 1 {
		t.Errorf("%s: %d sources, want the slide's media", e.Slug, len(e.Sources))
		return
	}
	src := got.sources[e.Sources[0].Source.Key]
	if want.outlet != "" && src.Outlet != want.outlet {
		t.Errorf("%s: source outlet %q, want %q", e.Slug, src.Outlet, want.outlet)
	}
	switch want.url {
	case "":
	case "-":
		if src.URL != "" {
			t.Errorf("%s: source address %q, want none", e.Slug, src.URL)
		}
	default:
		if src.URL != want.url {
			t.Errorf("%s: source address %q, want %q", e.Slug, src.URL, want.url)
		}
	}
}

// collected keeps what a scan gives.
type collected struct {
	title   string
	actors  map[string]string
	sources map[string]timeline.Source
	events  []*timeline.Event
}

func (c *collected) Story(slug, title, description string) error { c.title = title; return nil }
func (c *collected) Actor(a timeline.Actor) error                { c.actors[a.Slug] = a.Name; return nil }
func (c *collected) Source(s timeline.Source) error              { c.sources[s.Key] = s; return nil }
func (c *collected) Event(e *timeline.Event) error               { c.events = append(c.events, e); return nil }
