package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/timelinenews/timeline/internal/browsertest"
	datasetfile "github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/synth"
)

// browser starts headless Chromium, with a new empty profile, for a test.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Start(t)
}

// freshContext is a new browser with an empty profile (no cookies, no
// history, no cache): a reader who was sent a link.
func freshContext(t *testing.T) context.Context {
	t.Helper()
	return browser(t)
}

// storyServer serves the bundled story from a real database.
func storyServer(t *testing.T) *httptest.Server {
	t.Helper()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	db := sqlitetest.MustOpen(t)
	if _, err := db.Import(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return srv
}

// artifactDir is where screenshots go: artifacts/ at the repository root,
// which git ignores.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TIMELINE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// visibleEvents returns the ids of the events on the page and, for each,
// the actors it links.
func visibleEvents(ctx context.Context) (ids []string, actors map[string][]string, err error) {
	var raw string
	err = chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify([...document.querySelectorAll('li.event')].map(e =>
		[e.id, [...e.querySelectorAll('ul.actors a')].map(a => new URL(a.href).searchParams.get('actor'))]))`, &raw))
	if err != nil {
		return nil, nil, err
	}
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &pairs); err != nil {
		return nil, nil, err
	}
	actors = map[string][]string{}
	for _, p := range pairs {
		var id string
		var as []string
		json.Unmarshal(p[0], &id)
		json.Unmarshal(p[1], &as)
		ids = append(ids, id)
		actors[id] = as
	}
	return ids, actors, nil
}

// tabTo presses Tab until the focused element matches sel.
func tabTo(sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for range 300 {
			var focused bool
			if err := chromedp.Evaluate(fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, sel), &focused).Do(ctx); err != nil {
				return err
			}
			if focused {
				return nil
			}
			if err := chromedp.KeyEvent(kb.Tab).Do(ctx); err != nil {
				return err
			}
		}
		return fmt.Errorf("Tab never reached %s", sel)
	})
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	srv := storyServer(t)

	var shared string
	var sharedIDs []string
	t.Run("TickTwoActors", func(t *testing.T) {
		var location string
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/timeline"),
			chromedp.WaitVisible(`li.event`, chromedp.ByQuery),
			chromedp.Click(`input[name="actor"][value="peskov"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-testid="applied"]`, chromedp.ByQuery),
			chromedp.Click(`input[name="actor"][value="kirby"]`, chromedp.ByQuery),
			chromedp.Sleep(300*time.Millisecond), // the script applies the change
			chromedp.ActionFunc(func(ctx context.Context) error {
				// Without the script's auto-apply (or if it is slow), the
				// reader presses the button.
				var checked bool
				if err := chromedp.Evaluate(`new URL(location.href).searchParams.getAll("actor").includes("kirby")`, &checked).Do(ctx); err != nil || checked {
					return err
				}
				return chromedp.Click(`[data-testid="apply"]`, chromedp.ByQuery).Do(ctx)
			}),
			chromedp.WaitVisible(`[data-testid="chip"]`, chromedp.ByQuery),
			chromedp.Location(&location),
		)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(location)
		if got := u.Query()["actor"]; !slices.Contains(got, "peskov") || !slices.Contains(got, "kirby") {
			t.Fatalf("URL %s does not hold both actors", location)
		}
		ids, actors, err := visibleEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) < 3 {
			t.Fatalf("only %d events for Peskov and Kirby", len(ids))
		}
		for _, id := range ids {
			if !slices.Contains(actors[id], "peskov") && !slices.Contains(actors[id], "kirby") {
				t.Errorf("event %s has neither actor: %v", id, actors[id])
			}
		}
		shared, sharedIDs = location, ids
	})

	t.Run("OpenPermalink", func(t *testing.T) {
		var href, location, h1 string
		err := chromedp.Run(ctx,
			chromedp.AttributeValue(`li.event .permalink a`, "href", &href, nil, chromedp.ByQuery),
			chromedp.Click(`li.event .permalink a`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-testid="event-detail"]`, chromedp.ByQuery),
			chromedp.Location(&location),
			chromedp.Text(`h1`, &h1, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(location, href) || !strings.Contains(location, "/events/") || h1 == "" {
			t.Errorf("permalink %s opened %s with heading %q", href, location, h1)
		}
	})

	t.Run("SharedURLInFreshContext", func(t *testing.T) {
		if shared == "" {
			t.Skip("no shared URL: the filter step failed")
		}
		fresh := freshContext(t)
		if err := chromedp.Run(fresh, chromedp.Navigate(shared), chromedp.WaitVisible(`li.event`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		ids, _, err := visibleEvents(fresh)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, sharedIDs) {
			t.Errorf("the shared URL shows %v, the sharer saw %v", ids, sharedIDs)
		}
		var checked []string
		chromedp.Run(fresh, chromedp.Evaluate(`[...document.querySelectorAll('input[name="actor"]:checked')].map(i => i.value)`, &checked))
		slices.Sort(checked)
		if !slices.Equal(checked, []string{"kirby", "peskov"}) {
			t.Errorf("the form in the fresh context has %v ticked", checked)
		}
	})

	t.Run("KeyboardOnly", func(t *testing.T) {
		fresh := freshContext(t)
		var location string
		err := chromedp.Run(fresh,
			chromedp.Navigate(srv.URL+"/timeline"),
			chromedp.WaitVisible(`li.event`, chromedp.ByQuery),
			tabTo(`input[name="actor"][value="zelensky"]`),
			chromedp.KeyEvent(" "),
			tabTo(`input[name="kind"][value="denial"]`),
			chromedp.KeyEvent(" "),
			tabTo(`[data-testid="apply"]`),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(`[data-testid="chip"]`, chromedp.ByQuery),
			chromedp.Location(&location),
		)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(location)
		if u.Query().Get("actor") != "zelensky" || u.Query().Get("kind") != "denial" {
			t.Fatalf("keyboard filtering led to %s", location)
		}
		ids, actors, _ := visibleEvents(fresh)
		if len(ids) == 0 {
			t.Fatal("no events after filtering by keyboard")
		}
		for _, id := range ids {
			if !slices.Contains(actors[id], "zelensky") {
				t.Errorf("event %s is not Zelensky's", id)
			}
		}
		// Focus is visible: the focused control has an outline.
		var outline string
		chromedp.Run(fresh, tabTo(`[data-testid="chip"]`), chromedp.Evaluate(`getComputedStyle(document.activeElement).outlineStyle`, &outline))
		if outline == "none" || outline == "" {
			t.Errorf("the focused chip has no visible outline (%q)", outline)
		}
	})

	t.Run("AccusationToDenialAndBack", func(t *testing.T) {
		fresh := freshContext(t)
		var location string
		err := chromedp.Run(fresh,
			chromedp.Navigate(srv.URL+"/events/peskov-decisions-made-in-washington"),
			chromedp.WaitVisible(`li.answered-by`, chromedp.ByQuery),
			chromedp.Click(`li.answered-by[data-type="denies"] a[href="/events/kirby-peskov-is-just-lying"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`li.answers`, chromedp.ByQuery),
			chromedp.Location(&location),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(location, "/events/kirby-peskov-is-just-lying") {
			t.Fatalf("the denial link led to %s", location)
		}
		err = chromedp.Run(fresh,
			chromedp.Click(`li.answers a[href="/events/peskov-decisions-made-in-washington"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`li.answered-by`, chromedp.ByQuery),
			chromedp.Location(&location),
		)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(location, "/events/peskov-decisions-made-in-washington") {
			t.Fatalf("the way back led to %s", location)
		}
	})

	// A shared link to an event's place in its story opens with the event
	// on the screen, though the days before it are laid out only as they
	// come near it (content-visibility).
	t.Run("OpenAnEventsPlace", func(t *testing.T) {
		fresh := freshContext(t)
		var top, height float64
		err := chromedp.Run(fresh,
			chromedp.EmulateViewport(1280, 700),
			chromedp.Navigate(srv.URL+"/stories/drones-over-the-kremlin-may-2023?around=author-b-ukraine-waits-for-next-move#author-b-ukraine-waits-for-next-move"),
			chromedp.WaitVisible(`#author-b-ukraine-waits-for-next-move`, chromedp.ByQuery),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(`document.getElementById('author-b-ukraine-waits-for-next-move').getBoundingClientRect().top`, &top),
			chromedp.Evaluate(`innerHeight`, &height),
		)
		if err != nil {
			t.Fatal(err)
		}
		if top < -1 || top > height-40 {
			t.Errorf("the event is at %.0f px of a %.0f px screen, want it on the screen", top, height)
		}
	})

	// A reader narrows the story to one day in the form's date fields and
	// sees that day's events, and is told of those dated only to the month.
	t.Run("NarrowToADay", func(t *testing.T) {
		fresh := freshContext(t)
		var location, chip, cut string
		var days []string
		err := chromedp.Run(fresh,
			chromedp.Navigate(srv.URL+"/stories/drones-over-the-kremlin-may-2023"),
			chromedp.WaitVisible(`li.event`, chromedp.ByQuery),
			chromedp.SetValue(`#filter-from`, "2023-05-04", chromedp.ByQuery),
			chromedp.SetValue(`#filter-to`, "2023-05-04", chromedp.ByQuery),
			chromedp.Click(`[data-testid="apply"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-testid="chip"]`, chromedp.ByQuery),
			chromedp.Location(&location),
			chromedp.Text(`[data-testid="chip"]`, &chip, chromedp.ByQuery),
			chromedp.Text(`[data-testid="overview-cut"]`, &cut, chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('li.event > article > .meta time')].map(t => t.getAttribute('datetime'))`, &days),
		)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(location)
		if u.Query().Get("from") != "2023-05-04" || u.Query().Get("to") != "2023-05-04" {
			t.Fatalf("the form led to %s, want the story on 4 May", location)
		}
		if !strings.Contains(chip, "4 May 2023") {
			t.Errorf("the filter reads %q, want 4 May 2023", chip)
		}
		if len(days) == 0 {
			t.Fatal("no event on 4 May")
		}
		for _, d := range days {
			if !strings.HasPrefix(d, "2023-05-04") {
				t.Errorf("an event of %s is listed on 4 May", d)
			}
		}
		if !strings.Contains(cut, "May 2023 (day not given)") {
			t.Errorf("the events dated only to May are not named: %q", cut)
		}
	})

	// The first screen does not move once painted: on a phone the server
	// sends the filter form folded, so no script folds it after the paint.
	// The script is held back a second, as a phone's network can hold it,
	// so that the page paints before it runs; an observer installed before the page's own
	// scripts adds up the browser's 'layout-shift' entries, read once the
	// page has loaded and two more frames have been painted.
	t.Run("NoLayoutShiftOnPhone", func(t *testing.T) {
		const observe = `window.layoutShift = 0;
			new PerformanceObserver(list => {
				for (const e of list.getEntries()) if (!e.hadRecentInput) window.layoutShift += e.value;
			}).observe({type: "layout-shift", buffered: true});`
		const settled = `new Promise(done => {
			const read = () => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(window.layoutShift), 0)));
			document.readyState === "complete" ? read() : addEventListener("load", read);
		})`
		for _, path := range []string{"/timeline", "/claims", "/timeline?actor=peskov"} {
			fresh := freshContext(t)
			chromedp.ListenTarget(fresh, func(ev any) {
				paused, ok := ev.(*fetch.EventRequestPaused)
				if !ok {
					return
				}
				go func() {
					// Long enough for the page to paint first on any machine
					// that is not badly overloaded; on one that is, the test
					// passes without telling, never fails wrongly.
					time.Sleep(time.Second)
					ctx := cdp.WithExecutor(fresh, chromedp.FromContext(fresh).Target)
					fetch.ContinueRequest(paused.RequestID).Do(ctx)
				}()
			})
			var shift float64
			err := chromedp.Run(fresh,
				chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile),
				chromedp.ActionFunc(func(ctx context.Context) error {
					if err := fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/static/app.*.js"}}).Do(ctx); err != nil {
						return err
					}
					_, err := cdppage.AddScriptToEvaluateOnNewDocument(observe).Do(ctx)
					return err
				}),
				chromedp.Navigate(srv.URL+path),
				chromedp.WaitVisible(`main`, chromedp.ByQuery),
				chromedp.Evaluate(settled, &shift, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			t.Logf("%s at 360 px: cumulative layout shift %.4f", path, shift)
			if shift != 0 {
				t.Errorf("%s at 360 px: cumulative layout shift %.4f, want 0", path, shift)
			}
		}
	})

	t.Run("Screenshots", func(t *testing.T) {
		dir := artifactDir(t)
		for _, width := range []int64{360, 1280} {
			for name, path := range map[string]string{"front": "/", "timeline": "/timeline", "event": "/events/kremlin-statement-attempt-on-putin", "claims": "/claims"} {
				var png []byte
				err := chromedp.Run(ctx,
					chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(srv.URL+path),
					chromedp.WaitVisible(`main`, chromedp.ByQuery),
					chromedp.FullScreenshot(&png, 90),
				)
				if err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				// No horizontal scrolling at any width.
				var overflow bool
				chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
				if overflow {
					t.Errorf("%s at %d px scrolls sideways", path, width)
				}
			}
		}
	})

	t.Run("Accessibility", func(t *testing.T) {
		axe := os.Getenv("AXE_JS")
		if axe == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("AXE_JS must name axe.min.js in CI")
			}
			t.Skip("set AXE_JS to the path of axe-core's axe.min.js to run the accessibility engine")
		}
		script, err := os.ReadFile(axe)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/", "/timeline", "/timeline?actor=peskov&kind=accusation", "/events/kremlin-statement-attempt-on-putin", "/claims", "/actors", "/actors/kirby", "/threads/kremlin-statement-attempt-on-putin", "/events/nope",
			"/embed/timeline?actor=peskov", "/embed/events/kremlin-statement-attempt-on-putin", "/embed/claims/peskov-decisions-made-in-washington", "/embed/claims?actor=peskov"} {
			var result string
			err := chromedp.Run(ctx,
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(srv.URL+path),
				chromedp.WaitVisible(`main`, chromedp.ByQuery),
				chromedp.Evaluate(string(script), nil),
				chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}))))`, &result,
					func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var violations []struct {
				ID, Impact, Help string
				Nodes            int
			}
			if err := json.Unmarshal([]byte(result), &violations); err != nil {
				t.Fatalf("%s: axe answered %q: %v", path, result, err)
			}
			t.Logf("%s: axe found %d violations of any impact: %s", path, len(violations), result)
			for _, v := range violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s: %s (%s, %d nodes): %s", path, v.ID, v.Impact, v.Nodes, v.Help)
				}
			}
		}
	})
}

