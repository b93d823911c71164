package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// archiveFile writes a database file complete in itself (no -wal) at path:
// a story with the title, and n events named e0000… of which the first is
// shared by every archive.
func archiveFile(t *testing.T, path, title string, n int) {
	t.Helper()
	db := sqlitetest.MustOpenPath(t, path)
	ds := sqlitetest.ManyEvents(t, n)
	ds.Title = title
	sqlitetest.MustImport(t, db, ds)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// openReplica opens path read-only, as `timeline serve --read-only` does.
func openReplica(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// eventually polls check until it returns nil, or fails the test after d.
func eventually(t *testing.T, d time.Duration, check func() error) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		err := check()
		if err == nil {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("after %s: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// titleIs checks the title of the file's one story, as the front page
// would read it.
func titleIs(db *sqlite.DB, want string) func() error {
	return func() error {
		page, err := db.FindStories(context.Background(), nil, 1, 0)
		if err != nil {
			return err
		}
		if len(page.Stories) != 1 || page.Stories[0].Title != want {
			return fmt.Errorf("stories %+v, want one titled %q", page.Stories, want)
		}
		return nil
	}
}

// readers reads an event every archive has, and the story, until stop,
// and counts each answer by what it was: "ok", or the error's code.
func readers(db *sqlite.DB) (stop func() map[string]int) {
	var (
		mu     sync.Mutex
		counts = map[string]int{}
		done   atomic.Bool
		wg     sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for !done.Load() {
				_, err := db.FindEvent(ctx, "e0000")
				if err == nil {
					_, err = db.FindArchive(ctx)
				}
				what := "ok"
				if err != nil {
					what = timeline.ErrorCode(err) + ": " + err.Error()
					if timeline.ErrorCode(err) == timeline.EUNAVAILABLE {
						what = timeline.EUNAVAILABLE
					}
				}
				mu.Lock()
				counts[what]++
				mu.Unlock()
			}
		}()
	}
	return func() map[string]int {
		done.Store(true)
		wg.Wait()
		return counts
	}
}

// TestReplicaFileReplaced replaces the file a read-only store serves, the
// way the README's procedure does and the ways it warns against.
func TestReplicaFileReplaced(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "replica.db")
	archiveFile(t, path, "first", 30)
	db := openReplica(t, path)
	if err := titleIs(db, "first")(); err != nil {
		t.Fatal(err)
	}
	if a, err := db.FindArchive(ctx); err != nil || a.Reopens != 0 {
		t.Fatalf("archive %+v, %v", a, err)
	}

	t.Run("MovedIn", func(t *testing.T) {
		stop := readers(db)
		next := filepath.Join(dir, "next.db")
		// The same data version as the file served, with other data: the
		// story names the file too.
		archiveFile(t, next, "second", 40)
		if err := os.Rename(next, path); err != nil {
			t.Fatal(err)
		}
		lag := eventually(t, 10*time.Second, titleIs(db, "second"))
		t.Logf("served the new file %s after the move", lag.Round(time.Millisecond))
		counts := stop()
		if len(counts) != 1 || counts["ok"] == 0 {
			t.Errorf("answers while the file was replaced: %v, want only ok", counts)
		}
		if a, _ := db.FindArchive(ctx); a.Reopens != 1 || a.DataVersion != 1 {
			t.Errorf("archive %+v, want the same data version in the next file", a)
		}
		if _, err := db.FindEvent(ctx, "e0039"); err != nil {
			t.Errorf("an event only the new file has: %v", err)
		}
		if err := db.Ready(ctx); err != nil {
			t.Errorf("Ready: %v", err)
		}
	})

	t.Run("NotFoundWhileBehind", func(t *testing.T) {
		// While another file waits at the path, "not found" may be wrong.
		next := filepath.Join(dir, "next.db")
		archiveFile(t, next, "third", 50)
		if err := os.Rename(next, path); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindEvent(ctx, "e0049"); err != nil && timeline.ErrorCode(err) != timeline.EUNAVAILABLE {
			t.Errorf("an event only the waiting file has: %v, want it or EUNAVAILABLE", err)
		}
		eventually(t, 10*time.Second, titleIs(db, "third"))
		if _, err := db.FindEvent(ctx, "nothing"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
			t.Errorf("once served, an unknown event: %v, want ENOTFOUND", err)
		}
	})

	t.Run("CopiedOver", func(t *testing.T) {
		// cp over the open file: the same inode, other bytes.
		other := filepath.Join(t.TempDir(), "other.db")
		archiveFile(t, other, "copied", 2000)
		data, err := os.ReadFile(other)
		if err != nil {
			t.Fatal(err)
		}
		stop := readers(db)
		time.Sleep(100 * time.Millisecond)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		unready := false
		lag := eventually(t, 15*time.Second, func() error {
			if db.Ready(ctx) != nil {
				unready = true
			}
			return titleIs(db, "copied")()
		})
		t.Logf("served the copied file %s after the copy", lag.Round(time.Millisecond))
		counts := stop()
		for what := range counts {
			if what != "ok" && what != timeline.EUNAVAILABLE {
				t.Errorf("answers while the file was copied over: %v, want only ok and %s", counts, timeline.EUNAVAILABLE)
				break
			}
		}
		if !unready {
			t.Error("Ready never failed while the file was being replaced in place")
		}
		if err := db.Ready(ctx); err != nil {
			t.Errorf("Ready once settled: %v", err)
		}
		if _, err := db.FindEvent(ctx, "e1999"); err != nil {
			t.Errorf("an event of the copied file: %v", err)
		}
	})

	t.Run("Missing", func(t *testing.T) {
		aside := filepath.Join(dir, "aside.db")
		if err := os.Rename(path, aside); err != nil {
			t.Fatal(err)
		}
		if err := db.Ready(ctx); err == nil {
			t.Error("Ready with no file at the path")
		}
		if _, err := db.FindEvent(ctx, "e0000"); err != nil {
			t.Errorf("the open file still answers: %v", err)
		}
		if err := os.Rename(aside, path); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, func() error { return db.Ready(ctx) })
	})

	t.Run("NotADatabaseMovedIn", func(t *testing.T) {
		junk := filepath.Join(dir, "junk.db")
		if err := os.WriteFile(junk, []byte("not a database, but as long as a page header would be, and longer still than that......"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(junk, path); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, func() error {
			if db.Ready(ctx) == nil {
				return fmt.Errorf("ready with junk at the path")
			}
			return nil
		})
		// What was served goes on being served; the junk is never opened.
		if err := titleIs(db, "copied")(); err != nil {
			t.Error(err)
		}
		next := filepath.Join(dir, "next.db")
		archiveFile(t, next, "after junk", 10)
		if err := os.Rename(next, path); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, titleIs(db, "after junk"))
		eventually(t, 10*time.Second, func() error { return db.Ready(ctx) })
	})
}

// TestReplicaBesideWriter: a read-only store on the file a writer is
// changing follows it through SQLite, checkpoints included, and never
// takes them for a replacement.
func TestReplicaBesideWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "live.db")
	rw := sqlitetest.MustOpenPath(t, path)
	first := sqlitetest.ManyEvents(t, 10)
	first.Slug = "live" // one story, retitled by each import
	sqlitetest.MustImport(t, rw, first)
	ro := openReplica(t, path)
	stop := readers(ro)
	for i := range 8 {
		ds := sqlitetest.ManyEvents(t, 10+200*(i+1))
		ds.Slug, ds.Title = "live", fmt.Sprint("import ", i)
		sqlitetest.MustImport(t, rw, ds)
		if i%2 == 1 {
			if _, err := sqlite.WriteConn(rw).Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(150 * time.Millisecond)
	}
	eventually(t, 5*time.Second, titleIs(ro, "import 7"))
	time.Sleep(2 * sqlite.WatchInterval)
	if counts := stop(); len(counts) != 1 || counts["ok"] == 0 {
		t.Errorf("answers beside a writer: %v, want only ok", counts)
	}
	if a, _ := ro.FindArchive(ctx); a.Reopens != 0 {
		t.Errorf("the store reopened a file only SQLite wrote: %+v", a)
	}
	if err := ro.Ready(ctx); err != nil {
		t.Errorf("Ready: %v", err)
	}
}
