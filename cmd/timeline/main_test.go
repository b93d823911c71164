package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/synth"
)

// runCLI runs the command line in-process and returns what it wrote.
func runCLI(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	err = run(context.Background(), args, stdin, &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportExport(t *testing.T) {
	dir := t.TempDir()
	db1, db2 := filepath.Join(dir, "one.db"), filepath.Join(dir, "two.db")
	bundled := writeFile(t, "story.json", story.File)

	_, stderr, err := runCLI(t, nil, "import", "--db", db1, bundled)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`: [1-9]\d* events changed, 0 unchanged`).MatchString(stderr) {
		t.Errorf("first import said %q", stderr)
	}

	t.Run("SecondImportChangesNothing", func(t *testing.T) {
		_, stderr, err := runCLI(t, nil, "import", "--db", db1, bundled)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, ": 0 events changed") || !strings.Contains(stderr, "0 actors and 0 sources changed; data version 1") {
			t.Errorf("second import said %q", stderr)
		}
	})

	t.Run("RoundTripIsByteIdentical", func(t *testing.T) {
		first, _, err := runCLI(t, nil, "export", "--db", db1)
		if err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runCLI(t, strings.NewReader(first), "import", "--db", db2, "-"); err != nil {
			t.Fatalf("import of the export: %v\n%s", err, stderr)
		}
		second, _, err := runCLI(t, nil, "export", "--db", db2)
		if err != nil {
			t.Fatal(err)
		}
		if first != second {
			t.Fatalf("export → import → export differs:\n%s", firstDifference(first, second))
		}
		if len(first) < 1000 {
			t.Fatalf("the export is suspiciously small: %d bytes", len(first))
		}
	})

	t.Run("InvalidFileWritesNothing", func(t *testing.T) {
		broken := bytes.Replace(story.File, []byte(`"kind": "denial"`), []byte(`"kind": "rebuttal"`), 1)
		broken = bytes.Replace(broken, []byte(`"zone": "Europe/Moscow"`), []byte(`"zone": "Moscow"`), 1)
		db := filepath.Join(t.TempDir(), "fresh.db")
		_, _, err := runCLI(t, nil, "import", "--db", db, writeFile(t, "broken.json", broken))
		if err == nil {
			t.Fatal("a broken file imported")
		}
		msg := err.Error()
		for _, want := range []string{"nothing was written", `unknown event kind "rebuttal"`, `unknown time zone "Moscow"`} {
			if !strings.Contains(msg, want) {
				t.Errorf("error does not say %q:\n%s", want, msg)
			}
		}
		if _, err := os.Stat(db); err == nil {
			t.Error("a database was created for a file that failed validation")
		}
	})

	// A large file, applied as it is read, that breaks only at its end: the
	// records before the break were written inside the transaction, which
	// must leave nothing behind, neither in a new database nor in one with
	// data.
	t.Run("BrokenAtTheEndWritesNothing", func(t *testing.T) {
		var big bytes.Buffer
		if err := synth.Generate(&big, synth.Options{Events: 5000, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		broken := append(bytes.TrimSuffix(big.Bytes(), []byte("\n  ]\n}\n")), []byte(",\n    {\"slug\": }\n  ]\n}\n")...)
		file := writeFile(t, "broken.json", broken)
		where := fmt.Sprintf("line %d, column 14: not valid JSON", bytes.Count(broken, []byte("\n"))-2)

		fresh := filepath.Join(t.TempDir(), "fresh.db")
		_, _, err := runCLI(t, nil, "import", "--db", fresh, file)
		if err == nil || !strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), where) {
			t.Fatalf("into a new database: err = %v, want nothing written and %q", err, where)
		}
		if _, err := os.Stat(fresh); err == nil {
			t.Error("a database was left for a file that failed")
		}

		before, _, err := runCLI(t, nil, "export", "--db", db1)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := runCLI(t, nil, "import", "--db", db1, file); err == nil || !strings.Contains(err.Error(), where) {
			t.Fatalf("into a database with data: err = %v, want %q", err, where)
		}
		after, _, err := runCLI(t, nil, "export", "--db", db1)
		if err != nil {
			t.Fatal(err)
		}
		if before != after {
			t.Fatalf("a failed import changed the database:\n%s", firstDifference(before, after))
		}
		_, stderr, err := runCLI(t, nil, "import", "--db", db1, bundled)
		if err != nil || !strings.Contains(stderr, "data version 1") {
			t.Errorf("the bundled story again: %v, %q; want data version 1, unchanged", err, stderr)
		}
	})

	t.Run("Usage", func(t *testing.T) {
		tests := []struct {
			args []string
			want string
		}{
			{[]string{"import"}, "import takes file names"},
			{[]string{"frobnicate"}, `unknown command "frobnicate"`},
			{[]string{"export", "--db", filepath.Join(dir, "missing.db")}, "no database at"},
			{[]string{"serve", "--log-format", "xml"}, `unknown log format "xml"`},
		}
		for _, tt := range tests {
			_, _, err := runCLI(t, nil, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: err = %v, want %q", tt.args, err, tt.want)
			}
		}
	})
}

