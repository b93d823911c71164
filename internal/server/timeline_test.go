package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestTimeline(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))

	t.Run("OrderAndDays", func(t *testing.T) {
		doc := page(t, srv, "/timeline", http.StatusOK)
		want := []string{"drones-downed", "kremlin-claims-attempt", "zelensky-denies", "peskov-blames-us", "galeotti-doubts", "kirby-denies"}
		if got := eventIDs(doc); !slices.Equal(got, want) {
			t.Errorf("order = %v, want %v", got, want)
		}
		// The early hours of 3 May in Moscow are 2 May in UTC: the event
		// belongs under 3 May, its own day.
		days := doc.Find(`section.day`)
		if days.Length() != 2 {
			t.Fatalf("%d day groups, want 2", days.Length())
		}
		first := days.First()
		if first.AttrOr("data-day", "") != "2023-05-03" || first.Find("h2").Text() != "Wednesday 3 May 2023" {
			t.Errorf("first day = %s %q", first.AttrOr("data-day", ""), first.Find("h2").Text())
		}
		if first.Find(`li.event`).First().AttrOr("id", "") != "drones-downed" {
			t.Error("the early-hours event is not under 3 May")
		}
		if doc.Find("h1").Length() != 1 {
			t.Errorf("%d h1 elements, want 1", doc.Find("h1").Length())
		}
	})

	t.Run("Desc", func(t *testing.T) {
		doc := page(t, srv, "/timeline?order=desc", http.StatusOK)
		if got := eventIDs(doc); got[0] != "kirby-denies" || got[len(got)-1] != "drones-downed" {
			t.Errorf("desc order = %v", got)
		}
	})

	t.Run("EventContent", func(t *testing.T) {
		doc := page(t, srv, "/timeline", http.StatusOK)
		e := doc.Find("#drones-downed")
		tm := e.Find(`.meta time:first-of-type`)
		if tm.AttrOr("datetime", "") != "2023-05-03" || tm.Text() != "early hours of 3 May 2023, Moscow time" {
			t.Errorf("time = %q %q", tm.AttrOr("datetime", ""), tm.Text())
		}
		// Each event in its own zone, at its own precision.
		for slug, want := range map[string][2]string{
			"kremlin-claims-attempt": {"2023-05-03", "3 May 2023, Moscow time"},
			"zelensky-denies":        {"2023-05-03", "afternoon of 3 May 2023, Kyiv time"},
			"kirby-denies":           {"2023-05-04T09:15-04:00", "4 May 2023, 09:15, US Eastern time"},
			"galeotti-doubts":        {"2023-05-04", "4 May 2023, UTC"},
		} {
			tm := doc.Find("#" + slug + ` .meta time:first-of-type`)
			if got := [2]string{tm.AttrOr("datetime", ""), tm.Text()}; got != want {
				t.Errorf("%s: time %q, want %q", slug, got, want)
			}
		}
		if k := e.Find(`.kind`).Text(); k != "Incident" {
			t.Errorf("kind = %q", k)
		}
		if href := e.Find(`.permalink a`).AttrOr("href", ""); href != "/events/drones-downed" {
			t.Errorf("permalink = %q", href)
		}
		claim := doc.Find("#kremlin-claims-attempt")
		if claim.Find(`.contested`).Length() != 1 {
			t.Error("a denied claim is not marked contested")
		}
		denied := claim.Find(`li.answered-by[data-type="denies"]`)
		if !strings.HasPrefix(denied.Text(), "Denied by") || denied.Find("a").AttrOr("href", "") != "/events/zelensky-denies" {
			t.Errorf("answered by = %q", denied.Text())
		}
		if claim.Find(`li.answered-by[data-type="doubts"] a`).AttrOr("href", "") != "/events/galeotti-doubts" {
			t.Error("the doubt is not shown on the claim")
		}
		answers := doc.Find(`#zelensky-denies li.answers`)
		if answers.AttrOr("data-type", "") != "denies" || answers.Find("a").AttrOr("href", "") != "/events/kremlin-claims-attempt" {
			t.Errorf("answers = %q", answers.Text())
		}
		actor := claim.Find(`ul.actors a[href="/timeline?actor=ukraine"]`)
		if actor.AttrOr("href", "") != "/timeline?actor=ukraine" || !strings.Contains(actor.Parent().Text(), "(target)") {
			t.Errorf("actor link = %q, %q", actor.AttrOr("href", ""), actor.Parent().Text())
		}
		src := e.Find(`ul.sources > li`).First()
		if src.Find("a").AttrOr("href", "") != "https://wire.example/story" || src.Find("blockquote").Text() != "Quote for drones-downed" {
			t.Errorf("source = %q", src.Text())
		}
	})

	t.Run("Escaping", func(t *testing.T) {
		evil := dataset(t, []sqlitetest.Event{{Slug: "evil", Kind: "claim", When: "2023-05-03", Zone: "UTC", Title: `<script>alert(1)</script>`, Actors: []string{"kremlin"}}})
		evil.Events[0].Sources = append(evil.Events[0].Sources, evilCitation())
		srv, _ := newServer(t, evil)
		doc := page(t, srv, "/timeline", http.StatusOK)
		h := doc.Find("#evil h3")
		if h.Text() != `<script>alert(1)</script>` || h.Find("script").Length() != 0 {
			t.Errorf("title rendered as %q with %d script elements", h.Text(), h.Find("script").Length())
		}
		if doc.Find(`a[href^="javascript:"]`).Length() != 0 {
			t.Error("a javascript: source URL became a link")
		}
		if q := doc.Find(`#evil ul.sources > li blockquote`).Last().Text(); q != `"><img src=x onerror=alert(1)>` || doc.Find("img").Length() != 0 {
			t.Errorf("quote rendered as %q", q)
		}

		// On the permalink the title is also in attributes and in JSON-LD,
		// where "</script>" would end the element early.
		doc = page(t, srv, "/events/evil", http.StatusOK)
		if got := doc.Find("script").Length(); got != 2 {
			t.Errorf("%d script elements, want app.js and the JSON-LD", got)
		}
		if got := doc.Find(`meta[property="og:title"]`).AttrOr("content", ""); got != `<script>alert(1)</script>` {
			t.Errorf("og:title = %q", got)
		}
		if ld := pageArticle(t, doc); ld["headline"] != `<script>alert(1)</script>` {
			t.Errorf("JSON-LD headline = %v", ld["headline"])
		}
	})
}

