package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestArchiveOfStories drives an archive of two stories through the
// command line: the bundled one (in the first format) and a small
// synthetic one.
func TestArchiveOfStories(t *testing.T) {
	dir := t.TempDir()
	db1, db2 := filepath.Join(dir, "one.db"), filepath.Join(dir, "two.db")
	synthetic, _, err := runCLI(t, nil, "synth", "--events", "40", "--seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"synthetic":                        []byte(synthetic),
		"drones-over-the-kremlin-may-2023": story.File,
	}
	// The synthetic story first, so that the bundled one is the more
	// recently updated: the list's order is not the slugs'.
	for _, name := range []string{"synthetic", "drones-over-the-kremlin-may-2023"} {
		if _, stderr, err := runCLI(t, nil, "import", "--db", db1, writeFile(t, name+".json", files[name])); err != nil {
			t.Fatalf("import %s: %v\n%s", name, err, stderr)
		}
	}

	t.Run("Stories", func(t *testing.T) {
		stdout, _, err := runCLI(t, nil, "stories", "--db", db1)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "SLUG EVENTS CLAIMS TITLE" {
			t.Fatalf("stories wrote:\n%s", stdout)
		}
		for i, slug := range []string{"drones-over-the-kremlin-may-2023", "synthetic"} {
			ds, err := dataset.Read(bytes.NewReader(files[slug]))
			if err != nil {
				t.Fatal(err)
			}
			claims := 0
			for _, e := range ds.Events {
				if slices.Contains(timeline.ClaimKinds, e.Kind) {
					claims++
				}
			}
			got := strings.Fields(lines[1+i])
			want := append([]string{slug, strconv.Itoa(len(ds.Events)), strconv.Itoa(claims)}, strings.Fields(ds.Title)...)
			if !slices.Equal(got, want) {
				t.Errorf("line %d: got %q, want %q", 1+i, got, want)
			}
		}
	})

	out1, out2 := filepath.Join(dir, "out1"), filepath.Join(dir, "out2")
	t.Run("RoundTripIsByteIdentical", func(t *testing.T) {
		if _, _, err := runCLI(t, nil, "export", "--db", db1, "--dir", out1); err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runCLI(t, nil, "import", "--db", db2, out1); err != nil {
			t.Fatalf("import of the exported directory: %v\n%s", err, stderr)
		}
		if _, _, err := runCLI(t, nil, "export", "--db", db2, "--dir", out2); err != nil {
			t.Fatal(err)
		}
		first, second := readDir(t, out1), readDir(t, out2)
		if got := slices.Sorted(maps.Keys(first)); !slices.Equal(got, []string{"drones-over-the-kremlin-may-2023.json", "synthetic.json"}) {
			t.Fatalf("export --dir wrote %q", got)
		}
		for name, b := range first {
			if len(b) < 1000 {
				t.Errorf("%s is suspiciously small: %d bytes", name, len(b))
			}
			if !bytes.Equal(b, second[name]) {
				t.Errorf("%s: export → import → export differs:\n%s", name, firstDifference(string(b), string(second[name])))
			}
		}
		if len(second) != len(first) {
			t.Errorf("the second export wrote %d files, the first %d", len(second), len(first))
		}
	})

	t.Run("ReimportChangesNothing", func(t *testing.T) {
		for db, version := range map[string]string{db1: "data version 2", db2: "data version 1"} {
			_, stderr, err := runCLI(t, nil, "import", "--db", db, out1)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{": 0 events changed", "0 withdrawn; 0 actors and 0 sources changed; " + version + "\n"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("%s: import of the exported directory said %q, want %q", filepath.Base(db), stderr, want)
				}
			}
		}
	})
}

// readDir reads every file of dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}
