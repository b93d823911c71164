package timelinejs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/cells"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// The columns of TimelineJS's Google Sheet template, exactly as it names
// them, in its order.
var columns = []string{"Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
	"Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail",
	"Type", "Group", "Background"}

// The Type cells of the template's rows that are not events.
const (
	typeTitle = "title"
	typeEra   = "era"
)

// fieldColumns names the column that holds each field the converter
// reports on, so that a problem in a sheet is placed at its cell.
var fieldColumns = map[string]string{
	"start_date": "Year", "start_date.year": "Year", "start_date.month": "Month", "start_date.day": "Day",
	"start_date.hour": "Time", "start_date.minute": "Time", "start_date.second": "Time",
	"end_date": "End Year", "end_date.year": "End Year", "end_date.month": "End Month", "end_date.day": "End Day",
	"end_date.hour": "End Time", "end_date.minute": "End Time", "end_date.second": "End Time",
	"text.headline": "Headline", "group": "Group", "media": "Media Credit", "media.url": "Media",
}

// DetectCSV reports whether the start of a file is TimelineJS's sheet
// template as CSV: its first line is the template's header.
func DetectCSV(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	sheet, err := cells.ReadCSV(strings.NewReader(line))
	return err == nil && len(sheet.Rows) > 0 && cells.StartsWith(sheet.Rows[0], columns)
}

// DetectXLSX reports whether a workbook holds TimelineJS's sheet template:
// one of its sheets starts with the template's header.
func DetectXLSX(book []cells.Sheet) bool { return templateSheet(book) != nil }

func templateSheet(book []cells.Sheet) *cells.Sheet {
	for i := range book {
		if len(book[i].Rows) > 0 && cells.StartsWith(book[i].Rows[0], columns) {
			return &book[i]
		}
	}
	return nil
}

// ConvertCSV reads TimelineJS's sheet template as CSV, one event a row with
// a "title" row and "era" rows, and writes it as Convert does. Problems are
// placed by row (the header is row 1, as a spreadsheet counts) and column.
func ConvertCSV(r io.Reader, w io.Writer) error {
	return convertRefusingMissing(convertCSV, r, w)
}

func convertCSV(r io.Reader, w io.Writer) (places, error) {
	sheet, err := cells.ReadCSV(r)
	if err != nil {
		return nil, err
	}
	return convertSheet(sheet, w)
}

// ScanXLSX is ScanCSV for the template as an XLSX workbook, as Google
// Sheets downloads it: the sheet read is the first whose first row is the
// template's header, and problems are placed by sheet, row and column.
func ScanXLSX(r io.Reader, h dataset.Handler) error {
	book, err := cells.ReadXLSX(r)
	if err != nil {
		return err
	}
	return ScanBook(book, h)
}

// ScanBook is ScanXLSX for a workbook already read.
func ScanBook(book []cells.Sheet, h dataset.Handler) error {
	// The workbook is read already: the converter reads no reader.
	return scan(func(_ io.Reader, w io.Writer) (places, error) {
		sheet := templateSheet(book)
		if sheet == nil {
			where := "file"
			if len(book) > 0 {
				where = cells.Place(book[0].Name, 1, "")
			}
			return nil, &dataset.InvalidError{Problems: []dataset.Problem{{Where: where,
				Message: "no sheet starts with the header of TimelineJS's sheet template (" + strings.Join(columns, ", ") + ")"}}}
		}
		return convertSheet(sheet, w)
	}, nil, h)
}

// convertSheet reads the template's rows, as ConvertCSV describes.
func convertSheet(sheet *cells.Sheet, w io.Writer) (places, error) {
	invalid := func(where, format string, args ...any) error {
		return &dataset.InvalidError{Problems: []dataset.Problem{{Where: where, Message: fmt.Sprintf(format, args...)}}}
	}
	if len(sheet.Rows) == 0 {
		return nil, invalid(cells.Place(sheet.Name, 1, ""), "is not the header of TimelineJS's sheet template: the sheet is empty")
	}
	index := cells.Header(sheet.Rows[0])
	var missing []string
	for _, name := range columns {
		if _, ok := index[name]; !ok {
			missing = append(missing, strconv.Quote(name))
		}
	}
	if len(missing) > 0 {
		return nil, invalid(cells.Place(sheet.Name, 1, ""), "the columns %s of TimelineJS's template are missing", strings.Join(missing, ", "))
	}

	var f file
	var rows []int // the row of each event
	c := &converter{}
	for n, record := range sheet.Rows[1:] {
		row := n + 2
		at := func(column string) string { return cells.Place(sheet.Name, row, column) }
		cell := func(name string) string { return cells.Cell(record, index[name]) }
		if cells.Empty(record) {
			continue
		}
		s := slide{
			StartDate:   c.sheetDate(cell("Year"), cell("Month"), cell("Day"), cell("Time"), at("Time")),
			EndDate:     c.sheetDate(cell("End Year"), cell("End Month"), cell("End Day"), cell("End Time"), at("End Time")),
			DisplayDate: cell("Display Date"),
			Text:        &text{Headline: cell("Headline"), Text: cell("Text")},
			Group:       cell("Group"),
		}
		if m := (media{URL: cell("Media"), Credit: cell("Media Credit"), Caption: cell("Media Caption"), Thumbnail: cell("Media Thumbnail")}); m != (media{}) {
			s.Media = &m
		}
		switch typ := strings.ToLower(cell("Type")); typ {
		case typeTitle:
			if f.Title != nil {
				c.add(at("Type"), "is a second title row: a sheet has one")
			}
			f.Title = &s
		case typeEra:
			f.Eras = append(f.Eras, era{StartDate: s.StartDate, EndDate: s.EndDate, Text: s.Text})
		case "":
			f.Events = append(f.Events, s)
			rows = append(rows, row)
		default:
			c.add(at("Type"), "%s is not a type of row (want title, era, or nothing for an event)", quote(typ))
		}
	}
	place := func(event int, field string) string {
		return cells.Place(sheet.Name, rows[event], fieldColumns[field])
	}
	if len(c.problems) > 0 {
		// The sheet's own problems come first; the rest of the checks still run.
		conv := &converter{place: place, problems: c.problems}
		conv.dataset(&f)
		return conv.missingPlaces(), &dataset.InvalidError{Problems: conv.problems}
	}
	return write(&f, place, w)
}

