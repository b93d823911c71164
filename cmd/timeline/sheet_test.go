package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/story"
)

// timelineJSWorkbook is TimelineJS's sheet template of testdata as an XLSX,
// as Google Sheets downloads it.
func timelineJSWorkbook(t *testing.T) []byte {
	t.Helper()
	src, err := os.Open("../../internal/timelinejs/testdata/kremlin-drones.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sheet, err := cells.ReadCSV(src)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	xw := cells.NewXLSXWriter(&out)
	for _, row := range sheet.Rows {
		xw.Row("Timeline", row)
	}
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// eventTimes are the lines of an exported file that give when each event
// was added and changed.
var eventTimes = regexp.MustCompile(`(?m)^\s*"(added|changed)": "[^"]*",?\n`)

func withoutEventTimes(file string) string { return eventTimes.ReplaceAllString(file, "") }

func TestSheetRoundTrip(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tl.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, writeFile(t, "story.json", story.File)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	original, _, err := runCLI(t, nil, "export", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			sheet, stderr, err := runCLI(t, nil, "export", "--db", db, "--story", "drones-over-the-kremlin-may-2023", "--format", format)
			if err != nil {
				t.Fatalf("export: %v\n%s", err, stderr)
			}
			// Told from its content, under any name.
			db2 := filepath.Join(t.TempDir(), "two.db")
			if _, stderr, err := runCLI(t, nil, "import", "--db", db2, writeFile(t, "story.sheet", []byte(sheet))); err != nil || !strings.Contains(stderr, "stories drones-over-the-kremlin-may-2023): 29 events changed") {
				t.Fatalf("import of the %s export: %v\n%s", format, err, stderr)
			}
			// A sheet keeps no record of when the archive added and changed
			// each event: the file is the same but for those times.
			if back, _, _ := runCLI(t, nil, "export", "--db", db2); withoutEventTimes(back) != withoutEventTimes(original) {
				t.Errorf("the story through %s comes back as another file:\n%s", format, firstDifference(withoutEventTimes(back), withoutEventTimes(original)))
			}
			if format == "csv" {
				if again, _, _ := runCLI(t, nil, "export", "--db", db2, "--format", "csv"); again != sheet {
					t.Errorf("export, import, export of the CSV gives other bytes:\n%s", firstDifference(again, sheet))
				}
			}
			// Named, from standard input, into the first database: nothing changes.
			if _, stderr, err := runCLI(t, strings.NewReader(sheet), "import", "--db", db, "--format", format, "-"); err != nil || !strings.Contains(stderr, ": 0 events changed, 29 unchanged") {
				t.Errorf("import --format %s of the export: %v\n%s", format, err, stderr)
			}
		})
	}

	t.Run("ExportDir", func(t *testing.T) {
		dir := t.TempDir()
		if _, stderr, err := runCLI(t, nil, "export", "--db", db, "--format", "xlsx", "--dir", dir); err != nil {
			t.Fatalf("export --dir: %v\n%s", err, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "drones-over-the-kremlin-may-2023.xlsx")); err != nil {
			t.Error(err)
		}
	})

	t.Run("RefusedWritesNothing", func(t *testing.T) {
		sheet, _, _ := runCLI(t, nil, "export", "--db", db, "--format", "csv")
		broken := strings.Replace(strings.Replace(sheet, ",2023-05-03 early-hours,", ",2023-13-03,", 1), "(denies)", "(refutes)", 1)
		_, _, err := runCLI(t, nil, "import", "--db", db, writeFile(t, "broken.csv", []byte(broken)))
		for _, want := range []string{"nothing was written", "column When: \"2023-13-03\": there is no month 13", `column Answers: "`, `"refutes" is not a type of answer`} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("import of a broken sheet: %v\nwant %q", err, want)
			}
		}
		if after, _, _ := runCLI(t, nil, "export", "--db", db); after != original {
			t.Error("a refused sheet changed the database")
		}
	})

	t.Run("UnknownFormat", func(t *testing.T) {
		if _, _, err := runCLI(t, nil, "export", "--db", db, "--format", "timelinejs-xlsx"); exitCode(err) != 2 {
			t.Errorf("export --format timelinejs-xlsx: %v, want a usage error (it is read only)", err)
		}
	})
}

