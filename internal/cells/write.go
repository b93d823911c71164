package cells

import (
	"encoding/csv"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// CSVWriter writes rows as CSV, every cell neutralised.
type CSVWriter struct {
	cw  *csv.Writer
	err error
}

// NewCSVWriter returns a CSVWriter to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{cw: csv.NewWriter(w)} }

// Row writes one row; an error is kept for Close.
func (w *CSVWriter) Row(cells ...string) {
	if w.err != nil {
		return
	}
	record := make([]string, len(cells))
	for i, c := range cells {
		record[i] = Neutralised(c)
	}
	w.err = w.cw.Write(record)
}

// Close flushes the rows and returns the first error.
func (w *CSVWriter) Close() error {
	w.cw.Flush()
	if w.err == nil {
		w.err = w.cw.Error()
	}
	if w.err != nil {
		return fmt.Errorf("write CSV: %w", w.err)
	}
	return nil
}

// maxCellChars is the most a cell of an XLSX holds, in UTF-16 units, as
// spreadsheet programs count; excelize would cut a longer one short.
const maxCellChars = excelize.TotalCellChars

// XLSXWriter writes sheets of rows as an XLSX workbook. Cells are written
// as text, never as formulas, so they need no neutralising: a cell that
// starts with "=" shows as written. Sheets are streamed, one row at a time.
type XLSXWriter struct {
	w       io.Writer
	book    *excelize.File
	streams map[string]*excelize.StreamWriter
	order   []string
	rows    map[string]int
	header  int // the style of a header row: bold text
	text    int // the style of the other cells: text
	err     error
}

// NewXLSXWriter returns an XLSXWriter to w.
func NewXLSXWriter(w io.Writer) *XLSXWriter {
	xw := &XLSXWriter{w: w, book: excelize.NewFile(), streams: map[string]*excelize.StreamWriter{}, rows: map[string]int{}}
	// Every cell is formatted as text, so that a date or a number an
	// editor types in stays as typed rather than becoming a day count.
	const textFormat = 49 // "@", a built-in number format
	xw.header, xw.err = xw.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: textFormat})
	if xw.err == nil {
		xw.text, xw.err = xw.book.NewStyle(&excelize.Style{NumFmt: textFormat})
	}
	return xw
}

// Row writes one row to the named sheet, which is made on its first row;
// the first row of a sheet is its header, in bold, and its cells set the
// columns that are formatted as text. widths, given with the
// header, are its columns' widths in characters.
func (xw *XLSXWriter) Row(sheet string, cells []string, widths ...float64) {
	if xw.err != nil {
		return
	}
	sw, ok := xw.streams[sheet]
	if !ok {
		if len(xw.order) == 0 {
			xw.err = xw.book.SetSheetName("Sheet1", sheet)
		} else {
			_, xw.err = xw.book.NewSheet(sheet)
		}
		if xw.err == nil {
			sw, xw.err = xw.book.NewStreamWriter(sheet)
		}
		if xw.err != nil {
			return
		}
		if xw.err = sw.SetColStyle(1, max(len(cells), 1), xw.text); xw.err != nil {
			return
		}
		for i, width := range widths {
			if xw.err = sw.SetColWidth(i+1, i+1, width); xw.err != nil {
				return
			}
		}
		xw.streams[sheet] = sw
		xw.order = append(xw.order, sheet)
	}
	xw.rows[sheet]++
	row := xw.rows[sheet]
	values := make([]any, len(cells))
	for i, c := range cells {
		if n := len(utf16.Encode([]rune(c))); n > maxCellChars {
			name, _ := excelize.CoordinatesToCellName(i+1, row)
			xw.err = fmt.Errorf("cell %s of sheet %s holds %d characters, more than an XLSX cell holds (%d): export this story as CSV", name, sheet, n, maxCellChars)
			return
		}
		values[i] = c
	}
	style := xw.text
	if row == 1 {
		style = xw.header
	}
	start, _ := excelize.CoordinatesToCellName(1, row)
	xw.err = sw.SetRow(start, values, excelize.RowOpts{StyleID: style})
}

// Active makes the named sheet the one a program opens on.
func (xw *XLSXWriter) Active(sheet string) {
	if xw.err != nil {
		return
	}
	if i, err := xw.book.GetSheetIndex(sheet); err == nil && i >= 0 {
		xw.book.SetActiveSheet(i)
	}
}

// Close writes the workbook and returns the first error.
func (xw *XLSXWriter) Close() error {
	defer xw.book.Close()
	for _, name := range xw.order {
		if xw.err == nil {
			xw.err = xw.streams[name].Flush()
		}
	}
	if xw.err == nil {
		xw.err = xw.book.Write(xw.w)
	}
	if xw.err != nil {
		return fmt.Errorf("write XLSX: %w", xw.err)
	}
	return nil
}
