package server_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed/atom"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// jingDriver is the Jing RELAX NG validator's command-line class, as the
// Nu HTML checker's jar bundles it under its own package name.
const jingDriver = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"

// TestAtomValidates validates every kind of Atom feed the site serves
// against RFC 4287's RELAX NG schema (testdata/atom.rnc) with Jing, which
// vnu.jar bundles: a story's, the archive's, filtered views', an actor's,
// a claim's, the claims lists', one with a hostile title, an empty one,
// and each page of a paged one. Jing does not check the schema's
// Schematron rules; they are checked here.
func TestAtomValidates(t *testing.T) {
	jar := os.Getenv("VNU_JAR")
	if _, err := exec.LookPath("java"); jar == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("VNU_JAR must name vnu.jar, and java must be installed, in CI")
		}
		t.Skip("set VNU_JAR to the path of vnu.jar (npm package vnu-jar), with java installed, to validate the Atom feeds")
	}
	ds := dataset(t, append(exchange, sqlitetest.Event{Slug: "evil", Kind: "claim", When: "2023-05-05", Zone: "UTC", Title: `<script>alert("1") & ]]></script>`, Actors: []string{"kremlin"}}))
	ds.Slug = "drones"
	fixture, _ := newServer(t, ds)
	many, _ := newServer(t, sqlitetest.ManyEvents(t, 120))

	type feed struct {
		srv  *httptest.Server
		path string
	}
	var feeds []feed
	for _, path := range []string{
		web.TimelineFeedPath(timeline.Filter{Story: "drones"}, web.Atom, nil),
		web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil),
		web.TimelineFeedPath(timeline.Filter{Story: "drones", Actors: []string{"kirby", "peskov"}, Kinds: []timeline.EventKind{timeline.KindDenial}}, web.Atom, nil),
		web.TimelineFeedPath(timeline.Filter{Query: "drones"}, web.Atom, nil),
		web.TimelineFeedPath(timeline.Filter{Actors: []string{"galeotti"}, Kinds: []timeline.EventKind{timeline.KindIncident}}, web.Atom, nil), // no entries
		web.ActorFeedPath("kremlin", web.Atom, nil),
		web.ClaimFeedPath("kremlin-claims-attempt", web.Atom),
		web.ClaimFeedPath("evil", web.Atom),
		web.ClaimsFeedPath(timeline.Filter{}, web.Atom, nil),
		web.ClaimsFeedPath(timeline.Filter{Story: "drones", Actors: []string{"kremlin"}}, web.Atom, nil),
	} {
		feeds = append(feeds, feed{fixture, path})
	}
	// Every page of a paged feed, by its next links.
	for path, pages := web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil), 0; path != "" && pages < 5; pages++ {
		feeds = append(feeds, feed{many, path})
		f, _ := readAtom(t, many, path)
		path = strings.TrimPrefix(atomLink(f.Links, "next"), baseURL)
	}
	if got := len(feeds); got < 13 {
		t.Fatalf("%d feeds, want the paged one's three pages among them", got)
	}

	var docs []checkedFile
	for _, f := range feeds {
		res, err := http.Get(f.srv.URL + f.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", f.path, res.StatusCode)
		}
		checkAtomRules(t, f.path, body)
		docs = append(docs, checkedFile{f.path, body})
	}
	runJavaChecker(t, "feeds", []string{"-cp", jar, jingDriver, "-c", filepath.Join("testdata", "atom.rnc")}, "atom", docs)
}

// checkAtomRules checks the schema's Schematron rules, which Jing leaves
// out: a feed has an author unless each entry has one, and each entry
// links to its page or holds its content.
func checkAtomRules(t *testing.T, path string, body []byte) {
	t.Helper()
	feed, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, e := range feed.Entries {
		if len(feed.Authors) == 0 && len(e.Authors) == 0 {
			t.Errorf("%s: entry %s has no author, nor has the feed", path, e.ID)
		}
		alternate := e.Content != nil
		for _, l := range e.Links {
			alternate = alternate || l.Rel == "" || l.Rel == "alternate"
		}
		if !alternate {
			t.Errorf("%s: entry %s has neither an alternate link nor content", path, e.ID)
		}
	}
}
