package sheet

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/timeline"
)

// Writer writes a story as the template, one record at a time, in the
// order an export gives them (story, actors, sources, events); reading what
// it writes gives back the same story file. Actors are named in events by
// their names where no other actor has that name (or it as a slug), else by
// their slugs; sources by their keys, since one outlet may have several.
type Writer struct {
	out    rows
	table  int               // index in tables of the table being written, -1 before the first
	actors map[string]string // slug → the name events give it by
	names  map[string]int    // actor names in lower case, and slugs, → how many
}

// rows is where the tables go: a CSV, one after another, or an XLSX, a
// sheet each.
type rows interface {
	row(t *table, cells []string)
	close() error
}

// NewCSVWriter returns a Writer of the template as CSV to w, its tables
// one after another with a blank row between them, every cell neutralised.
func NewCSVWriter(w io.Writer) *Writer { return newWriter(&csvRows{cw: cells.NewCSVWriter(w)}) }

// NewXLSXWriter returns a Writer of the template as an XLSX workbook to w,
// each table a sheet of its own; it opens on the Events sheet.
func NewXLSXWriter(w io.Writer) *Writer { return newWriter(&xlsxRows{xw: cells.NewXLSXWriter(w)}) }

func newWriter(out rows) *Writer {
	return &Writer{out: out, table: -1, actors: map[string]string{}, names: map[string]int{}}
}

type csvRows struct {
	cw      *cells.CSVWriter
	written bool
}

func (c *csvRows) row(t *table, cells []string) {
	if cells[0] == t.columns[0] && c.written {
		c.cw.Row() // a blank row before each table's header but the first
	}
	c.written = true
	c.cw.Row(cells...)
}

func (c *csvRows) close() error { return c.cw.Close() }

type xlsxRows struct{ xw *cells.XLSXWriter }

func (x *xlsxRows) row(t *table, cells []string) {
	var w []float64
	if cells[0] == t.columns[0] {
		w = make([]float64, len(t.columns))
		for i, name := range t.columns {
			if w[i] = widths[name]; w[i] == 0 {
				w[i] = 16
			}
		}
	}
	x.xw.Row(t.name, cells, w...)
}

func (x *xlsxRows) close() error {
	x.xw.Active(eventTable.name)
	return x.xw.Close()
}

// enter moves on to table t, writing the headers of it and of any table
// before it not yet written, so that every table is there, empty or not.
func (sw *Writer) enter(t *table) error {
	target := slices.Index(tables, t)
	if target < sw.table {
		return fmt.Errorf("write sheet: the %s table comes before the %s table", t.name, tables[sw.table].name)
	}
	for sw.table < target {
		sw.table++
		sw.out.row(tables[sw.table], tables[sw.table].columns)
	}
	return nil
}

// Story writes the Story table.
func (sw *Writer) Story(slug, title, description string) error {
	if err := sw.enter(&storyTable); err != nil {
		return err
	}
	sw.out.row(&storyTable, []string{slug, title, description})
	return nil
}

// Actor writes a row of the Actors table.
func (sw *Writer) Actor(a timeline.Actor) error {
	if err := sw.enter(&actorTable); err != nil {
		return err
	}
	sw.actors[a.Slug] = a.Name
	sw.names[strings.ToLower(a.Name)]++
	if strings.ToLower(a.Name) != a.Slug {
		sw.names[a.Slug]++ // a slug is lower case already
	}
	sw.out.row(&actorTable, []string{a.Slug, a.Name, string(a.Kind), a.Country, a.Description})
	return nil
}

// Source writes a row of the Sources table.
func (sw *Writer) Source(s timeline.Source) error {
	if err := sw.enter(&sourceTable); err != nil {
		return err
	}
	sw.out.row(&sourceTable, []string{s.Key, s.Outlet, s.URL, s.Title, s.Published, s.Via})
	return nil
}

// actorRef is how an event's cells name an actor: by its name when that
// names it alone, on one line, else by its slug.
func (sw *Writer) actorRef(slug string) string {
	name, ok := sw.actors[slug]
	if !ok || sw.names[strings.ToLower(name)] != 1 || strings.ContainsAny(name, "\n\r") || strings.TrimSpace(name) != name {
		return slug
	}
	return name
}

// Event writes a row of the Events table.
func (sw *Writer) Event(e *timeline.Event) error {
	if err := sw.enter(&eventTable); err != nil {
		return err
	}
	var actors, sources, answers []string
	for _, a := range e.Actors {
		actors = append(actors, fmt.Sprintf("%s (%s)", sw.actorRef(a.Actor.Slug), a.Role))
	}
	for _, c := range e.Sources {
		line := c.Source.Key
		if c.Quote != "" {
			line += ": " + c.Quote
		}
		sources = append(sources, line)
	}
	for _, a := range e.Answers {
		answers = append(answers, fmt.Sprintf("%s (%s)", a.Event.Slug, a.Type))
	}
	accordingTo, inferred := "", ""
	if e.AccordingTo.Slug != "" {
		accordingTo = sw.actorRef(e.AccordingTo.Slug)
	}
	if e.WhenInferred {
		inferred = "yes"
	}
	sw.out.row(&eventTable, []string{e.Slug, e.Title, e.Summary, e.Body, string(e.Kind), e.When.Text(), e.Until.Text(), e.When.Zone(),
		e.DisplayDate, e.Location, strings.Join(actors, "\n"), accordingTo, strings.Join(sources, "\n"), strings.Join(answers, "\n"),
		inferred, e.WhenNote, strings.Join(e.FormerSlugs, "\n")})
	return nil
}

// Close writes the headers of the tables not yet begun, and ends the file.
func (sw *Writer) Close() error {
	if err := sw.enter(&eventTable); err != nil {
		return err
	}
	return sw.out.close()
}
