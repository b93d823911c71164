package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/synth"
)

// replicaLag bounds how long a read-only replica may take to show the
// writer's import: Litestream's monitor and sync intervals
// (.ci/replica/litestream.yml), the refresh loop's interval, and the store's
// watch. It is measured and logged; it is typically about a second.
const replicaLag = 10 * time.Second

// permalink is an event every state of the data in this test has.
const permalink = "/events/kirby-ludicrous"

// TestReplicaWithLitestream runs what the README's "More than one server"
// describes: a writer streamed by Litestream to a file replica, a
// read-only server on a copy kept up to date by .ci/replica/replica-refresh;
// then kills the writer mid-import, and replaces the replica's file the
// unsafe way.
func TestReplicaWithLitestream(t *testing.T) {
	litestream := os.Getenv("LITESTREAM")
	if litestream == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("LITESTREAM must name the litestream binary in CI")
		}
		t.Skip("LITESTREAM is not set: the Litestream test needs the binary (npm @flydotio/litestream-linux-x64)")
	}
	if _, err := exec.LookPath(litestream); err != nil {
		t.Fatalf("LITESTREAM=%s: %v", litestream, err)
	}
	bin := buildTimeline(t)
	dir := t.TempDir()
	writerDB := filepath.Join(dir, "writer", "timeline.db")
	replicaDB := filepath.Join(dir, "replica", "timeline.db")
	for _, d := range []string{filepath.Dir(writerDB), filepath.Dir(replicaDB)} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	replicaURL := "file://" + filepath.Join(dir, "backup")
	env := []string{"TIMELINE_DB=" + writerDB, "LITESTREAM_REPLICA_URL=" + replicaURL, "LITESTREAM=" + litestream}

	// The writer: an import, and Litestream streaming the file.
	bundled := writeFile(t, "story.json", story.File)
	mustRun(t, env, bin, "import", "--db", writerDB, bundled)
	start(t, env, litestream, "replicate", "-config", filepath.Join("..", "..", ".ci", "replica", "litestream.yml"))

	// The replica: the refresh loop makes its file, then the server
	// serves it.
	refresh := start(t, env, "sh", filepath.Join("..", "..", ".ci", "replica", "replica-refresh"), replicaDB, replicaURL, "0.2")
	waitFor(t, 30*time.Second, func() error { _, err := os.Stat(replicaDB); return err })
	base, serverLog := serve(t, env, bin, "--read-only", "--db", replicaDB)
	if err := showing(base+"/", "Drones over the Kremlin, May 2023")(); err != nil {
		t.Fatal(err)
	}

	t.Run("SeesTheWritersImport", func(t *testing.T) {
		readers := startReaders(base)
		changed := writeFile(t, "changed.json", bytes.Replace(story.File,
			[]byte(`"title": "Drones over the Kremlin, May 2023"`), []byte(`"title": "Drones over the Kremlin, updated"`), 1))
		mustRun(t, env, bin, "import", "--db", writerDB, changed)
		imported := time.Now()
		waitFor(t, replicaLag, showing(base+"/", "Drones over the Kremlin, updated"))
		t.Logf("the replica showed the writer's import %s after it committed (bound %s)", time.Since(imported).Round(10*time.Millisecond), replicaLag)
		time.Sleep(500 * time.Millisecond) // readers across the reopen and after it
		counts := readers.stop()
		t.Logf("readers: %v", counts)
		for key, n := range counts {
			if !strings.HasSuffix(key, " 200") {
				t.Errorf("%d × %s while the replica moved to the new file, want only 200s", n, key)
			}
		}
	})

	t.Run("WriterKilledMidImport", func(t *testing.T) {
		before, _, err := runCLI(t, nil, "export", "--db", writerDB)
		if err != nil {
			t.Fatal(err)
		}
		var big bytes.Buffer
		if err := synth.Generate(&big, synth.Options{Events: 50000, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		file := writeFile(t, "big.json", big.Bytes())
		cmd := exec.Command(bin, "import", "--db", writerDB, file)
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		// The import writes its transaction to the write-ahead log when
		// its page cache fills or when it commits; the kill comes once it
		// has written some, before the commit record, which comes last.
		walBefore := fileSize(writerDB + "-wal")
		killedAt := int64(-1)
		for deadline := time.Now().Add(time.Minute); killedAt < 0; {
			select {
			case err := <-exited:
				t.Fatalf("the import ended before it could be killed (%v)\n%s", err, out.String())
			default:
			}
			if size := fileSize(writerDB + "-wal"); size > walBefore+4<<20 {
				cmd.Process.Signal(syscall.SIGKILL)
				killedAt = size
			} else if time.Now().After(deadline) {
				t.Fatal("the import wrote nothing to the write-ahead log in a minute")
			}
			time.Sleep(time.Millisecond)
		}
		<-exited
		t.Logf("killed the import with %d MB of it in the write-ahead log (%d MB once it died)", killedAt>>20, fileSize(writerDB+"-wal")>>20)
		if now, _, err := runCLI(t, nil, "export", "--db", writerDB); err != nil || now != before {
			t.Fatalf("the kill came too late: the writer's file holds the import (%v)", err)
		}
		// Whatever Litestream ships of what the import left, it ships by now.
		time.Sleep(2 * time.Second)
		restored := filepath.Join(t.TempDir(), "restored.db")
		mustRun(t, env, litestream, "restore", "-o", restored, replicaURL)
		after, _, err := runCLI(t, nil, "export", "--db", restored)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("the restored copy is not the last committed state:\n%s", firstDifference(before, after))
		}
		// The writer's file itself recovers: the next import applies.
		mustRun(t, env, bin, "import", "--db", writerDB, bundled)
	})

	t.Run("FileCopiedOver", func(t *testing.T) {
		// The refresh loop is stopped: the copy must be what is served
		// once the file has settled.
		refresh.stop()
		// Another database, larger, with the story's events and a title
		// of its own (the last import names the story).
		other := filepath.Join(dir, "other.db")
		var extra bytes.Buffer
		if err := synth.Generate(&extra, synth.Options{Events: 5000, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		mustRun(t, env, bin, "import", "--db", other, writeFile(t, "extra.json", extra.Bytes()))
		mustRun(t, env, bin, "import", "--db", other, writeFile(t, "other.json", bytes.Replace(story.File,
			[]byte(`"title": "Drones over the Kremlin, May 2023"`), []byte(`"title": "Another copy of the story"`), 1)))
		readers := startReaders(base)
		time.Sleep(300 * time.Millisecond)
		mustRun(t, env, "cp", other, replicaDB)
		copied := time.Now()
		waitFor(t, replicaLag, showing(base+"/", "Another copy of the story"))
		t.Logf("the replica showed the copied file %s after the copy", time.Since(copied).Round(10*time.Millisecond))
		time.Sleep(300 * time.Millisecond)
		counts := readers.stop()
		t.Logf("readers: %v", counts)
		for key, n := range counts {
			if strings.HasSuffix(key, " 500") || key == permalink+" 404" {
				t.Errorf("%d × %s while the file was copied over", n, key)
			}
		}
		if counts["/readyz 503"] == 0 && counts[permalink+" 503"] == 0 {
			t.Logf("no reader saw the file mid-copy")
		}
		if !strings.Contains(serverLog.String(), "not through SQLite") {
			t.Errorf("the server's log does not say the file was changed in place:\n%s", serverLog.String())
		}
	})
}

// buildTimeline builds the command into a temporary folder: kill -9 needs
// a process of its own.
func buildTimeline(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "timeline")
	out, err := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// mustRun runs a command to its end, or fails the test with its output.
func mustRun(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

// process is a command running beside the test, in a process group of its
// own so that stopping it stops what it started.
type process struct {
	cmd    *exec.Cmd
	output *syncBuffer
	once   sync.Once
}

func (p *process) stop() {
	p.once.Do(func() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		p.cmd.Wait()
	})
}

// start starts a command that runs until the test ends; its output is
// logged if the test fails.
func start(t *testing.T, env []string, name string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(name, args...), output: &syncBuffer{}}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s %s:\n%s", filepath.Base(name), strings.Join(args, " "), p.output.String())
		}
	})
	return p
}

