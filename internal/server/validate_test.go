package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestHTMLValidates runs the W3C Nu HTML checker over every kind of page:
// the fixture's, whose slugs and shapes are fixed here (several zones, a
// former slug, answers both ways, a hostile title, empty and error states),
// and the bundled story's, whose slugs are read from the story itself so
// that editing it does not break the test. The checker refuses localhost
// URLs, so each page is saved to a file for it.
func TestHTMLValidates(t *testing.T) {
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VNU_JAR must name vnu.jar in CI")
		}
		t.Skip("set VNU_JAR to the path of vnu.jar (npm package vnu-jar) to validate the HTML")
	}
	ds := dataset(t, append(exchange, sqlitetest.Event{Slug: "evil", Kind: "claim", When: "2023-05-05", Zone: "UTC", Title: `<script>alert(1)</script>`, Actors: []string{"kremlin", "kremlin:mentioned"}}))
	ds.Events[3].Body = "A longer account.\n\nIn two paragraphs."
	fixture, _ := newServer(t, ds)
	type check struct {
		srv    *httptest.Server
		path   string
		status int
	}
	var checks []check
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/", 200}, {"/timeline?order=desc", 200}, {"/timeline?actor=peskov&actor=kirby&kind=denial", 200},
		{"/timeline?actor=galeotti&kind=incident", 200}, {"/timeline?around=kirby-denies", 200}, {"/timeline?around=kirby-denies&actor=galeotti", 200},
		{"/timeline?actor=nobody", 400}, {"/timeline?kind=rumour&actor=kirby", 400}, {"/events/peskov-blames-us", 200}, {"/events/evil", 200},
		{"/events/kremlin-claims-attempt", 200}, {"/events/nope", 404}, {"/threads/peskov-blames-us", 200},
		{"/claims", 200}, {"/claims/kremlin-claims-attempt", 200}, {"/actors", 200}, {"/actors?q=kir", 200},
		{"/actors?q=zzz", 200}, {"/actors/kremlin", 200}, {"/actors/ukraine", 200},
		{"/embed/timeline", 200}, {"/embed/timeline?actor=peskov&kind=denial", 200}, {"/embed/timeline?actor=nobody", 400},
		{"/embed/events/peskov-blames-us", 200}, {"/embed/events/evil", 200}, {"/embed/claims/kremlin-claims-attempt", 200},
		{"/embed/claims", 200}, {"/embed/claims?actor=peskov&contested=1", 200}, {"/embed/claims?actor=galeotti", 200},
	} {
		checks = append(checks, check{fixture, c.path, c.status})
	}

	st, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	storySrv := storyServer(t)
	answered, answering, actor := storyPicks(st)
	for _, path := range []string{"/", "/timeline?order=desc", "/claims", "/actors", "/actors/" + actor,
		"/events/" + answered, "/events/" + answering, "/threads/" + answered, "/timeline?around=" + answering} {
		checks = append(checks, check{storySrv, path, 200})
	}

	var docs []checkedFile
	for _, c := range checks {
		res, err := http.Get(c.srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s, want %d HTML", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.status)
		}
		docs = append(docs, checkedFile{c.path, body})
	}
	runJavaChecker(t, "pages", []string{"-jar", jar, "--errors-only", "--format", "gnu"}, "html", docs)
}

// storyPicks chooses pages of the bundled story by shape, not by name: the
// event answered most often, an event that answers another, and the actor
// in most events.
func storyPicks(ds *timeline.Dataset) (answered, answering, actor string) {
	times := map[string]int{}
	counts := map[string]int{}
	for _, e := range ds.Events {
		for _, r := range e.Answers {
			times[r.Event.Slug]++
			if answering == "" {
				answering = e.Slug
			}
		}
		for _, a := range e.Actors {
			counts[a.Actor.Slug]++
		}
	}
	for slug, n := range times {
		if answered == "" || n > times[answered] || n == times[answered] && slug < answered {
			answered = slug
		}
	}
	for slug, n := range counts {
		if actor == "" || n > counts[actor] || n == counts[actor] && slug < actor {
			actor = slug
		}
	}
	if answered == "" { // a story without answers
		answered = ds.Events[0].Slug
		answering = ds.Events[len(ds.Events)-1].Slug
	}
	return answered, answering, actor
}

// checkedFile is a document a checker run by runJavaChecker reads from a
// file, named in its report by the path it was served at.
type checkedFile struct {
	path string
	body []byte
}

// runJavaChecker writes each document to a file and runs java once over
// them all (the JVM starts once), args before the files; anything the
// checker says fails the test, each file named by its path.
func runJavaChecker(t *testing.T, what string, args []string, ext string, docs []checkedFile) {
	t.Helper()
	dir := t.TempDir()
	names := map[string]string{}
	for i, d := range docs {
		file := filepath.Join(dir, fmt.Sprintf("doc%02d.%s", i, ext))
		if err := os.WriteFile(file, d.body, 0o644); err != nil {
			t.Fatal(err)
		}
		names[file] = d.path
		args = append(args, file)
	}
	out, err := exec.Command("java", args...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		report := string(out)
		for file, path := range names {
			report = strings.ReplaceAll(report, "file:"+file, path)
			report = strings.ReplaceAll(report, file, path)
		}
		t.Errorf("the %s do not validate (%v):\n%s", what, err, report)
	}
}
