package sheet

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

// sink is what Writer and dataset.Writer both are.
type sink interface {
	dataset.Handler
	Close() error
}

// write writes ds to s in an export's order.
func write(t *testing.T, s sink, ds *timeline.Dataset) {
	t.Helper()
	if err := s.Story(ds.Slug, ds.Title, ds.Description); err != nil {
		t.Fatal(err)
	}
	for _, a := range ds.Actors {
		if err := s.Actor(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, src := range ds.Sources {
		if err := s.Source(src); err != nil {
			t.Fatal(err)
		}
	}
	for i := range ds.Events {
		if err := s.Event(&ds.Events[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func bundled(t *testing.T) *timeline.Dataset {
	t.Helper()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func csvOf(t *testing.T, ds *timeline.Dataset) string {
	t.Helper()
	var out bytes.Buffer
	write(t, NewCSVWriter(&out), ds)
	return out.String()
}

// collected is what a scan hands on, kept.
type collected = dataset.Collector

// storyFile is what a scan of the sheet hands on, written as a story file.
func storyFile(t *testing.T, scan func(dataset.Handler) error) string {
	t.Helper()
	var c collected
	if err := scan(&c); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := dataset.Write(&out, &c.Dataset); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestRoundTripCSV(t *testing.T) {
	ds := bundled(t)
	sheet := csvOf(t, ds)
	if !DetectCSV([]byte(sheet)) {
		t.Fatalf("the sheet is not told to be the template; it starts %q", sheet[:80])
	}
	back := storyFile(t, func(h dataset.Handler) error { return ScanCSV(strings.NewReader(sheet), h) })
	if back != string(story.File) {
		t.Errorf("the bundled story through CSV comes back as another file:\n%s", firstDifference(back, string(story.File)))
	}
	again, err := dataset.Read(strings.NewReader(back))
	if err != nil {
		t.Fatal(err)
	}
	if second := csvOf(t, again); second != sheet {
		t.Errorf("export, import, export gives other bytes:\n%s", firstDifference(second, sheet))
	}
}

func TestRoundTripXLSX(t *testing.T) {
	var book bytes.Buffer
	write(t, NewXLSXWriter(&book), bundled(t))
	if !cells.IsZip(book.Bytes()) {
		t.Fatal("the workbook is not a zip")
	}
	sheets, err := cells.ReadXLSX(bytes.NewReader(book.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range sheets {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "Story,Actors,Sources,Events" || !DetectXLSX(sheets) {
		t.Errorf("the workbook's sheets are %s, want Story,Actors,Sources,Events told to be the template", got)
	}
	back := storyFile(t, func(h dataset.Handler) error { return ScanXLSX(bytes.NewReader(book.Bytes()), h) })
	if back != string(story.File) {
		t.Errorf("the bundled story through XLSX comes back as another file:\n%s", firstDifference(back, string(story.File)))
	}
}

// TestFormerSlugsKeepTheirOrder: the Former Slugs cell holds them oldest
// first, one a line, and reading the sheet keeps that order, which is not
// slug order, in both CSV and XLSX.
func TestFormerSlugsKeepTheirOrder(t *testing.T) {
	want := []string{"zz-first", "aa-second", "mm-third"}
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) sink
		scan  func([]byte, dataset.Handler) error
	}{
		{"CSV", func(b *bytes.Buffer) sink { return NewCSVWriter(b) },
			func(b []byte, h dataset.Handler) error { return ScanCSV(bytes.NewReader(b), h) }},
		{"XLSX", func(b *bytes.Buffer) sink { return NewXLSXWriter(b) },
			func(b []byte, h dataset.Handler) error { return ScanXLSX(bytes.NewReader(b), h) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ds := bundled(t)
			ds.Events[0].FormerSlugs = slices.Clone(want)
			var out bytes.Buffer
			write(t, tt.write(&out), ds)
			var c collected
			if err := tt.scan(out.Bytes(), &c); err != nil {
				t.Fatal(err)
			}
			if got := c.Dataset.Events[0].FormerSlugs; !slices.Equal(got, want) {
				t.Errorf("former slugs read back %v, want %v", got, want)
			}
		})
	}
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
