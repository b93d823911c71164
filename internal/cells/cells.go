// Package cells reads and writes the cells of spreadsheets, as CSV and as
// XLSX, for the sheet templates Timeline reads (TimelineJS's and its own).
// Every read is bounded: the file, what an XLSX unpacks to, its rows and
// columns. Cells a spreadsheet program would take for a formula are
// neutralised when written as CSV and read back as they were.
package cells

import (
	"fmt"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet of a workbook: its name ("" for a CSV) and its rows,
// each row's cells as written, trimmed. Rows[0] is row 1, as a spreadsheet
// program counts; an empty row is an empty slice.
type Sheet struct {
	Name string
	Rows [][]string
	// Numbers are the cells of an XLSX whose value is a number that a
	// number format shows as other text: a date or a time typed into a
	// cell, which a spreadsheet program stores as a count of days since
	// 1900. They are keyed by row and column index, as Rows is.
	Numbers map[[2]int]float64
}

// Date is a cell's value as a date, when it is a number formatted as
// one (see Numbers); the time of day is in the fraction.
func (s *Sheet) Date(row, column int) (time.Time, bool) {
	n, ok := s.Numbers[[2]int{row, column}]
	if !ok {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(n, false)
	return t, err == nil
}

// Bounds on what a sheet may hold, in the README.
const (
	// MaxFile bounds a CSV or XLSX file as read, in bytes.
	MaxFile = 64 << 20
	// MaxUnpacked bounds what an XLSX (a zip) unpacks to, all its parts
	// together, in bytes: a zip bomb is refused before it is unpacked.
	MaxUnpacked = 128 << 20
	// MaxRows bounds the rows of a sheet with anything in them.
	MaxRows = 200_000
	// MaxColumns bounds the columns of a row.
	MaxColumns = 200
)

// Place says where a cell is, as a problem's Where: "row 7, column
// Sources", with the sheet's name first in a workbook ("sheet Events, row
// 7, column Sources"). column may be "" for the row as a whole.
func Place(sheet string, row int, column string) string {
	var b strings.Builder
	if sheet != "" {
		fmt.Fprintf(&b, "sheet %s, ", sheet)
	}
	fmt.Fprintf(&b, "row %d", row)
	if column != "" {
		b.WriteString(", column ")
		b.WriteString(column)
	}
	return b.String()
}

// Cell returns the cell of row at index i, or "" past its end.
func Cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// Empty reports whether a row has nothing in it.
func Empty(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}

// Header maps a header row's names to their columns' indexes.
func Header(row []string) map[string]int {
	index := make(map[string]int, len(row))
	for i, name := range row {
		if _, taken := index[name]; !taken && name != "" {
			index[name] = i
		}
	}
	return index
}

// StartsWith reports whether a row's first cells are names, in order.
func StartsWith(row []string, names []string) bool {
	if len(row) < len(names) {
		return false
	}
	for i, name := range names {
		if row[i] != name {
			return false
		}
	}
	return true
}

// invalid is one problem as an error.
func invalid(where, format string, args ...any) error {
	return &dataset.InvalidError{Problems: []dataset.Problem{{Where: where, Message: fmt.Sprintf(format, args...)}}}
}

// formulaStart are the characters with which a spreadsheet program takes a
// cell for a formula (=HYPERLINK(…) runs when the sheet is opened), and the
// tab and carriage return some read past first.
const formulaStart = "=+-@\t\r"

// Neutralised is a cell as written for a spreadsheet: one that a program
// would take for a formula gets a leading apostrophe, which makes it text.
func Neutralised(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unneutralised is a cell as Neutralised wrote it, read back.
func Unneutralised(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
