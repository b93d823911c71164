package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/timelinenews/timeline/internal/browsertest"
	"github.com/timelinenews/timeline/internal/story"
)

// timelineJSDir is the folder of TimelineJS's npm package
// (@knight-lab/timelinejs, which .ci/run installs and names in
// TIMELINEJS_DIR): its dist/ is what a site serves, its src/ holds the
// example files and sheet template it publishes. Without it the test is
// skipped on a developer's machine and fails in CI.
func timelineJSDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TIMELINEJS_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TIMELINEJS_DIR must name the @knight-lab/timelinejs package folder in CI")
		}
		t.Skip("set TIMELINEJS_DIR to the folder of the npm package @knight-lab/timelinejs@3.9.11 to run TimelineJS")
	}
	if _, err := os.Stat(filepath.Join(dir, "dist", "js", "timeline.js")); err != nil {
		t.Fatalf("TIMELINEJS_DIR=%s is not TimelineJS's package: %v", dir, err)
	}
	return dir
}

// headlessChromium starts Chromium with an empty profile that can reach
// only loopback: a request to any other host fails at once.
func headlessChromium(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1280, 800))
}

// timelineJSPage is a publisher's page embedding TimelineJS as its
// documentation shows, self-hosted: no CDN, and font set to none, so that
// TimelineJS asks Google Fonts for nothing.
const timelineJSPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script>
<style>html, body { height: 100%; margin: 0; } #timeline-embed { height: 100%; }</style>
</head><body><div id="timeline-embed"></div>
<script>
window.timelineReady = new Promise((ready, fail) => {
	addEventListener('error', e => fail(e.message));
	window.timeline = new TL.Timeline('timeline-embed', '/timeline.json', {
		script_path: location.origin + '/timelinejs/js/', font: null, hash_bookmark: false
	});
	window.timeline.on('ready', () => ready(true));
});
</script></body></html>`

// TestTimelineJSShowsTheExport opens `timeline export --format timelinejs`
// of the bundled story in TimelineJS itself (its npm package, in Chromium)
// and checks that it shows every event, with no script error and no request
// beyond the test's own server.
func TestTimelineJSShowsTheExport(t *testing.T) {
	pkg := timelineJSDir(t)
	ctx := headlessChromium(t)

	db := filepath.Join(t.TempDir(), "tl.db")
	if _, stderr, err := runCLI(t, nil, "import", "--db", db, writeFile(t, "story.json", story.File)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	export, stderr, err := runCLI(t, nil, "export", "--db", db, "--format", "timelinejs")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	var exported struct {
		Events []struct {
			Text struct{ Headline string } `json:"text"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(export), &exported); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range exported.Events {
		want = append(want, e.Text.Headline)
	}
	if len(want) == 0 {
		t.Fatal("the export has no events")
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(timelineJSPage))
	})
	mux.HandleFunc("GET /timeline.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(export))
	})
	mux.Handle("GET /timelinejs/", http.StripPrefix("/timelinejs/", http.FileServer(http.Dir(filepath.Join(pkg, "dist")))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var problems, elsewhere []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "uncaught: "+ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, "console.error: "+strings.Join(args, " "))
			}
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(ev.Request.URL, srv.URL+"/") && !strings.HasPrefix(ev.Request.URL, "data:") {
				elsewhere = append(elsewhere, ev.Request.URL)
			}
		}
	})

	var markers, slides []string
	var message string
	shown, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = chromedp.Run(shown,
		network.Enable(),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Evaluate(`window.timelineReady`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.WaitVisible(`.tl-timemarker`, chromedp.ByQuery),
		// One marker on the time axis and one slide per event, each with
		// its headline; the title slide comes first among the slides.
		chromedp.Evaluate(`[...document.querySelectorAll('.tl-timenav .tl-timemarker .tl-headline')].map(h => h.textContent.trim())`, &markers),
		chromedp.Evaluate(`[...document.querySelectorAll('.tl-storyslider .tl-slide:not(.tl-slide-titleslide) .tl-headline')].map(h => h.textContent.trim())`, &slides),
		chromedp.Evaluate(`(document.querySelector('.tl-message-content') || {}).textContent || ''`, &message),
	)
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		t.Errorf("TimelineJS did not show the export: %v", err)
	}
	for _, p := range problems {
		t.Errorf("TimelineJS: %s", p)
	}
	for _, u := range elsewhere {
		t.Errorf("the page asked another host for %s", u)
	}
	if strings.TrimSpace(message) != "" {
		t.Errorf("TimelineJS shows the message %q", message)
	}
	slices.Sort(want)
	for name, got := range map[string][]string{"time axis markers": markers, "slides": slides} {
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("TimelineJS shows %d %s, want the export's %d events:\n got %q\nwant %q", len(got), name, len(want), got, want)
		}
	}
	if !t.Failed() {
		t.Logf("TimelineJS shows the %d events of the export, on its time axis and as slides", len(want))
	}
}