func TestImportTimelineJSWorkbook(t *testing.T) {
	book := timelineJSWorkbook(t)
	db := filepath.Join(t.TempDir(), "tl.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, writeFile(t, "drones.xlsx", book)); err != nil || !strings.Contains(stderr, "stories drones-over-the-kremlin-may-2023): 3 events changed") {
		t.Fatalf("import of TimelineJS's template as XLSX: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCLI(t, bytes.NewReader(book), "import", "--db", db, "--format", "timelinejs-xlsx", "-"); err != nil || !strings.Contains(stderr, ": 0 events changed, 3 unchanged") {
		t.Errorf("import --format timelinejs-xlsx: %v\n%s", err, stderr)
	}
	// Named as our template, it is read as ours, which it is not.
	if _, _, err := runCLI(t, bytes.NewReader(book), "import", "--db", db, "--format", "xlsx", "-"); err == nil || !strings.Contains(err.Error(), "file: has no Events table") {
		t.Errorf("import --format xlsx of TimelineJS's template: %v", err)
	}
}

func TestImportDirReadsEveryFormat(t *testing.T) {
	one := filepath.Join(t.TempDir(), "one.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", one, writeFile(t, "story.json", story.File)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	sheet, _, err := runCLI(t, nil, "export", "--db", one, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"a-kremlin.csv": []byte(strings.Replace(sheet, "\ndrones-over-the-kremlin-may-2023,", "\nkremlin-sheet,", 1)),
		"b-drones.xlsx": timelineJSWorkbook(t),
		"notes.txt":     []byte("not a story"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(t.TempDir(), "tl.db")
	_, stderr, err := runCLI(t, nil, "import", "--db", db, dir)
	if err != nil {
		t.Fatalf("import of the directory: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "stories kremlin-sheet, drones-over-the-kremlin-may-2023): 32 events changed") {
		t.Errorf("import said %q, want the CSV's 29 events and the workbook's 3, in name order", stderr)
	}
}

func TestImportRefusesZipBomb(t *testing.T) {
	// A part whose directory entry says it unpacks to 1 GiB is refused
	// before anything is unpacked.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, UncompressedSize64: 1 << 30, CompressedSize64: 2})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	zw.Close()
	db := filepath.Join(t.TempDir(), "tl.db")
	_, _, err = runCLI(t, nil, "import", "--db", db, writeFile(t, "bomb.xlsx", bomb.Bytes()))
	if err == nil || !strings.Contains(err.Error(), "file: unpacks to more than 128 MiB") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("import of a zip bomb: %v", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a refused import left a database behind")
	}
}

func TestSheetUnsourced(t *testing.T) {
	src, err := os.ReadFile("../../internal/sheet/testdata/small.csv")
	if err != nil {
		t.Fatal(err)
	}
	unsourced := writeFile(t, "small.csv", []byte(strings.Replace(string(src), "guardian: Two drones were brought down", "", 1)))
	db := filepath.Join(t.TempDir(), "tl.db")
	_, _, err = runCLI(t, nil, "import", "--db", db, unsourced)
	if err == nil || !strings.Contains(err.Error(), "row 13, column Sources: is empty: every event needs a source; add one in the Sources column") ||
		!strings.Contains(err.Error(), "or import with --allow-unsourced") {
		t.Fatalf("import of a row with no source: %v", err)
	}
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, "--allow-unsourced", unsourced); err != nil || !strings.Contains(stderr, "2 events changed") {
		t.Fatalf("import --allow-unsourced: %v\n%s", err, stderr)
	}
	if file, _, _ := runCLI(t, nil, "export", "--db", db); !strings.Contains(file, `"unsourced": true`) {
		t.Errorf("the export does not mark the event unsourced:\n%s", file)
	}
	sheet, _, err := runCLI(t, nil, "export", "--db", db, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, strings.NewReader(sheet), "import", "--db", db, "-"); err == nil {
		t.Error("the exported sheet with an unsourced row imports without --allow-unsourced")
	}
	if _, stderr, err := runCLI(t, strings.NewReader(sheet), "import", "--db", db, "--allow-unsourced", "-"); err != nil || !strings.Contains(stderr, ": 0 events changed, 2 unchanged") {
		t.Errorf("the exported sheet imported again: %v\n%s", err, stderr)
	}
}