// archiveServer serves an archive of two stories from a real database: the
// bundled one and a small synthetic one.
func archiveServer(t *testing.T) *httptest.Server {
	t.Helper()
	db := sqlitetest.MustOpen(t)
	bundled, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: 40, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	synthetic, err := datasetfile.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sqlitetest.MustImport(t, db, bundled)
	sqlitetest.MustImport(t, db, synthetic)
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	return srv
}

// storyEvents is the number of events in the bundled story.
func storyEvents(t *testing.T) int {
	t.Helper()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	return len(ds.Events)
}

// TestBrowserReader does what a reader does, one step after another in
// one browser: the front page's list of stories, a story, the story
// filtered by an actor ticked in the form, an event's permalink.
func TestBrowserReader(t *testing.T) {
	ctx := browser(t)
	srv := archiveServer(t)
	const bundled = "drones-over-the-kremlin-may-2023"
	path := func(t *testing.T) *url.URL {
		t.Helper()
		var location string
		if err := chromedp.Run(ctx, chromedp.Location(&location)); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(location)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	t.Run("FrontPageListsTheStories", func(t *testing.T) {
		var slugs []string
		err := chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/"),
			chromedp.WaitVisible(`[data-testid="story"]`, chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="story"]')].map(s => s.dataset.slug)`, &slugs),
		)
		if err != nil {
			t.Fatal(err)
		}
		// The synthetic story was imported last: it is the most recently updated.
		if want := []string{"synthetic", bundled}; !slices.Equal(slugs, want) {
			t.Errorf("the front page lists %v, want %v", slugs, want)
		}
		if u := path(t); u.Path != "/" {
			t.Errorf("the front page is at %s", u)
		}
	})

	t.Run("OpenTheStory", func(t *testing.T) {
		var h1 string
		err := chromedp.Run(ctx,
			chromedp.Click(`[data-testid="story"][data-slug="`+bundled+`"] [data-testid="story-link"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`li.event`, chromedp.ByQuery),
			chromedp.Text(`h1`, &h1, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatal(err)
		}
		if u := path(t); u.Path != "/stories/"+bundled || u.RawQuery != "" {
			t.Errorf("the story's link led to %s", u)
		}
		if !strings.Contains(h1, "Kremlin") {
			t.Errorf("the story's heading is %q", h1)
		}
		ids, _, err := visibleEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := storyEvents(t); len(ids) != want || !slices.Contains(ids, "kremlin-statement-attempt-on-putin") {
			t.Errorf("the story shows %d events: %v", len(ids), ids)
		}
		for _, id := range ids {
			if strings.HasPrefix(id, "ev-") {
				t.Errorf("the bundled story shows the synthetic event %s", id)
			}
		}
	})

	var first string
	t.Run("FilterByAnActor", func(t *testing.T) {
		err := chromedp.Run(ctx,
			chromedp.Click(`input[name="actor"][value="peskov"]`, chromedp.ByQuery),
			chromedp.Sleep(300*time.Millisecond), // the script may apply the change itself
			chromedp.ActionFunc(func(ctx context.Context) error {
				var applied bool
				if err := chromedp.Evaluate(`new URL(location.href).searchParams.getAll("actor").includes("peskov")`, &applied).Do(ctx); err != nil || applied {
					return err
				}
				return chromedp.Click(`[data-testid="apply"]`, chromedp.ByQuery).Do(ctx)
			}),
			chromedp.WaitVisible(`[data-testid="chip"]`, chromedp.ByQuery),
		)
		if err != nil {
			t.Fatal(err)
		}
		if u := path(t); u.Path != "/stories/"+bundled || !slices.Equal(u.Query()["actor"], []string{"peskov"}) {
			t.Errorf("filtering led to %s, want the story's timeline with actor=peskov", u)
		}
		ids, actors, err := visibleEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 || len(ids) >= storyEvents(t) {
			t.Fatalf("%d events for Peskov", len(ids))
		}
		for _, id := range ids {
			if !slices.Contains(actors[id], "peskov") {
				t.Errorf("event %s is not Peskov's: %v", id, actors[id])
			}
		}
		var checked []string
		chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('input[name="actor"]:checked')].map(i => i.value)`, &checked))
		if !slices.Equal(checked, []string{"peskov"}) {
			t.Errorf("the form has %v ticked", checked)
		}
		first = ids[0]
	})

	t.Run("FollowAPermalink", func(t *testing.T) {
		if first == "" {
			t.Skip("no event: the filter step failed")
		}
		var h1 string
		var names bool
		err := chromedp.Run(ctx,
			chromedp.Click(`li.event#`+first+` .permalink a`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-testid="event-detail"]`, chromedp.ByQuery),
			chromedp.Text(`h1`, &h1, chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('[data-testid="event-detail"] a')].some(a => a.textContent.includes("Peskov"))`, &names),
		)
		if err != nil {
			t.Fatal(err)
		}
		if u := path(t); u.Path != "/events/"+first {
			t.Errorf("the permalink of %s led to %s", first, u)
		}
		if h1 == "" || !names {
			t.Errorf("the permalink of %s has heading %q and names Peskov: %v", first, h1, names)
		}
	})
}
