package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestServeFollow starts a server that follows a sheet: it imports the
// sheet into its story at once, logs it, and tells of it in /readyz.
func TestServeFollow(t *testing.T) {
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(unsourcedSheet)) }))
	t.Cleanup(host.Close)
	config := writeFile(t, "follow.json", []byte(fmt.Sprintf(`[{"story": "followed", "url": %q, "interval": "10m", "allow_unsourced": true}]`, host.URL+"/pub.csv")))
	dbPath := filepath.Join(t.TempDir(), "tl.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logR, logW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--log-format", "json", "--follow", config}, nil, io.Discard, logW)
		logW.Close()
	}()
	addr, imported := make(chan string, 1), make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(logR)
		for sc.Scan() {
			line := sc.Text()
			if _, rest, ok := strings.Cut(line, `"url":"http://`); ok && strings.Contains(line, `"msg":"serving"`) {
				a, _, _ := strings.Cut(rest, `"`)
				addr <- "http://" + a
			}
			if strings.Contains(line, `"msg":"followed sheet imported"`) {
				imported <- line
			}
		}
	}()
	var base string
	select {
	case base = <-addr:
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	}
	line := <-imported
	for _, want := range []string{`"story":"followed"`, `"events_changed":2`, `"events_withdrawn":0`} {
		if !strings.Contains(line, want) {
			t.Errorf("the log line %s does not say %s", line, want)
		}
	}
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "sheet followed: ok") {
		t.Errorf("/readyz = %d:\n%s", res.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after its context ended", err)
	}
	<-scanned
}

func TestServeFollowUsage(t *testing.T) {
	config := writeFile(t, "follow.json", []byte(`[{"story": "x", "url": "https://a.example/", "interval": "10s"}]`))
	db := filepath.Join(t.TempDir(), "tl.db")
	if _, _, err := runCLI(t, nil, "serve", "--read-only", "--db", db, "--follow", config); exitCode(err) != 2 || !strings.Contains(err.Error(), "--read-only") {
		t.Errorf("serve --read-only --follow: %v, want a usage error", err)
	}
	if _, _, err := runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", db, "--follow", config); err == nil || !strings.Contains(err.Error(), "shorter than the shortest") {
		t.Errorf("serve with an interval of 10s: %v", err)
	}
}

// TestImportSheet: a followed sheet goes through import's path, and may
// change only its own story.
func TestImportSheet(t *testing.T) {
	ctx := context.Background()
	db, err := openDB(ctx, filepath.Join(t.TempDir(), "tl.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	imp := importSheet(db)
	sheet := follow.Sheet{Story: "followed", AllowUnsourced: false}
	if _, err := imp(ctx, sheet, []byte(unsourcedSheet)); !strings.Contains(fmt.Sprint(err), "row 3, column Media Credit") {
		t.Errorf("an unsourced row without allow_unsourced: %v", err)
	}
	sheet.AllowUnsourced = true
	if ch, err := imp(ctx, sheet, []byte(unsourcedSheet)); err != nil || ch.EventsChanged != 2 {
		t.Fatalf("import = %+v, %v", ch, err)
	}
	// The bundled story names its own story: it cannot come in as another's.
	_, err = imp(ctx, sheet, story.File)
	if timeline.ErrorCode(err) != timeline.EINVALID || !strings.Contains(err.Error(), `not "followed"`) {
		t.Errorf("another story's file: %v", err)
	}
	if st, err := db.FindStory(ctx, "followed"); err != nil || st.EventCount != 2 {
		t.Errorf("the story after the refused file: %+v, %v", st, err)
	}
}
