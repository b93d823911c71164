// Package sheet reads and writes Timeline's own spreadsheet template, as
// CSV and as XLSX: what the story file holds, in tables an editor fills in
// a spreadsheet program. One row per event; several actors, sources or
// answers in a cell go one per line, as "Name (role)", "key: quote" and
// "event (type)". In an XLSX each table is a sheet of its own (Story,
// Actors, Sources, Events); in a CSV they follow one another, each headed by
// its header row. Reading turns a sheet into a story file of Timeline's own
// format, which the dataset package then checks and imports as any other;
// the problems a sheet can have are placed by sheet, row and column.
package sheet

import (
	"slices"
	"strings"

	"github.com/timelinenews/timeline/internal/cells"
)

// table is one of the template's tables: its sheet's name in an XLSX, and
// its columns, the first of which names the table in a CSV and holds each
// row's slug or key.
type table struct {
	name     string
	columns  []string
	required []string // columns the header must have
}

// The columns of the template, in the order they are written.
const (
	colStory        = "Story"
	colTitle        = "Title"
	colDescription  = "Description"
	colActor        = "Actor"
	colName         = "Name"
	colKind         = "Kind"
	colCountry      = "Country"
	colSource       = "Source"
	colOutlet       = "Outlet"
	colURL          = "URL"
	colPublished    = "Published"
	colVia          = "Via"
	colEvent        = "Event"
	colSummary      = "Summary"
	colBody         = "Body"
	colWhen         = "When"
	colUntil        = "Until"
	colZone         = "Zone"
	colDisplayDate  = "Display Date"
	colLocation     = "Location"
	colActors       = "Actors"
	colAccordingTo  = "According To"
	colSources      = "Sources"
	colAnswers      = "Answers"
	colWhenInferred = "When Inferred"
	colWhenNote     = "When Note"
	colFormerSlugs  = "Former Slugs"
)

var (
	storyTable = table{name: "Story",
		columns:  []string{colStory, colTitle, colDescription},
		required: []string{colStory}}
	actorTable = table{name: "Actors",
		columns:  []string{colActor, colName, colKind, colCountry, colDescription},
		required: []string{colActor, colName, colKind}}
	sourceTable = table{name: "Sources",
		columns:  []string{colSource, colOutlet, colURL, colTitle, colPublished, colVia},
		required: []string{colSource, colOutlet}}
	eventTable = table{name: "Events",
		columns: []string{colEvent, colTitle, colSummary, colBody, colKind, colWhen, colUntil, colZone, colDisplayDate,
			colLocation, colActors, colAccordingTo, colSources, colAnswers, colWhenInferred, colWhenNote, colFormerSlugs},
		required: []string{colEvent, colTitle, colSummary, colKind, colWhen, colZone, colActors, colSources}}
)

// tables are the template's tables, in the order they are written.
var tables = []*table{&storyTable, &actorTable, &sourceTable, &eventTable}

// widths are the columns' widths in an XLSX, in characters; others are 16.
var widths = map[string]float64{
	colTitle: 40, colDescription: 60, colName: 28, colOutlet: 28, colURL: 40, colSummary: 60, colBody: 60,
	colActors: 32, colSources: 60, colAnswers: 36, colWhenNote: 40, colEvent: 30, colStory: 30, colDisplayDate: 20,
}

// headerOf is the table a row is the header of, or nil: a header starts
// with its table's first column, which no slug or key can be (they are
// lower case).
func headerOf(row []string) *table {
	for _, t := range tables {
		if cells.Cell(row, 0) == t.columns[0] {
			return t
		}
	}
	return nil
}

// DetectCSV reports whether the start of a file is the template as CSV:
// its first line is one of the template's headers.
func DetectCSV(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	sheet, err := cells.ReadCSV(strings.NewReader(line))
	if err != nil || len(sheet.Rows) == 0 {
		return false
	}
	return isHeader(sheet.Rows[0])
}

// DetectXLSX reports whether a workbook holds the template: one of its
// sheets starts with one of the template's headers.
func DetectXLSX(book []cells.Sheet) bool {
	return slices.ContainsFunc(book, func(s cells.Sheet) bool { return len(s.Rows) > 0 && isHeader(s.Rows[0]) })
}

// isHeader reports whether a row is a header of the template, telling it
// from other sheets that start with "Event": it has the table's first two
// columns.
func isHeader(row []string) bool {
	t := headerOf(row)
	return t != nil && slices.Contains(row, t.columns[1])
}

// The words of the notation in cells, shown in messages.
const (
	actorsNotation  = "one actor a line, as Name (role), with the name or slug of a row of the Actors table"
	sourcesNotation = "one source a line, as key: quote, with the key of a row of the Sources table and the quote it gives, word for word"
	answersNotation = "one answer a line, as event (type), with the Event of another row"
)