func firstDifference(a, b string) string {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			from := max(0, i-80)
			return "first:  " + a[from:min(len(a), i+80)] + "\nsecond: " + b[from:min(len(b), i+80)]
		}
	}
	return "one is a prefix of the other"
}

// TestServeFirstStart starts the server on a new database file: it must
// create, migrate and load the bundled story, serve it, and stop cleanly
// when its context ends (as on SIGTERM).
func TestServeFirstStart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "new.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logR, logW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", dbPath, "--log-format", "json"}, nil, io.Discard, logW)
		logW.Close()
	}()

	addr := make(chan string, 1)
	var logs strings.Builder
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(logR)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if m := regexp.MustCompile(`"url":"(http://[^"]+)"`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}

	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Kremlin")) {
		t.Fatalf("GET / = %d, %d bytes, want the bundled story", res.StatusCode, len(body))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after its context ended", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop")
	}
	<-scanned
	if !strings.Contains(logs.String(), "loaded the bundled story") {
		t.Errorf("logs do not say the story was loaded:\n%s", logs.String())
	}
}

// TestImportStopsOnSignal: an import from standard input stops promptly
// when the command's context is cancelled, as SIGTERM does, and writes
// nothing: from an endless stream, and from a pipe that stalls (issue #17,
// finding 6).
func TestImportStopsOnSignal(t *testing.T) {
	stalledPipe := func(t *testing.T) io.Reader {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Close(); r.Close() })
		fmt.Fprint(w, `{"format": "timeline/v1", "actors": [`+strings.Repeat(" ", 4000))
		return r
	}
	inputs := map[string]func(*testing.T) io.Reader{
		"Endless":     func(*testing.T) io.Reader { return &endless{} },
		"StalledPipe": stalledPipe,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(300*time.Millisecond, cancel)
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"import", "--db", db, "-"}, input(t), io.Discard, io.Discard) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(1300 * time.Millisecond):
				t.Fatal("the import did not stop within a second of the signal")
			}
			if err == nil || !strings.Contains(err.Error(), "stopped: nothing was written") || strings.Contains(err.Error(), "transaction has already") {
				t.Fatalf("err = %v, want a stopped import", err)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("the import left a database behind: %v", err)
			}
		})
	}
}

// endless is a data file that never ends: its events array goes on, as a
// pipe from a program that runs away would.
type endless struct {
	buf bytes.Buffer
	n   int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		e.buf.WriteString(`{"format": "timeline/v1", "actors": [{"slug": "a", "name": "A", "kind": "state"}],
"sources": [{"key": "s", "outlet": "S"}], "events": [`)
	}
	for e.buf.Len() < len(p) {
		fmt.Fprintf(&e.buf, `{"slug": "e-%d", "title": "T", "summary": "S", "kind": "claim", "when": "2024-01-02", "zone": "UTC",
"actors": [{"actor": "a", "role": "speaker"}], "sources": [{"source": "s"}]},`+"\n", e.n)
		e.n++
	}
	return e.buf.Read(p)
}
