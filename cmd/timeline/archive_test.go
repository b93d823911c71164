package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/story"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestFirstStartBesideAnImport: the bundled story goes only into a file no
// import has begun on, whether the import is running, was killed, or two
// servers start at once.
func TestFirstStartBesideAnImport(t *testing.T) {
	ctx := context.Background()
	bundled, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ImportRunning", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		importer, err := openDB(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer importer.Close()
		if err := importer.MarkImported(ctx); err != nil {
			t.Fatal(err)
		}
		im, err := importer.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Story("", "Someone's archive", ""); err != nil {
			t.Fatal(err)
		}
		// A server starting now opens the file and leaves it to the import.
		srv, err := openDB(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatalf("a server starting beside an import: %v", err)
		}
		defer srv.Close()
		if err := loadBundledStory(ctx, srv, discardLogger()); err != nil {
			t.Fatalf("first start beside an import: %v", err)
		}
		if _, err := im.Commit(); err != nil {
			t.Fatal(err)
		}
		page, err := srv.FindStories(ctx, nil, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Stories) != 1 || page.Stories[0].Title != "Someone's archive" {
			t.Errorf("stories %+v: the bundled story went into an imported archive", page.Stories)
		}
	})

	t.Run("ImportKilled", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		db, err := openDB(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// An import that began and died: its mark committed, its data not.
		if err := db.MarkImported(ctx); err != nil {
			t.Fatal(err)
		}
		if err := loadBundledStory(ctx, db, discardLogger()); err != nil {
			t.Fatal(err)
		}
		if st, _ := db.FindArchive(ctx); st.DataVersion != 0 {
			t.Errorf("data version %d: the bundled story went into a file an import began", st.DataVersion)
		}
		db.Close()
		// The next import treats it as the new file it is.
		if _, stderr, err := runCLI(t, nil, "import", "--db", path, writeFile(t, "story.json", story.File)); err != nil {
			t.Fatalf("import after a killed one: %v\n%s", err, stderr)
		}
	})

	t.Run("TwoFirstStarts", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := openDB(ctx, path, sqlite.Options{})
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				errs[i] = loadBundledStory(ctx, db, discardLogger())
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("start %d: %v", i, err)
			}
		}
		db, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		st, err := db.FindArchive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.DataVersion != 1 {
			t.Errorf("data version %d after two first starts, want 1 (loaded once)", st.DataVersion)
		}
		out, _, err := runCLI(t, nil, "export", "--db", path)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(out, `"summary": `); got != len(bundled.Events) {
			t.Errorf("%d events after two first starts, want %d", got, len(bundled.Events))
		}
	})
}

// TestExportLeavesNoWAL: export reads a database and leaves its folder as
// it found it.
func TestExportLeavesNoWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", path, writeFile(t, "story.json", story.File)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if _, _, err := runCLI(t, nil, "export", "--db", path); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("export left %s behind", filepath.Base(path+suffix))
		}
	}
}

// TestReadOnlyVolume opens a database on a read-only filesystem, as a
// replica shipped in a container is, with export and a read-only server.
// Making one takes a bind mount, so the test needs root.
func TestReadOnlyVolume(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a read-only bind mount needs root")
	}
	ctx := context.Background()
	src, ro := t.TempDir(), t.TempDir()
	path := filepath.Join(src, "one.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", path, writeFile(t, "story.json", story.File)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	want, _, err := runCLI(t, nil, "export", "--db", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--bind", src, ro}, {"-o", "remount,ro,bind", ro}} {
		if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
			exec.Command("umount", ro).Run()
			if os.Getenv("CI") == "true" {
				t.Fatalf("mount %v: %v\n%s", args, err, out)
			}
			t.Skipf("mount %v: %v", args, err)
		}
	}
	t.Cleanup(func() { exec.Command("umount", ro).Run() })
	roPath := filepath.Join(ro, "one.db")
	if err := os.WriteFile(filepath.Join(ro, "probe"), nil, 0o644); err == nil {
		t.Fatal("the mount is writable")
	}

	got, stderr, err := runCLI(t, nil, "export", "--db", roPath)
	if err != nil || got != want {
		t.Errorf("export from a read-only volume: %v (%d bytes, want %d)\n%s", err, len(got), len(want), stderr)
	}
	db, err := openDB(ctx, roPath, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("serve --read-only on a read-only volume: %v", err)
	}
	defer db.Close()
	if st, err := db.FindArchive(ctx); err != nil || st.DataVersion == 0 {
		t.Errorf("story on a read-only volume: %+v, %v", st, err)
	}

	t.Run("MissingFile", func(t *testing.T) {
		_, err := openDB(ctx, filepath.Join(ro, "missing.db"), sqlite.Options{ReadOnly: true})
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("a missing file read-only: %v, want it said to not exist", err)
		}
	})
}
