package timelinejs

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
)

// xlsxOf writes a CSV sheet's rows as an XLSX workbook of one sheet, as a
// spreadsheet program saves it.
func xlsxOf(t *testing.T, sheetName, src string) []byte {
	t.Helper()
	sheet, err := cells.ReadCSV(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	xw := cells.NewXLSXWriter(&out)
	for _, row := range sheet.Rows {
		xw.Row(sheetName, row)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// collected is what a scan hands on, kept.
type collected = dataset.Collector

func scanned(scan func(*collected) error) (*collected, error) {
	c := &collected{}
	return c, scan(c)
}

func TestScanXLSX(t *testing.T) {
	src, err := os.ReadFile("testdata/kremlin-drones.csv")
	if err != nil {
		t.Fatal(err)
	}
	book := xlsxOf(t, "Sheet1", string(src))
	if !cells.IsZip(book) {
		t.Fatal("the workbook does not start as a zip")
	}
	fromCSV, err := scanned(func(c *collected) error { return ScanCSV(bytes.NewReader(src), c) })
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := scanned(func(c *collected) error { return ScanXLSX(bytes.NewReader(book), c) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCSV.Dataset, fromXLSX.Dataset) {
		t.Errorf("the XLSX reads as\n%+v\nwant the CSV's\n%+v", fromXLSX.Dataset, fromCSV.Dataset)
	}

	t.Run("ProblemsPlacedBySheet", func(t *testing.T) {
		broken := strings.Replace(string(src), "2023,5,3,,,,,,Early", "2023,13,3,,,,,,Early", 1)
		err := ScanXLSX(bytes.NewReader(xlsxOf(t, "Timeline", broken)), nil)
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || !strings.Contains(err.Error(), "sheet Timeline, row 3, column Month: month 13 is not one of 1 to 12") {
			t.Errorf("a month of 13: %v", err)
		}
	})

	t.Run("NoTemplateSheet", func(t *testing.T) {
		err := ScanXLSX(bytes.NewReader(xlsxOf(t, "Notes", "Date,What\n2023,Something\n")), nil)
		if err == nil || !strings.Contains(err.Error(), "sheet Notes, row 1: no sheet starts with the header of TimelineJS's sheet template") {
			t.Errorf("a workbook without the template: %v", err)
		}
	})
}
