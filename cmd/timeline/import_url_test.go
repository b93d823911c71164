package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/story"
)

// unsourcedSheet is a TimelineJS sheet whose second row names no source.
const unsourcedSheet = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n" +
	"2023,5,3,,,,,,,Drones downed,,https://wire.example/a,Wire,,,,Kremlin,\n" +
	"2023,5,4,,,,,,,Rumour spreads,,,,,,,Kremlin,\n"

func TestImportUnsourced(t *testing.T) {
	sheet := writeFile(t, "sheet.csv", []byte(unsourcedSheet))

	t.Run("RefusedWithTheRowAndWhatToAdd", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "tl.db")
		_, _, err := runCLI(t, nil, "import", "--db", db, "--story", "drones", sheet)
		if err == nil {
			t.Fatal("a row with no source imported without --allow-unsourced")
		}
		for _, want := range []string{"nothing was written", "row 3, column Media Credit", "add media.url", "--allow-unsourced"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the error does not say %q:\n%v", want, err)
			}
		}
	})

	db := filepath.Join(t.TempDir(), "tl.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, "--story", "drones", "--allow-unsourced", sheet); err != nil || !strings.Contains(stderr, "2 events changed") {
		t.Fatalf("import --allow-unsourced: %v\n%s", err, stderr)
	}
	// The export says which event is unsourced, and imports again only
	// with the flag.
	export, _, err := runCLI(t, nil, "export", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(export, `"unsourced": true`); n != 1 {
		t.Fatalf("the export marks %d events unsourced, want 1:\n%s", n, export)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	if _, _, err := runCLI(t, strings.NewReader(export), "import", "--db", other, "-"); err == nil || !strings.Contains(err.Error(), "is marked unsourced") {
		t.Errorf("the export imported without the flag: %v", err)
	}
	if _, stderr, err := runCLI(t, strings.NewReader(export), "import", "--db", db, "--allow-unsourced", "-"); err != nil || !strings.Contains(stderr, ": 0 events changed, 2 unchanged") {
		t.Errorf("the export imported back with the flag: %v\n%s", err, stderr)
	}
	// TimelineJS's formats have no mark: a row without media is the mark.
	for _, format := range []string{formatTimelineJS, formatTimelineJSCSV} {
		out, _, err := runCLI(t, nil, "export", "--db", db, "--format", format)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := runCLI(t, strings.NewReader(out), "import", "--db", filepath.Join(t.TempDir(), "tl.db"), "--story", "drones", "-"); err == nil || !strings.Contains(err.Error(), "names no source") {
			t.Errorf("%s export imported without the flag: %v", format, err)
		}
		if _, stderr, err := runCLI(t, strings.NewReader(out), "import", "--db", db, "--story", "drones", "--allow-unsourced", "-"); err != nil || !strings.Contains(stderr, "2 unchanged") {
			t.Errorf("%s export imported back with the flag: %v\n%s", format, err, stderr)
		}
	}
}

func TestImportURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/story.json", func(w http.ResponseWriter, r *http.Request) { w.Write(story.File) })
	mux.HandleFunc("/sheet.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte(unsourcedSheet))
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/moved", http.StatusFound) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	t.Run("OurFormat", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "tl.db")
		if _, stderr, err := runCLI(t, nil, "import", "--db", db, srv.URL+"/story.json"); err != nil || !strings.Contains(stderr, "events changed, 0 unchanged") {
			t.Fatalf("import URL: %v\n%s", err, stderr)
		}
		fromDisk := filepath.Join(t.TempDir(), "disk.db")
		if _, _, err := runCLI(t, nil, "import", "--db", fromDisk, writeFile(t, "story.json", story.File)); err != nil {
			t.Fatal(err)
		}
		fetched, _, err1 := runCLI(t, nil, "export", "--db", db)
		read, _, err2 := runCLI(t, nil, "export", "--db", fromDisk)
		if err1 != nil || err2 != nil || fetched != read || len(fetched) < 1000 {
			t.Errorf("the story fetched exports otherwise than the file read: %v, %v", err1, err2)
		}
	})
	t.Run("SheetToldFromItsContent", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "tl.db")
		if _, stderr, err := runCLI(t, nil, "import", "--db", db, "--story", "drones", "--allow-unsourced", srv.URL+"/sheet.csv"); err != nil || !strings.Contains(stderr, "2 events changed") {
			t.Fatalf("import URL of a sheet: %v\n%s", err, stderr)
		}
	})
	failures := []struct{ name, arg, says string }{
		{"NotFound", srv.URL + "/gone", "404 Not Found"},
		{"RedirectLoop", srv.URL + "/moved", "redirected more than"},
		{"FileScheme", "file:///etc/passwd", "not an http or https address"},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "tl.db")
			_, _, err := runCLI(t, nil, "import", "--db", db, f.arg)
			if err == nil || !strings.Contains(err.Error(), f.says) || !strings.Contains(err.Error(), "nothing was written") {
				t.Errorf("import %s: %v, want %q", f.arg, err, f.says)
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("a database was left behind")
			}
		})
	}
}