func TestFilters(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	tests := []struct {
		query string
		want  []string
	}{
		{"actor=peskov", []string{"peskov-blames-us"}},
		{"actor=peskov&actor=kirby", []string{"peskov-blames-us", "kirby-denies"}},
		{"actor=ukraine&kind=denial", []string{"zelensky-denies"}},
		{"kind=denial&kind=analysis", []string{"zelensky-denies", "galeotti-doubts", "kirby-denies"}},
		{"actor=us&role=target", []string{"peskov-blames-us"}},
		{"actor=us&role=speaker", []string{"kirby-denies"}},
		{"contested=1", []string{"kremlin-claims-attempt", "zelensky-denies", "peskov-blames-us", "galeotti-doubts", "kirby-denies"}},
		// Date ranges are UTC days, matched against the middle of each
		// event's period: 4 May in Moscow is mostly 4 May in UTC.
		{"from=2023-05-04&to=2023-05-04", []string{"peskov-blames-us", "galeotti-doubts", "kirby-denies"}},
		{"to=2023-05-03", []string{"drones-downed", "kremlin-claims-attempt", "zelensky-denies"}},
		{"unknown=ignored", []string{"drones-downed", "kremlin-claims-attempt", "zelensky-denies", "peskov-blames-us", "galeotti-doubts", "kirby-denies"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc := page(t, srv, "/timeline?"+tt.query, http.StatusOK)
			if got := eventIDs(doc); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("FormReflectsURL", func(t *testing.T) {
		doc := page(t, srv, "/timeline?actor=peskov&actor=kirby&kind=denial", http.StatusOK)
		form := doc.Find(`form[data-testid="filters"]`)
		if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != "/timeline" {
			t.Errorf("form method %q action %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
		}
		var checked []string
		form.Find(`input[type="checkbox"][checked]`).Each(func(_ int, s *goquery.Selection) {
			checked = append(checked, s.AttrOr("name", "")+"="+s.AttrOr("value", ""))
		})
		slices.Sort(checked)
		if want := []string{"actor=kirby", "actor=peskov", "kind=denial"}; !slices.Equal(checked, want) {
			t.Errorf("checked = %v, want %v", checked, want)
		}
		// It works without JavaScript: a submit button, and each control
		// in a fieldset with a legend.
		if form.Find(`button[type="submit"]`).Length() != 1 {
			t.Error("the filter form has no submit button")
		}
		form.Find("input, select").Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("type", "") != "hidden" && s.ParentsFiltered("fieldset").Find("legend").Length() == 0 {
				t.Errorf("control %s=%s is in no fieldset with a legend", s.AttrOr("name", ""), s.AttrOr("value", ""))
			}
		})
		if got := form.Find(`select[name="order"] option[selected]`).AttrOr("value", "?"); got != "" {
			t.Errorf("order selected %q, want oldest first", got)
		}
		// Actors are grouped by kind, each with a count, after the words.
		groups := form.Find("fieldset:not(.search-field) legend")
		if groups.First().Text() != "States" {
			t.Errorf("first group = %q", groups.First().Text())
		}
		count := form.Find(`input[value="ukraine"]`).Parent().Find(".count").Text()
		if count != "2 events" {
			t.Errorf("ukraine's count = %q, want 2", count)
		}
	})

	t.Run("ChipsRemoveOneFilter", func(t *testing.T) {
		doc := page(t, srv, "/timeline?actor=peskov&actor=kirby&kind=denial", http.StatusOK)
		chips := map[string]string{}
		doc.Find(`[data-testid="chip"]`).Each(func(_ int, s *goquery.Selection) {
			chips[strings.TrimPrefix(s.Text(), "Remove filter: ")] = s.AttrOr("href", "")
		})
		want := map[string]string{
			"Actor: Dmitry Peskov": "/timeline?actor=kirby&kind=denial",
			"Actor: John Kirby":    "/timeline?actor=peskov&kind=denial",
			"Kind: Denial":         "/timeline?actor=kirby&actor=peskov",
		}
		for label, href := range want {
			if chips[label] != href {
				t.Errorf("chip %q → %q, want %q (all: %v)", label, chips[label], href, chips)
			}
		}
		if got, want := doc.Find(`meta[property="og:title"]`).AttrOr("content", ""), "Actor: John Kirby, Actor: Dmitry Peskov, Kind: Denial — Every story"; got != want {
			t.Errorf("og:title = %q, want %q", got, want)
		}
		if got, want := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""), baseURL+"/timeline?actor=kirby&actor=peskov&kind=denial"; got != want { // the canonical form: actors by slug
			t.Errorf("canonical = %q, want %q", got, want)
		}
		if doc.Find(`[data-testid="clear"]`).AttrOr("href", "") != "/timeline" {
			t.Error("clear all does not lead to /")
		}
	})

	t.Run("CanonicalURL", func(t *testing.T) {
		// One view, one address: fixed parameter order, no paging, no noise.
		for path, want := range map[string]string{
			"/timeline?kind=denial&actor=kirby&utm_source=chat&actor=peskov": "/timeline?actor=kirby&actor=peskov&kind=denial",
			"/timeline?order=desc&role=&actor=us&role=target":                "/timeline?actor=us&role=target&order=desc",
			"/timeline?around=kirby-denies":                                  "/timeline",
			"/timeline?after=1683072000.1&kind=claim":                        "/timeline?kind=claim",
		} {
			doc := page(t, srv, path, http.StatusOK)
			if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != baseURL+want {
				t.Errorf("%s: canonical %q, want %q", path, got, baseURL+want)
			}
		}
	})

	t.Run("EmptyState", func(t *testing.T) {
		doc := page(t, srv, "/timeline?actor=galeotti&kind=incident", http.StatusOK)
		if doc.Find(`[data-testid="empty"]`).Length() != 1 || len(eventIDs(doc)) != 0 {
			t.Error("no empty state for a filter that matches nothing")
		}
	})

	// A bad value gets a 400 page that names it and offers the same view
	// without it, and the valid values where there are few.
	bad := []struct {
		query, names string
		links        []string // hrefs the page must offer
	}{
		{"actor=putin&kind=denial", `"putin"`, []string{"/timeline?kind=denial", "/actors"}},
		{"actor=kirby&actor=putin", `"putin"`, []string{"/timeline?actor=kirby", "/actors"}},
		{"kind=rumour&actor=kirby", `"rumour"`, []string{"/timeline?actor=kirby", "/timeline?actor=kirby&kind=claim", "/timeline?actor=kirby&kind=denial"}},
		{"kind=denial&kind=rumour", `"rumour"`, []string{"/timeline?kind=denial", "/timeline?kind=denial&kind=claim"}},
		{"role=victim&actor=us", `"victim"`, []string{"/timeline?actor=us", "/timeline?actor=us&role=target"}},
		{"order=sideways", `"sideways"`, []string{"/timeline", "/timeline?order=desc"}},
		{"from=2023-02-30", `"2023-02-30"`, []string{"/timeline"}},
		{"after=nonsense&actor=kirby", `"nonsense"`, []string{"/timeline?actor=kirby"}},
		{"contested=maybe", `"maybe"`, []string{"/timeline"}},
		{"actor=" + strings.Repeat("a", 500), "too long", []string{"/timeline"}},
		{"actor=%ff", "UTF-8", []string{"/"}},
	}
	for _, tt := range bad {
		t.Run("Bad_"+tt.query[:min(len(tt.query), 20)], func(t *testing.T) {
			doc := page(t, srv, "/timeline?"+tt.query, http.StatusBadRequest)
			msg := doc.Find(`[data-testid="error-message"]`).Text()
			if !strings.Contains(msg, tt.names) {
				t.Errorf("message %q does not name %s", msg, tt.names)
			}
			for _, href := range tt.links {
				if doc.Find(`main a[href="`+href+`"]`).Length() == 0 {
					var all []string
					doc.Find("main a").Each(func(_ int, s *goquery.Selection) { all = append(all, s.AttrOr("href", "")) })
					t.Errorf("the 400 page does not link %s (it links %v)", href, all)
				}
			}
		})
	}
}

func TestPagination(t *testing.T) {
	srv, _ := newServer(t, sqlitetest.ManyEvents(t, 230))
	size := server.TimelinePageSize

	// Forward by "Later" links: full pages, then the rest, in order.
	var pages [][]string
	var doc *goquery.Document
	for path := "/timeline"; path != ""; path = doc.Find(`[data-testid="later"]`).First().AttrOr("href", "") {
		doc = page(t, srv, path, http.StatusOK)
		if len(pages) == 0 && doc.Find(`[data-testid="earlier"]`).Length() != 0 {
			t.Error("the first page links to an earlier one")
		}
		pages = append(pages, eventIDs(doc))
	}
	if len(pages) != (230+size-1)/size {
		t.Fatalf("%d pages of %d, want %d", len(pages), size, (230+size-1)/size)
	}
	for i, ids := range pages {
		want := size
		if i == len(pages)-1 {
			want = 230 - i*size
		}
		if len(ids) != want || ids[0] != fmt.Sprintf("e%04d", i*size) {
			t.Fatalf("page %d: %d events from %s, want %d from e%04d", i+1, len(ids), ids[0], want, i*size)
		}
	}
	earlier := doc.Find(`[data-testid="earlier"]`).First().AttrOr("href", "")
	if ids := eventIDs(page(t, srv, earlier, http.StatusOK)); !slices.Equal(ids, pages[len(pages)-2]) {
		t.Errorf("earlier than the last page starts at %s, want %s", ids[0], pages[len(pages)-2][0])
	}

	t.Run("CursorKeepsFilters", func(t *testing.T) {
		doc := page(t, srv, "/timeline?actor=bob&order=desc", http.StatusOK)
		next := doc.Find(`[data-testid="earlier"]`).First().AttrOr("href", "")
		u, _ := url.Parse(next)
		if u.Query().Get("actor") != "bob" || u.Query().Get("order") != "desc" || u.Query().Get("before") == "" {
			t.Fatalf("earlier link %q lost the filters", next)
		}
		for _, id := range eventIDs(page(t, srv, next, http.StatusOK)) {
			if n := id[len(id)-1]; (n-'0')%2 != 1 {
				t.Fatalf("%s on bob's second page", id)
			}
		}
	})

	t.Run("Around", func(t *testing.T) {
		doc := page(t, srv, "/timeline?around=e0150", http.StatusOK)
		ids := eventIDs(doc)
		// The page starts a tenth of a page before the event, for context.
		if start := fmt.Sprintf("e%04d", 150-server.TimelinePageSize/10); !slices.Contains(ids, "e0150") || ids[0] != start {
			t.Errorf("around e0150: page starts at %s, holds it: %v", ids[0], slices.Contains(ids, "e0150"))
		}
		page(t, srv, "/timeline?around=nope", http.StatusNotFound)
	})
}

func TestEventPage(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Events[3].FormerSlugs = []string{"kremlin-blames-washington"}
	ds.Events[3].Body = "A longer account."
	ds.Events[5].Until = sqlitetest.When(t, "2023-05-06", "UTC")
	ds.Events[3].Sources = append(ds.Events[3].Sources, timeline.Citation{Source: timeline.Source{Key: "guardian"}, Quote: "Kyiv only does what it is told to do."})
	srv, _ := newServer(t, ds)

	doc := page(t, srv, "/events/peskov-blames-us", http.StatusOK)
	if doc.Find("h1").Text() != "Peskov blames Washington" || doc.Find(`[data-testid="body"]`).Text() != "A longer account." {
		t.Errorf("h1 %q body %q", doc.Find("h1").Text(), doc.Find(`[data-testid="body"]`).Text())
	}
	meta := func(sel string) string { return doc.Find(sel).AttrOr("content", "") }
	if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != baseURL+"/events/peskov-blames-us" {
		t.Errorf("canonical = %q", got)
	}
	for sel, want := range map[string]string{
		`meta[property="og:title"]`:       "Peskov blames Washington",
		`meta[property="og:description"]`: "Summary of peskov-blames-us",
		`meta[property="og:url"]`:         baseURL + "/events/peskov-blames-us",
		`meta[property="og:type"]`:        "article",
		`meta[property="og:site_name"]`:   "Timeline",
		`meta[name="twitter:card"]`:       "summary_large_image",
		`meta[property="og:image"]`:       baseURL + "/cards/events/peskov-blames-us.png",
	} {
		if got := meta(sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if ld := pageArticle(t, doc); ld["@type"] != "NewsArticle" || ld["headline"] != "Peskov blames Washington" || ld["url"] != baseURL+"/events/peskov-blames-us" {
		t.Errorf("JSON-LD = %v", ld)
	}
	if doc.Find(`li.answers a`).AttrOr("href", "") != "/events/zelensky-denies" {
		t.Error("the event page does not show what it answers")
	}
	if doc.Find(`li.answered-by a`).AttrOr("href", "") != "/events/kirby-denies" {
		t.Error("the event page does not show its answers")
	}
	if doc.Find(`li.answered-by blockquote`).Text() != "Quote for kirby-denies" {
		t.Error("the answer's quote is not shown")
	}
	if doc.Find(`[data-testid="prev"]`).AttrOr("href", "") != "/events/zelensky-denies" || doc.Find(`[data-testid="next"]`).AttrOr("href", "") != "/events/galeotti-doubts" {
		t.Error("previous and next are wrong")
	}
	guardian := doc.Find(`ul.sources > li`).Eq(1)
	if guardian.Find(".outlet").Text() != "The Guardian" || guardian.Find(`.via`).Text() != "via Wire" || guardian.Find(".outlet a").Length() != 0 {
		t.Errorf("second source = %q, want the Guardian, unlinked, via Wire", guardian.Text())
	}
	if doc.Find(`[data-testid="in-timeline"]`).AttrOr("href", "") != "/stories/drones-over-the-kremlin?around=peskov-blames-us#peskov-blames-us" {
		t.Error("no link into the event's story")
	}

	t.Run("Period", func(t *testing.T) {
		doc := page(t, srv, "/events/galeotti-doubts", http.StatusOK)
		from, until := doc.Find(`.meta time:first-of-type`), doc.Find(`.period time:last-of-type`)
		if from.Text() != "4 May 2023" || until.AttrOr("datetime", "") != "2023-05-06" || until.Text() != "6 May 2023, UTC" {
			t.Errorf("period = %q to %q (%s)", from.Text(), until.Text(), until.AttrOr("datetime", ""))
		}
	})

	t.Run("FormerSlugRedirects", func(t *testing.T) {
		res := get(t, srv, "/events/kremlin-blames-washington")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/events/peskov-blames-us" {
			t.Errorf("former slug: %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		doc := page(t, srv, "/events/no-such-event", http.StatusNotFound)
		if doc.Find(`a[href="/"]`).Length() == 0 {
			t.Error("the 404 page has no way back")
		}
		page(t, srv, "/no/such/page", http.StatusNotFound)
	})
}

func TestActorPages(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	doc := page(t, srv, "/actors", http.StatusOK)
	if doc.Find(`[data-testid="actor"]`).Length() != len(actorNames) {
		t.Errorf("%d actors listed", doc.Find(`[data-testid="actor"]`).Length())
	}
	doc = page(t, srv, "/actors/ukraine", http.StatusOK)
	if doc.Find("h1").Text() != "Ukraine" || doc.Find(`[data-testid="actor-timeline"]`).AttrOr("href", "") != "/timeline?actor=ukraine" {
		t.Error("actor page heading or timeline link")
	}
	if lede := strings.TrimSpace(doc.Find(".lede").Text()); lede != "State" {
		t.Errorf("who they are: %q, want the kind of actor, singular", lede)
	}
	speaker := doc.Find(`[data-role="speaker"] li.event`)
	target := doc.Find(`[data-role="target"] li.event`)
	if speaker.Length() != 1 || target.Length() != 1 || eventSlug(target) != "kremlin-claims-attempt" {
		t.Errorf("ukraine speaks in %d, is targeted in %d", speaker.Length(), target.Length())
	}
	page(t, srv, "/actors/nobody", http.StatusNotFound)
}

func TestCachingAndHeaders(t *testing.T) {
	srv, db := newServer(t, dataset(t, exchange))
	res := get(t, srv, "/timeline")
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") == "" {
		t.Fatalf("ETag %q Cache-Control %q", etag, res.Header.Get("Cache-Control"))
	}
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
	} {
		if got := res.Header.Get(header); got != want {
			t.Errorf("%s = %q", header, got)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if res := get(t, srv, "/timeline", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("matching If-None-Match: %d, want 304", res.StatusCode)
	}
	if other := get(t, srv, "/timeline?actor=kirby").Header.Get("ETag"); other == etag {
		t.Error("two views share an ETag")
	}
	// An import that changes data changes every ETag.
	ds := dataset(t, exchange)
	ds.Events[0].Title = "Changed"
	if _, err := db.Import(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	if res := get(t, srv, "/timeline", "If-None-Match", etag); res.StatusCode != http.StatusOK || res.Header.Get("ETag") == etag {
		t.Errorf("after an import: %d with ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}

	t.Run("Static", func(t *testing.T) {
		doc := page(t, srv, "/timeline", http.StatusOK)
		css := doc.Find(`link[rel="stylesheet"]`).AttrOr("href", "")
		js := doc.Find(`script[src]`).AttrOr("src", "")
		// A favicon of its own, so that the first load asks for nothing that fails.
		icon := doc.Find(`link[rel="icon"]`).AttrOr("href", "")
		if !regexp.MustCompile(`^/static/favicon\.[0-9a-f]{10}\.svg$`).MatchString(icon) {
			t.Errorf("favicon URL %q is not a content-hashed SVG", icon)
		}
		if ct := get(t, srv, icon).Header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("%s: Content-Type %q", icon, ct)
		}
		for _, path := range []string{css, js, icon} {
			res := get(t, srv, path)
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "max-age=31536000") || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: %d %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
			}
		}
		if get(t, srv, "/static/app.css").StatusCode != http.StatusNotFound {
			t.Error("an unhashed asset name is served")
		}
		res := get(t, srv, css)
		if ct := res.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", css, ct)
		}
		if ct := get(t, srv, js).Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", js, ct)
		}
		if res := get(t, srv, css, "If-None-Match", res.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %d, want 304", css, res.StatusCode)
		}
		if !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(css) {
			t.Errorf("stylesheet URL %q is not content-hashed", css)
		}
		if doc.Find("script:not([src]):not([type='application/ld+json'])").Length() != 0 || doc.Find("[style]").Length() != 0 || doc.Find("style").Length() != 0 {
			t.Error("inline script or style on the page")
		}
	})

	t.Run("HeadersOnEveryResponse", func(t *testing.T) {
		css := page(t, srv, "/timeline", http.StatusOK).Find(`link[rel="stylesheet"]`).AttrOr("href", "")
		for _, path := range []string{"/timeline", "/events/kirby-denies", "/actors", "/actors/kirby", "/claims", css, "/healthz", "/readyz", "/nowhere", "/timeline?kind=rumour", "/static/nothing.css"} {
			checkSecurityHeaders(t, get(t, srv, path))
		}
	})

	t.Run("ETagComparison", func(t *testing.T) {
		res := get(t, srv, "/events/kirby-denies")
		etag := res.Header.Get("ETag")
		if !strings.HasPrefix(etag, `W/"`) {
			t.Fatalf("ETag %q is not weak", etag)
		}
		for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag} {
			if res := get(t, srv, "/events/kirby-denies", "If-None-Match", inm); res.StatusCode != http.StatusNotModified || res.Header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d", inm, res.StatusCode)
			}
		}
		for _, inm := range []string{`"other"`, "*", ""} {
			if res := get(t, srv, "/events/kirby-denies", "If-None-Match", inm); res.StatusCode != http.StatusOK {
				t.Errorf("If-None-Match %q: %d, want 200", inm, res.StatusCode)
			}
		}
		// The same page under another URL is another representation.
		if get(t, srv, "/events/kirby-denies?x=1").Header.Get("ETag") != etag {
			t.Error("a parameter the permalink does not read changed its ETag")
		}
	})

	t.Run("Health", func(t *testing.T) {
		if get(t, srv, "/healthz").StatusCode != http.StatusOK || get(t, srv, "/readyz").StatusCode != http.StatusOK {
			t.Error("health or readiness failed")
		}
	})
}