// serve starts `timeline serve` on a free port and returns its URL and
// its log.
func serve(t *testing.T, env []string, bin string, args ...string) (string, *syncBuffer) {
	t.Helper()
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	p := start(t, env, bin, args...)
	url := regexp.MustCompile(`"url":"(http://[^"]+)"`)
	var base string
	waitFor(t, 30*time.Second, func() error {
		if m := url.FindStringSubmatch(p.output.String()); m != nil {
			base = m[1]
			return nil
		}
		return fmt.Errorf("the server did not start:\n%s", p.output.String())
	})
	return base, p.output
}

// showing checks that a page answers 200 and holds want.
func showing(url, want string) func() error {
	return func() error {
		res, err := http.Get(url)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(want)) {
			return fmt.Errorf("GET %s = %d, without %q", url, res.StatusCode, want)
		}
		return nil
	}
}

// waitFor polls check until it returns nil, or fails the test after d.
func waitFor(t *testing.T, d time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", d, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readerLoop reads the front page, a permalink and /readyz as fast as it
// can on a few connections, and counts the answers by path and status.
type readerLoop struct {
	mu     sync.Mutex
	counts map[string]int
	done   chan struct{}
	wg     sync.WaitGroup
}

func startReaders(base string) *readerLoop {
	l := &readerLoop{counts: map[string]int{}, done: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
	for range 4 {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				for _, path := range []string{"/", permalink, "/readyz"} {
					select {
					case <-l.done:
						return
					default:
					}
					key := path + " error"
					if res, err := client.Get(base + path); err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						key = fmt.Sprintf("%s %d", path, res.StatusCode)
					}
					l.mu.Lock()
					l.counts[key]++
					l.mu.Unlock()
				}
			}
		}()
	}
	return l
}

func (l *readerLoop) stop() map[string]int {
	close(l.done)
	l.wg.Wait()
	return l.counts
}

// fileSize is the size of the file at path, 0 if there is none.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// syncBuffer is a bytes.Buffer for several writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
