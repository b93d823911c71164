package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

func exported(t *testing.T, db string) *timeline.Dataset {
	t.Helper()
	out, stderr, err := runCLI(t, nil, "export", "--db", db)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	ds, err := dataset.Read(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func sameMembers[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[T]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestImportTimelineJS(t *testing.T) {
	src, err := os.ReadFile("../../internal/timelinejs/testdata/kremlin-drones.json")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "drones.json", src)
	dir := t.TempDir()
	db := filepath.Join(dir, "tl.db")

	_, stderr, err := runCLI(t, nil, "import", "--db", db, file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "stories drones-over-the-kremlin-may-2023): 4 events changed") {
		t.Errorf("import said %q, want the story named from the title slide and 4 events", stderr)
	}

	t.Run("SecondImportChangesNothing", func(t *testing.T) {
		_, stderr, err := runCLI(t, nil, "import", "--db", db, "--format", "timelinejs", file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, ": 0 events changed, 4 unchanged") || !strings.Contains(stderr, "0 actors and 0 sources changed") {
			t.Errorf("second import said %q", stderr)
		}
	})

	t.Run("StoryFlag", func(t *testing.T) {
		_, stderr, err := runCLI(t, nil, "import", "--db", filepath.Join(t.TempDir(), "s.db"), "--story", "drones", file)
		if err != nil || !strings.Contains(stderr, "stories drones)") {
			t.Errorf("import --story said %q, %v", stderr, err)
		}
	})

	t.Run("RefusedWritesNothing", func(t *testing.T) {
		broken := writeFile(t, "broken.json", []byte(strings.Replace(string(src), `"credit": "The Guardian"`, `"caption": "no credit"`, 1)))
		before, _, err := runCLI(t, nil, "export", "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = runCLI(t, nil, "import", "--db", db, broken)
		if err == nil || !strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "events[1].media: names no source") {
			t.Errorf("import of a slide without a source: %v", err)
		}
		after, _, _ := runCLI(t, nil, "export", "--db", db)
		if before != after {
			t.Error("a refused import changed the database")
		}
	})

	t.Run("ExportRoundTrip", func(t *testing.T) {
		tljs, stderr, err := runCLI(t, nil, "export", "--db", db, "--format", "timelinejs")
		if err != nil {
			t.Fatalf("export: %v\n%s", err, stderr)
		}
		db2 := filepath.Join(t.TempDir(), "two.db")
		if _, stderr, err := runCLI(t, strings.NewReader(tljs), "import", "--db", db2, "--story", "drones-over-the-kremlin-may-2023", "-"); err != nil {
			t.Fatalf("import of the export: %v\n%s", err, stderr)
		}
		// The events come back the same; the actors and sources are listed
		// in the events' order rather than the first file's.
		one, two := exported(t, db), exported(t, db2)
		if !reflect.DeepEqual(one.Events, two.Events) {
			t.Errorf("the TimelineJS export imported gives other events:\n%+v\nwant\n%+v", two.Events, one.Events)
		}
		if !sameMembers(one.Actors, two.Actors) || !sameMembers(one.Sources, two.Sources) {
			t.Errorf("actors and sources came back as %+v %+v, want %+v %+v", two.Actors, two.Sources, one.Actors, one.Sources)
		}
	})

	t.Run("UnknownFormat", func(t *testing.T) {
		if _, _, err := runCLI(t, nil, "export", "--db", db, "--format", "ods"); exitCode(err) != 2 {
			t.Errorf("export --format ods: %v, want a usage error", err)
		}
	})
}

func TestImportTimelineJSSheet(t *testing.T) {
	src, err := os.ReadFile("../../internal/timelinejs/testdata/kremlin-drones.csv")
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "drones.csv", src)
	db := filepath.Join(t.TempDir(), "tl.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, file); err != nil || !strings.Contains(stderr, "3 events changed") {
		t.Fatalf("import of the sheet: %v\n%s", err, stderr)
	}
	sheet, stderr, err := runCLI(t, nil, "export", "--db", db, "--format", "timelinejs-csv")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(sheet, "Year,Month,Day,Time,End Year,") {
		t.Errorf("the sheet starts %q", sheet[:min(len(sheet), 60)])
	}
	// The sheet has no column for slugs: the events come back with the
	// slugs their headlines give, which the first import gave them too.
	if _, stderr, err := runCLI(t, strings.NewReader(sheet), "import", "--db", db, "--format", "timelinejs-csv", "-"); err != nil || !strings.Contains(stderr, ": 0 events changed, 3 unchanged") {
		t.Errorf("the exported sheet imported again: %v\n%s", err, stderr)
	}

	t.Run("ExportDir", func(t *testing.T) {
		dir := t.TempDir()
		if _, stderr, err := runCLI(t, nil, "export", "--db", db, "--format", "timelinejs-csv", "--dir", dir); err != nil {
			t.Fatalf("export --dir: %v\n%s", err, stderr)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "drones-over-the-kremlin-may-2023.csv")); err != nil || string(got) != sheet {
			t.Errorf("the sheet in the directory: %v, %d bytes, want the %d of standard output", err, len(got), len(sheet))
		}
	})

	broken := writeFile(t, "broken.csv", []byte(strings.Replace(string(src), "2023,5,3,,,,,,Early", "2023,2,31,,,,,,Early", 1)))
	_, _, err = runCLI(t, nil, "import", "--db", db, broken)
	if err == nil || !strings.Contains(err.Error(), "row 3, column Day: February has no day 31") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("import of 31 February: %v", err)
	}
}
