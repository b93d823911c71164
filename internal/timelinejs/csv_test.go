package timelinejs

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/timeline"
)

const header = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"

func readCSV(t *testing.T, src string) (*timeline.Dataset, error) {
	t.Helper()
	var out bytes.Buffer
	if err := ConvertCSV(strings.NewReader(src), &out); err != nil {
		if out.Len() != 0 {
			t.Errorf("a refused sheet wrote %d bytes", out.Len())
		}
		return nil, err
	}
	ds, err := readOurs(&out)
	if err != nil {
		t.Fatalf("the converted sheet does not validate: %v", err)
	}
	return ds, nil
}

func TestConvertSheet(t *testing.T) {
	src, err := os.ReadFile("testdata/kremlin-drones.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !DetectCSV(src) || Detect(src) {
		t.Fatal("the sheet is not told to be TimelineJS's template")
	}
	var out bytes.Buffer
	if err := ConvertCSV(bytes.NewReader(src), &out); err != nil {
		t.Fatal(err)
	}
	ds, err := readOurs(&out)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Title != "Drones over the Kremlin, May 2023" || len(ds.Events) != 3 {
		t.Fatalf("title %q and %d events, want the title row's and 3 (the era row is not an event)", ds.Title, len(ds.Events))
	}
	if w := ds.Events[2].When; w.Text() != "1945" || w.Precision != timeline.PrecisionYear {
		t.Errorf("a row with only a year reads as %q (%s), want the year", w.Text(), w.Precision)
	}
	if got := ds.Events[0].DisplayDate; got != "Early hours of 3 May 2023" {
		t.Errorf("Display Date %q, want it kept", got)
	}
	if got := ds.Events[0].Body; got != "Putin was not in residence at the time of the alleged attack." {
		t.Errorf("a cell's second paragraph read as %q", got)
	}
}

func TestSheetProblems(t *testing.T) {
	tests := []struct {
		name, rows, where, message string
	}{
		{"Month13", "2023,13,,,,,,,,A headline,,,An outlet,,,,A group,\n", "row 2, column Month", "month 13"},
		{"February31", "2023,2,31,,,,,,,A headline,,,An outlet,,,,A group,\n", "row 2, column Day", "February has no day 31"},
		{"BadTime", "2023,2,3,25:99,,,,,,A headline,,,An outlet,,,,A group,\n", "row 2, column Time", "hour 25"},
		{"NotATime", "2023,2,3,noon,,,,,,A headline,,,An outlet,,,,A group,\n", "row 2, column Time", "is not a time"},
		{"NoSource", "2023,2,3,,,,,,,A headline,,,,,,,A group,\n", "row 2, column Media Credit", "add media.url"},
		{"NoGroup", ",,,,,,,,,A title,,,,,,title,,\n2023,2,3,,,,,,,A headline,,,An outlet,,,,,\n", "row 3, column Group", "add a group"},
		{"UnknownType", "2023,2,3,,,,,,,A headline,,,An outlet,,,slide,A group,\n", "row 2, column Type", "is not a type of row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readCSV(t, header+tt.rows)
			for _, p := range problems(t, err) {
				if p.Where == tt.where && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("problems %v, want %s: …%s…", err, tt.where, tt.message)
		})
	}
	t.Run("MissingColumns", func(t *testing.T) {
		_, err := readCSV(t, "Year,Month,Headline\n2023,1,x\n")
		if p := problems(t, err); len(p) != 1 || p[0].Where != "row 1" || !strings.Contains(p[0].Message, `"Day"`) {
			t.Errorf("got %v, want the missing columns named", err)
		}
	})
	t.Run("EveryRowAtOnce", func(t *testing.T) {
		_, err := readCSV(t, header+"2023,13,,,,,,,,A,,,An outlet,,,,A group,\n2023,2,30,,,,,,,B,,,,,,,A group,\n")
		if p := problems(t, err); len(p) != 3 {
			t.Errorf("got %v, want three problems on two rows", err)
		}
	})
}

func TestSheetTimes(t *testing.T) {
	for clock, want := range map[string]string{"14": "2023-05-03T14", "14:30": "2023-05-03T14:30", "2:30 PM": "2023-05-03T14:30", "12:05 AM": "2023-05-03T00:05", "14:30:15": "2023-05-03T14:30"} {
		ds, err := readCSV(t, header+"2023,5,3,"+clock+",,,,,,A headline,,,An outlet,,,,A group,\n")
		if err != nil {
			t.Errorf("%s: %v", clock, err)
			continue
		}
		if got := ds.Events[0].When.Text(); got != want {
			t.Errorf("Time %q read as %q, want %q", clock, got, want)
		}
	}
}

func TestSheetHostileCells(t *testing.T) {
	src := header + `2023,5,3,,,,,,,"=HYPERLINK(""https://evil.example"",""click"")","<script>alert(1)</script><p>Words <a href=""javascript:alert(1)"">here</a></p>",,@SUM(A1),,,,+cmd|' /C calc'!A0,
`
	ds, err := readCSV(t, src)
	if err != nil {
		t.Fatal(err)
	}
	e := ds.Events[0]
	if text := e.Summary + e.Body; strings.Contains(text, "alert") || strings.ContainsAny(text, "<>") {
		t.Errorf("script kept in %q", e.Summary)
	}
	var out bytes.Buffer
	cw := NewCSVWriter(&out)
	cw.Story("", "=1+1", "")
	for _, a := range ds.Actors {
		cw.Actor(a)
	}
	for _, s := range ds.Sources {
		cw.Source(s)
	}
	cw.Event(&ds.Events[0])
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	written := out.String()
	records, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, record := range records[1:] {
		for i, cell := range record {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("column %s: cell %q would be read as a formula", columns[i], cell)
			}
		}
	}
	back, err := readCSV(t, written)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Events[0]; got.Title != e.Title || got.Summary != e.Summary || got.Body != e.Body || back.Actors[0].Name != ds.Actors[0].Name || back.Title != "=1+1" {
		t.Errorf("neutralised cells read back as %q %q %q %q, want %q %q %q", got.Title, got.Summary, back.Actors[0].Name, back.Title, e.Title, e.Summary, ds.Actors[0].Name)
	}
}

func TestSheetRoundTrip(t *testing.T) {
	first := mustRead(t, testFile(t))
	var out bytes.Buffer
	cw := NewCSVWriter(&out)
	cw.Story("drones", first.Title, first.Description)
	for _, a := range first.Actors {
		cw.Actor(a)
	}
	for _, s := range first.Sources {
		cw.Source(s)
	}
	for i := range first.Events {
		cw.Event(&first.Events[i])
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	if !DetectCSV(out.Bytes()) {
		t.Fatalf("the export is not told to be the template:\n%s", out.String())
	}
	second, err := readCSV(t, out.String())
	if err != nil {
		t.Fatal(err)
	}
	if first.Title != second.Title || first.Description != second.Description || len(first.Events) != len(second.Events) {
		t.Fatalf("story came back as %q, %q with %d events", second.Title, second.Description, len(second.Events))
	}
	for i := range first.Events {
		a, b := first.Events[i], second.Events[i]
		// The template has no column for unique_id: slugs are made from headlines again.
		if a.Title != b.Title || a.Summary != b.Summary || a.Body != b.Body || a.When != b.When || a.Until != b.Until || a.Actors[0] != b.Actors[0] || a.Sources[0] != b.Sources[0] || a.DisplayDate != b.DisplayDate {
			t.Errorf("row %d came back as\n%+v\nwant\n%+v", i, b, a)
		}
	}
}
