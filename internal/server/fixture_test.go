package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/timeline"
)

const baseURL = "https://timeline.example"

// MustOpen opens a migrated database file in a temporary directory.
func MustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "timeline.db"), sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// newServer serves ds from a real database through the real handler.
func newServer(tb testing.TB, ds *timeline.Dataset) (*httptest.Server, *sqlite.DB) {
	tb.Helper()
	db := MustOpen(tb)
	if ds != nil {
		if _, err := db.Import(context.Background(), ds); err != nil {
			tb.Fatal(err)
		}
	}
	h := server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv, db
}

func when(tb testing.TB, text, zone string) timeline.When {
	tb.Helper()
	w, err := timeline.ParseWhen(text, zone)
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

type ev struct {
	slug, kind, when, zone, title string
	actors                        []string // "slug" or "slug:role"
	answers                       []string // "slug:type"
}

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

// exchange is a small story in three zones.
var exchange = []ev{
	{slug: "drones-downed", kind: "incident", when: "2023-05-03 early-hours", zone: "Europe/Moscow", title: "Two drones downed over the Kremlin", actors: []string{"kremlin"}},
	{slug: "kremlin-claims-attempt", kind: "claim", when: "2023-05-03", zone: "Europe/Moscow", title: "Kremlin calls it an attempt on Putin's life", actors: []string{"kremlin", "ukraine:target"}},
	{slug: "zelensky-denies", kind: "denial", when: "2023-05-03 afternoon", zone: "Europe/Kyiv", title: "Zelensky denies any attack", actors: []string{"zelensky", "ukraine"}, answers: []string{"kremlin-claims-attempt:denies"}},
	{slug: "peskov-blames-us", kind: "accusation", when: "2023-05-04", zone: "Europe/Moscow", title: "Peskov blames Washington", actors: []string{"peskov", "us:target"}, answers: []string{"zelensky-denies:disputes"}},
	{slug: "kirby-denies", kind: "denial", when: "2023-05-04T09:15", zone: "America/New_York", title: "Kirby calls it lies", actors: []string{"kirby", "us"}, answers: []string{"peskov-blames-us:denies"}},
	{slug: "galeotti-doubts", kind: "analysis", when: "2023-05-04", zone: "UTC", title: "Galeotti doubts an assassination attempt", actors: []string{"galeotti", "kremlin:mentioned"}, answers: []string{"kremlin-claims-attempt:doubts"}},
}

func dataset(tb testing.TB, events []ev) *timeline.Dataset {
	tb.Helper()
	ds := &timeline.Dataset{Title: "Drones over the Kremlin", Description: "A test story.",
		Sources: []timeline.Source{
			{Key: "wire", Outlet: "Wire", URL: "https://wire.example/story"},
			{Key: "guardian", Outlet: "The Guardian", Via: "wire"},
			{Key: "shady", Outlet: "Shady", URL: "javascript:alert(1)"},
		}}
	seen := map[string]bool{}
	for _, e := range events {
		x := timeline.Event{Slug: e.slug, Title: e.title, Summary: "Summary of " + e.slug, Kind: timeline.EventKind(e.kind), When: when(tb, e.when, e.zone),
			Sources: []timeline.Citation{{Source: timeline.Source{Key: "wire"}, Quote: "Quote for " + e.slug}}}
		if x.Title == "" {
			x.Title = "Title of " + e.slug
		}
		for _, a := range e.actors {
			slug, role, ok := strings.Cut(a, ":")
			if !ok {
				role = "speaker"
			}
			if !seen[slug] {
				seen[slug] = true
				n, ok := actorNames[slug]
				if !ok {
					n.name, n.kind = "Actor "+slug, timeline.ActorPerson
				}
				ds.Actors = append(ds.Actors, timeline.Actor{Slug: slug, Name: n.name, Kind: n.kind})
			}
			x.Actors = append(x.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: timeline.Role(role)})
		}
		for _, a := range e.answers {
			target, typ, _ := strings.Cut(a, ":")
			x.Answers = append(x.Answers, timeline.Answer{Type: timeline.AnswerType(typ), Event: timeline.EventRef{Slug: target}})
		}
		ds.Events = append(ds.Events, x)
	}
	return ds
}

// manyEvents makes n events a minute apart, alternating two actors.
func manyEvents(n int) []ev {
	var out []ev
	for i := 0; i < n; i++ {
		actor := "alpha"
		if i%2 == 1 {
			actor = "beta"
		}
		out = append(out, ev{slug: fmt.Sprintf("e%04d", i), kind: "statement", when: fmt.Sprintf("2020-01-%02dT%02d:%02d", 1+i/1440, (i/60)%24, i%60), zone: "UTC", actors: []string{actor}})
	}
	return out
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
	if doc.Find("html").AttrOr("lang", "") == "" || doc.Find("title").Length() != 1 {
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
