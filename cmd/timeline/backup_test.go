package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/synth"
)

// synthFile writes a synthetic archive of n events to a file.
func synthFile(t *testing.T, n int, seed uint64) string {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, fmt.Sprintf("synth-%d-%d.json", n, seed), buf.Bytes())
}

// TestBackup copies a database while imports change it: every copy is
// one committed state, whole.
func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, synthFile(t, 2000, 1)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	first, _, err := runCLI(t, nil, "export", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	files := []string{synthFile(t, 2000, 2), synthFile(t, 2000, 3), synthFile(t, 2000, 4)}

	// The writer: each import, then the state it committed.
	states := map[string]bool{first: true}
	var mu sync.Mutex
	writing := make(chan error, 1)
	go func() {
		ctx := context.Background()
		for _, f := range files {
			if err := run(ctx, []string{"import", "--db", db, f}, nil, io.Discard, io.Discard); err != nil {
				writing <- err
				return
			}
			var out bytes.Buffer
			if err := run(ctx, []string{"export", "--db", db}, nil, &out, io.Discard); err != nil {
				writing <- err
				return
			}
			mu.Lock()
			states[out.String()] = true
			mu.Unlock()
		}
		writing <- nil
	}()

	var copies []string
	for done := false; !done; {
		select {
		case err := <-writing:
			if err != nil {
				t.Fatal(err)
			}
			done = true
		case <-time.After(30 * time.Millisecond):
		}
		out := filepath.Join(dir, fmt.Sprintf("copy-%d.db", len(copies)))
		if _, stderr, err := runCLI(t, nil, "backup", "--db", db, out); err != nil {
			t.Fatalf("backup: %v\n%s", err, stderr)
		}
		copies = append(copies, out)
	}
	seen := map[string]bool{}
	for _, c := range copies {
		got, _, err := runCLI(t, nil, "export", "--db", c)
		if err != nil {
			t.Fatalf("export of %s: %v", filepath.Base(c), err)
		}
		if !states[got] {
			t.Errorf("%s is no committed state (%d bytes)", filepath.Base(c), len(got))
		}
		seen[got] = true
	}
	t.Logf("%d copies, of %d of the %d committed states", len(copies), len(seen), len(states))
	if len(copies) < 3 {
		t.Errorf("only %d copies were made while the imports ran", len(copies))
	}

	t.Run("RefusesAnExistingFile", func(t *testing.T) {
		out := writeFile(t, "taken.db", []byte("someone's file"))
		_, _, err := runCLI(t, nil, "backup", "--db", db, out)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("err = %v, want a refusal", err)
		}
		if b, _ := os.ReadFile(out); string(b) != "someone's file" {
			t.Errorf("the file at OUT was changed: %q", b)
		}
		leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp"))
		if len(leftovers) != 0 {
			t.Errorf("left behind: %v", leftovers)
		}
	})
	t.Run("Usage", func(t *testing.T) {
		if _, _, err := runCLI(t, nil, "backup", "--db", db); err == nil || !strings.Contains(err.Error(), "one argument") {
			t.Errorf("no OUT: %v", err)
		}
		if _, _, err := runCLI(t, nil, "backup", "--db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "no database at") {
			t.Errorf("no database: %v", err)
		}
	})
}
