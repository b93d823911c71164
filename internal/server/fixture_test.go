package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

const baseURL = "https://timeline.example"

// newServer serves ds from a real database through the real handler.
func newServer(tb testing.TB, ds *timeline.Dataset) (*httptest.Server, *sqlite.DB) {
	tb.Helper()
	db := sqlitetest.MustOpen(tb)
	if ds != nil {
		sqlitetest.MustImport(tb, db, ds)
	}
	h := server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv, db
}

// actorNames are the names and kinds of the drones story's actors.
var actorNames = map[string]struct {
	name string
	kind timeline.ActorKind
}{
	"kremlin":  {"The Kremlin", timeline.ActorGovernment},
	"ukraine":  {"Ukraine", timeline.ActorState},
	"us":       {"United States", timeline.ActorState},
	"zelensky": {"Volodymyr Zelensky", timeline.ActorPerson},
	"peskov":   {"Dmitry Peskov", timeline.ActorPerson},
	"kirby":    {"John Kirby", timeline.ActorPerson},
	"galeotti": {"Mark Galeotti", timeline.ActorAnalyst},
}

// drones is the story the server's tests tell: actors with names, a
// source quoted through another, and one whose URL is a script.
var drones = sqlitetest.Story{
	Title:       "Drones over the Kremlin",
	Description: "A test story.",
	Sources: []timeline.Source{
		{Key: "wire", Outlet: "Wire", URL: "https://wire.example/story"},
		{Key: "guardian", Outlet: "The Guardian", Via: "wire"},
		{Key: "shady", Outlet: "Shady", URL: "javascript:alert(1)"},
	},
	Actor: func(slug string) timeline.Actor {
		n, ok := actorNames[slug]
		if !ok {
			n.name, n.kind = "Actor "+slug, timeline.ActorPerson
		}
		return timeline.Actor{Slug: slug, Name: n.name, Kind: n.kind}
	},
}

// exchange is a small story in three zones.
var exchange = []sqlitetest.Event{
	{Slug: "drones-downed", Kind: "incident", When: "2023-05-03 early-hours", Zone: "Europe/Moscow", Title: "Two drones downed over the Kremlin", Actors: []string{"kremlin"}},
	{Slug: "kremlin-claims-attempt", Kind: "claim", When: "2023-05-03", Zone: "Europe/Moscow", Title: "Kremlin calls it an attempt on Putin's life", Actors: []string{"kremlin", "ukraine:target"}},
	{Slug: "zelensky-denies", Kind: "denial", When: "2023-05-03 afternoon", Zone: "Europe/Kyiv", Title: "Zelensky denies any attack", Actors: []string{"zelensky", "ukraine"}, Answers: []string{"kremlin-claims-attempt:denies"}},
	{Slug: "peskov-blames-us", Kind: "accusation", When: "2023-05-04", Zone: "Europe/Moscow", Title: "Peskov blames Washington", Actors: []string{"peskov", "us:target"}, Answers: []string{"zelensky-denies:disputes"}},
	{Slug: "kirby-denies", Kind: "denial", When: "2023-05-04T09:15", Zone: "America/New_York", Title: "Kirby calls it lies", Actors: []string{"kirby", "us"}, Answers: []string{"peskov-blames-us:denies"}},
	{Slug: "galeotti-doubts", Kind: "analysis", When: "2023-05-04", Zone: "UTC", Title: "Galeotti doubts an assassination attempt", Actors: []string{"galeotti", "kremlin:mentioned"}, Answers: []string{"kremlin-claims-attempt:doubts"}},
}

// dataset is the drones story with the events.
func dataset(tb testing.TB, events []sqlitetest.Event) *timeline.Dataset {
	tb.Helper()
	return drones.Dataset(tb, events)
}

// get fetches a path without following redirects.
func get(tb testing.TB, srv *httptest.Server, path string, header ...string) *http.Response {
	tb.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { res.Body.Close() })
	return res
}