func TestMetrics(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	get(t, srv, "/events/kirby-denies")
	get(t, srv, "/events/kirby-denies")
	get(t, srv, "/events/nope")
	res := get(t, srv, "/metrics")
	body, _ := io.ReadAll(res.Body)
	text := string(body)
	for _, want := range []string{
		`timeline_http_requests_total{method="GET",route="/events/{slug}",status="200"} 2`,
		`timeline_http_requests_total{method="GET",route="/events/{slug}",status="404"} 1`,
		`timeline_http_request_duration_seconds_count{route="/events/{slug}"} 3`,
		// The repeated page came from the page cache: two store reads.
		`timeline_db_query_duration_seconds_count{op="find_event"} 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestFormAtScale has more actors of one kind than the form lists: the
// form shows the busiest, the finder reaches the rest, and a chosen actor
// outside the busiest is still shown, ticked, and removable.
func TestFormAtScale(t *testing.T) {
	var events []sqlitetest.Event
	for i := 0; i < 40; i++ {
		// Actor pN is in 40-N events: p0 is busiest, p39 in one.
		for j := 0; j <= i; j++ {
			events = append(events, sqlitetest.Event{Slug: fmt.Sprintf("e-%d-%d", i, j), Kind: "statement", When: fmt.Sprintf("2021-01-%02d", 1+j%28), Zone: "UTC",
				Actors: []string{fmt.Sprintf("p%d", 39-i)}})
		}
	}
	srv, _ := newServer(t, dataset(t, events))

	doc := page(t, srv, "/timeline", http.StatusOK)
	listed := doc.Find(`input[name="actor"]`)
	if listed.Length() != 15 || listed.First().AttrOr("value", "") != "p0" {
		t.Fatalf("the form lists %d actors from %s, want the 15 busiest from p0", listed.Length(), listed.First().AttrOr("value", ""))
	}
	if doc.Find(`input[name="actor"][value="p39"]`).Length() != 0 {
		t.Error("the rarest actor is listed")
	}

	doc = page(t, srv, "/timeline?actor=p39&actor=p1", http.StatusOK)
	if doc.Find(`input[name="actor"][value="p39"][checked]`).Length() != 1 {
		t.Error("a chosen actor outside the busiest is not shown ticked")
	}
	var chip string
	doc.Find(`[data-testid="chip"]`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Actor p39") {
			chip = s.AttrOr("href", "")
		}
	})
	if chip != "/timeline?actor=p1" {
		t.Errorf("the chip for p39 removes it by %q, want /?actor=p1", chip)
	}
	if ids := eventIDs(doc); len(ids) != 40 {
		t.Errorf("p39 and p1 have %d events, want 1 + 39", len(ids))
	}

	doc = page(t, srv, "/actors?q=actor+p39", http.StatusOK)
	found := doc.Find(`[data-testid="actor-filter"]`)
	if found.Length() != 1 || found.AttrOr("href", "") != "/timeline?actor=p39" {
		t.Errorf("the finder found %d, linking %q", found.Length(), found.AttrOr("href", ""))
	}
	doc = page(t, srv, "/actors?q=zzz", http.StatusOK)
	if doc.Find(`[data-testid="empty"]`).Length() != 1 {
		t.Error("no empty state for a search that finds nothing")
	}
}

// TestFormCountsFollowImport: the filter form's busiest actors are kept
// between requests, but an import that changes them shows at once, on a
// page not rendered before and on one that was.
func TestFormCountsFollowImport(t *testing.T) {
	srv, db := newServer(t, sqlitetest.ManyEvents(t, 10))
	count := func(path, actor string) string {
		t.Helper()
		return page(t, srv, path, http.StatusOK).Find(`form input[name="actor"][value="` + actor + `"]`).Parent().Find(".count").Text()
	}
	if got := count("/timeline", "bob"); got != "5 events" {
		t.Fatalf("bob before: %q, want 5 events", got)
	}
	if _, err := db.Import(t.Context(), sqlitetest.ManyEvents(t, 14)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/timeline", "/timeline?kind=statement"} {
		if got := count(path, "bob"); got != "7 events" {
			t.Errorf("%s after an import: bob %q, want 7 events", path, got)
		}
	}
}

// TestOneViewOneURL: every way of writing one view (parameters in another
// order, repeated, empty or unknown) gets the same ETag, the same page and
// the same canonical link.
func TestOneViewOneURL(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	const canonical = "/timeline?actor=kirby&actor=peskov&kind=accusation&kind=denial"
	want := get(t, srv, canonical).Header.Get("ETag")
	if want == "" {
		t.Fatal("no ETag")
	}
	for _, path := range []string{
		"/timeline?actor=peskov&actor=kirby&kind=denial&kind=accusation",
		"/timeline?kind=denial&actor=kirby&kind=accusation&actor=peskov&actor=kirby",
		"/timeline?actor=kirby&actor=peskov&kind=accusation&kind=denial&role=&utm_source=feed&x=1",
		"/timeline?actor=+kirby+&actor=peskov&actor=&kind=accusation&kind=denial&kind=denial",
	} {
		res := get(t, srv, path)
		if got := res.Header.Get("ETag"); got != want {
			t.Errorf("%s: ETag %q, want %q as for %s", path, got, want, canonical)
		}
		doc := page(t, srv, path, http.StatusOK)
		if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != baseURL+canonical {
			t.Errorf("%s: canonical %q, want %q", path, got, baseURL+canonical)
		}
	}
	if other := get(t, srv, "/timeline?actor=kirby").Header.Get("ETag"); other == want {
		t.Error("another view shares the ETag")
	}
}