// sheetDate is a date from the template's cells; the Time cell holds
// "14", "14:30" or "14:30:15", with an optional AM or PM. A date with no
// cell filled is nil.
func (c *converter) sheetDate(year, month, day, clock, where string) *date {
	if year == "" && month == "" && day == "" && clock == "" {
		return nil
	}
	d := &date{Year: cellPart(year), Month: cellPart(month), Day: cellPart(day)}
	if clock == "" {
		return d
	}
	upper := strings.ToUpper(clock)
	pm := strings.HasSuffix(upper, "PM")
	twelve := pm || strings.HasSuffix(upper, "AM")
	hms := strings.Split(strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(upper, "PM"), "AM")), ":")
	nums := make([]int, len(hms))
	for i, p := range hms {
		n, err := strconv.Atoi(p)
		if err != nil || len(hms) > 3 || (twelve && (n < 1 || n > 12) && i == 0) {
			c.add(where, "%s is not a time (want HH, HH:MM or HH:MM:SS, with AM or PM or from 0 to 23)", quote(clock))
			return d
		}
		nums[i] = n
	}
	if twelve {
		nums[0] %= 12
		if pm {
			nums[0] += 12
		}
	}
	d.Hour = num(nums[0])
	if len(nums) > 1 {
		d.Minute = num(nums[1])
	}
	if len(nums) > 2 {
		d.Second = num(nums[2])
	}
	return d
}

func cellPart(s string) *part {
	if s == "" {
		return nil
	}
	return &part{raw: s}
}

// CSVWriter writes a story as TimelineJS's sheet template, as Writer writes
// its JSON, with every cell neutralised for spreadsheet programs.
type CSVWriter struct {
	cw *csv.Writer
	slideParts
	started bool
	err     error
}

// NewCSVWriter returns a CSVWriter to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{cw: csv.NewWriter(w), slideParts: newSlideParts()}
}

func (cw *CSVWriter) row(row map[string]string) {
	if cw.err != nil {
		return
	}
	record := make([]string, len(columns))
	for i, name := range columns {
		record[i] = cells.Neutralised(row[name])
	}
	cw.err = cw.cw.Write(record)
}

// Story writes the header and the title row.
func (cw *CSVWriter) Story(slug, title, description string) error {
	cw.started = true
	header := make(map[string]string, len(columns))
	for _, name := range columns {
		header[name] = name
	}
	cw.row(header)
	if title != "" || description != "" {
		cw.row(map[string]string{"Type": typeTitle, "Headline": title, "Text": htmlText(description)})
	}
	return cw.err
}

// Event writes an event's row, with what Writer would write of it.
func (cw *CSVWriter) Event(e *timeline.Event) error {
	if !cw.started {
		cw.Story("", "", "")
	}
	s := cw.slide(e)
	cells := map[string]string{"Headline": s.Text.Headline, "Text": s.Text.Text, "Group": s.Group, "Display Date": s.DisplayDate}
	dateCells(cells, "", s.StartDate)
	dateCells(cells, "End ", s.EndDate)
	if s.Media != nil {
		cells["Media"], cells["Media Credit"], cells["Media Caption"] = s.Media.URL, s.Media.Credit, s.Media.Caption
	}
	cw.row(cells)
	return cw.err
}

// dateCells writes a date's cells: a time to the hour is "14", to the
// minute "14:30".
func dateCells(cells map[string]string, prefix string, d *date) {
	if d == nil {
		return
	}
	for name, p := range map[string]*part{"Year": d.Year, "Month": d.Month, "Day": d.Day} {
		if p.given() {
			cells[prefix+name] = p.raw
		}
	}
	switch {
	case d.Minute.given():
		minute, _ := strconv.Atoi(d.Minute.raw)
		cells[prefix+"Time"] = fmt.Sprintf("%s:%02d", d.Hour.raw, minute)
	case d.Hour.given():
		cells[prefix+"Time"] = d.Hour.raw
	}
}

// Close flushes the sheet.
func (cw *CSVWriter) Close() error {
	if !cw.started {
		cw.Story("", "", "")
	}
	cw.cw.Flush()
	if cw.err == nil {
		cw.err = cw.cw.Error()
	}
	if cw.err != nil {
		return fmt.Errorf("write TimelineJS sheet: %w", cw.err)
	}
	return nil
}