// page fetches a path, checks the status and parses the HTML.
func page(tb testing.TB, srv *httptest.Server, path string, wantStatus int) *goquery.Document {
	tb.Helper()
	res := get(tb, srv, path)
	if res.StatusCode != wantStatus {
		body, _ := io.ReadAll(res.Body)
		tb.Fatalf("GET %s = %d, want %d\n%.2000s", path, res.StatusCode, wantStatus, body)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		checkHTML(tb, path, doc)
	}
	return doc
}

// checkHTML asserts what every page must be, whatever it shows: unique ids,
// references (labels, ARIA, in-page links) that point at something, one
// h1 and one main landmark, and no inline script or style, which the
// Content-Security-Policy would block.
func checkHTML(tb testing.TB, path string, doc *goquery.Document) {
	tb.Helper()
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if id == "" || strings.ContainsAny(id, " \t\n") {
			tb.Errorf("%s: bad id %q", path, id)
		}
		if ids[id] {
			tb.Errorf("%s: duplicate id %q", path, id)
		}
		ids[id] = true
	})
	doc.Find("label[for]").Each(func(_ int, s *goquery.Selection) {
		if id := s.AttrOr("for", ""); doc.Find("#"+id).Filter("input, select, textarea").Length() != 1 {
			tb.Errorf("%s: label for %q names no form control", path, id)
		}
	})
	doc.Find("input:not([type=hidden]), select, textarea").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if s.ParentsFiltered("label").Length() == 0 && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0) && s.AttrOr("aria-label", "") == "" {
			tb.Errorf("%s: form control %s has no label", path, s.AttrOr("name", "?"))
		}
	})
	for _, attr := range []string{"aria-labelledby", "aria-describedby", "aria-controls"} {
		doc.Find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			for _, id := range strings.Fields(s.AttrOr(attr, "")) {
				if !ids[id] {
					tb.Errorf("%s: %s names missing id %q", path, attr, id)
				}
			}
		})
	}
	doc.Find(`a[href^="#"]`).Each(func(_ int, s *goquery.Selection) {
		if id := strings.TrimPrefix(s.AttrOr("href", ""), "#"); id != "" && !ids[id] {
			tb.Errorf("%s: link to missing #%s", path, id)
		}
	})
	if n := doc.Find("h1").Length(); n != 1 {
		tb.Errorf("%s: %d h1 elements, want 1", path, n)
	} else if strings.TrimSpace(doc.Find("h1").Text()) == "" {
		tb.Errorf("%s: the h1 is empty", path)
	}
	if n := doc.Find("main").Length(); n != 1 {
		tb.Errorf("%s: %d main elements, want 1", path, n)
	}
	if doc.Find("html").AttrOr("lang", "") == "" || doc.Find("head > title").Length() != 1 {
		tb.Errorf("%s: no lang or no single title", path)
	}
	if doc.Find(`script:not([src]):not([type="application/ld+json"])`).Length() != 0 || doc.Find("style, [style]").Length() != 0 {
		tb.Errorf("%s: inline script or style", path)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "on") {
				tb.Errorf("%s: inline event handler %s", path, a.Key)
			}
		}
	})
}

// eventIDs lists the ids of the event items on a page, in order.
func eventIDs(doc *goquery.Document) []string {
	var ids []string
	doc.Find(`li.event`).Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, s.AttrOr("id", ""))
	})
	return ids
}

// eventSlug is the slug of the event listed in s, read off its title's link.
func eventSlug(s *goquery.Selection) string {
	return strings.TrimPrefix(s.Find("h3 a").AttrOr("href", ""), "/events/")
}

// evilCitation cites a source whose URL is not http(s).
func evilCitation() timeline.Citation {
	return timeline.Citation{Source: timeline.Source{Key: "shady"}, Quote: `"><img src=x onerror=alert(1)>`}
}
