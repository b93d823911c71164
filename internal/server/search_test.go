package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	datasetfile "github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// TestSearch: q on the timelines and the claims, with the other filters,
// its words marked in escaped text, in the filter's canonical URL and in
// both search boxes; a search that cannot be read is a 400 that offers
// the words as plain terms.
func TestSearch(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Events[3].Sources[0].Quote = `He wrote <script>alert("drone")</script> in the chat`
	srv, _ := newServer(t, ds)

	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/timeline?q=drone*", []string{"drones-downed", "peskov-blames-us"}},
		{"/timeline?q=drone", []string{"peskov-blames-us"}}, // a word is whole: drones is not drone
		{"/timeline?q=" + url.QueryEscape(`"calls it"`), []string{"kremlin-claims-attempt", "kirby-denies"}},
		{"/timeline?q=" + url.QueryEscape(`"it calls"`), nil},
		{"/timeline?q=kremlin&actor=ukraine", []string{"kremlin-claims-attempt"}},
		{"/timeline?q=kremlin&kind=incident&kind=analysis", []string{"drones-downed", "galeotti-doubts"}},
		{"/timeline?q=Kirby+OR+Zelensky&order=desc", []string{"kirby-denies", "zelensky-denies"}},
		{"/timeline?q=Dmitry", []string{"peskov-blames-us"}}, // an actor's name
		{"/timeline?q=kremlin+NOT+putin", []string{"drones-downed", "galeotti-doubts"}},
	} {
		doc := page(t, srv, tt.path, http.StatusOK)
		if got := eventIDs(doc); !slices.Equal(got, tt.want) {
			t.Errorf("GET %s: events %v, want %v", tt.path, got, tt.want)
		}
	}

	t.Run("Marks", func(t *testing.T) {
		doc := page(t, srv, "/timeline?q=drone*+kremlin", http.StatusOK)
		marksIn := func(sel string) []string {
			var marks []string
			doc.Find(sel).Each(func(_ int, s *goquery.Selection) { marks = append(marks, s.Text()) })
			return marks
		}
		// Title "Two drones downed over the Kremlin", and the actor "The Kremlin".
		if got, want := marksIn("#drones-downed h3 mark"), []string{"drones", "Kremlin"}; !slices.Equal(got, want) {
			t.Errorf("title marks = %q, want %q", got, want)
		}
		if got, want := marksIn("#drones-downed .actors mark"), []string{"Kremlin"}; !slices.Equal(got, want) {
			t.Errorf("actor marks = %q, want %q", got, want)
		}
		if got := doc.Find("#drones-downed h3 a").Text(); got != "Two drones downed over the Kremlin" {
			t.Errorf("marked title reads %q", got)
		}
		if n := page(t, srv, "/timeline?actor=kremlin", http.StatusOK).Find("mark").Length(); n != 0 {
			t.Errorf("%d marks without a search", n)
		}
	})

	t.Run("MarksEscaped", func(t *testing.T) {
		doc := page(t, srv, "/timeline?q=script+drone", http.StatusOK)
		quote := doc.Find("#peskov-blames-us blockquote")
		if got, want := quote.Text(), `He wrote <script>alert("drone")</script> in the chat`; got != want {
			t.Errorf("quote reads %q, want %q", got, want)
		}
		var marks []string
		quote.Find("mark").Each(func(_ int, s *goquery.Selection) { marks = append(marks, s.Text()) })
		if want := []string{"script", "drone", "script"}; !slices.Equal(marks, want) {
			t.Errorf("marks = %q, want %q", marks, want)
		}
		if n := doc.Find("main script").Length(); n != 0 {
			t.Errorf("%d script elements in the page's main", n)
		}
	})

	t.Run("Claims", func(t *testing.T) {
		doc := page(t, srv, "/claims?q=putin", http.StatusOK)
		var claims []string
		doc.Find(`[data-testid="claim"]`).Each(func(_ int, s *goquery.Selection) { claims = append(claims, s.AttrOr("id", "")) })
		if !slices.Equal(claims, []string{"kremlin-claims-attempt"}) {
			t.Errorf("claims = %v, want [kremlin-claims-attempt]", claims)
		}
		if got := doc.Find(`[data-testid="claim"] h3 mark`).Text(); got != "Putin" {
			t.Errorf("mark = %q, want Putin", got)
		}
		if got := doc.Find(`[data-testid="header-search"]`).AttrOr("action", ""); got != "/claims" {
			t.Errorf("header search on claims sends to %q, want /claims", got)
		}
		if n := page(t, srv, "/claims?q=zelensky", http.StatusOK).Find(`[data-testid="claim"]`).Length(); n != 0 {
			t.Errorf("%d claims match zelensky, who made none", n)
		}
	})

	t.Run("ShareableCanonical", func(t *testing.T) {
		doc := page(t, srv, "/timeline?actor=kremlin&q=++drone*+++kremlin", http.StatusOK)
		if got, want := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""), "/timeline?q=drone%2A+kremlin&actor=kremlin"; !strings.HasSuffix(got, want) {
			t.Errorf("canonical = %q, want …%q", got, want)
		}
		if got := doc.Find(`[data-testid="filter-q"]`).AttrOr("value", ""); got != "drone* kremlin" {
			t.Errorf("filter form's search = %q", got)
		}
		header := doc.Find(`[data-testid="header-search"]`)
		if header.AttrOr("method", "") != "get" || header.AttrOr("action", "") != "/timeline" || header.Find(`input[name="q"]`).AttrOr("value", "") != "drone* kremlin" {
			t.Errorf("header search: method %q action %q value %q", header.AttrOr("method", ""), header.AttrOr("action", ""), header.Find(`input[name="q"]`).AttrOr("value", ""))
		}
		var chips []string
		doc.Find(`[data-testid="chip"]`).Each(func(_ int, s *goquery.Selection) { chips = append(chips, s.AttrOr("href", "")) })
		if !slices.Contains(chips, "/timeline?actor=kremlin") {
			t.Errorf("no chip removes the search: %v", chips)
		}
	})

	t.Run("BadSyntax", func(t *testing.T) {
		for _, tt := range []struct{ q, why, plain string }{
			{`"unbalanced`, "not closed", `"unbalanced"`},
			{"AND", "starts with", `"AND"`},
			{"drone NOT", "ends with", `"drone" "NOT"`},
		} {
			path := "/timeline?actor=kremlin&q=" + url.QueryEscape(tt.q)
			doc := page(t, srv, path, http.StatusBadRequest)
			if msg := doc.Find(`[data-testid="error-message"]`).Text(); !strings.Contains(msg, tt.why) {
				t.Errorf("GET %s: message %q does not say %q", path, msg, tt.why)
			}
			want := "/timeline?actor=kremlin&q=" + url.QueryEscape(tt.plain)
			offer := doc.Find(`[data-testid="error-links"] a[href="` + want + `"]`)
			if offer.Length() != 1 {
				var links []string
				doc.Find(`[data-testid="error-links"] a`).Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
				t.Errorf("GET %s: no offer of %s in %v", path, want, links)
				continue
			}
			page(t, srv, want, http.StatusOK)
		}
		page(t, srv, "/timeline?q="+strings.Repeat("a", 121), http.StatusBadRequest)
	})
}

// TestSearchBundledStory: the reader who remembers "a very large shaker
// of salt" finds it in the bundled story, marked.
func TestSearchBundledStory(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)
	doc := page(t, srv, "/stories/"+ds.Slug+"?q="+url.QueryEscape(`"shaker of salt"`), http.StatusOK)
	ids := eventIDs(doc)
	if !slices.Contains(ids, "blinken-very-large-shaker-of-salt") {
		t.Fatalf("events %v, want blinken-very-large-shaker-of-salt among them", ids)
	}
	item := doc.Find("#blinken-very-large-shaker-of-salt")
	var marks []string
	item.Find("h3 mark").Each(func(_ int, s *goquery.Selection) { marks = append(marks, s.Text()) })
	if want := []string{"shaker", "of", "salt"}; !slices.Equal(marks, want) {
		t.Errorf("title marks = %q, want %q", marks, want)
	}
	if item.Find("blockquote mark").Length() == 0 {
		t.Error("no marks in the quotes")
	}
	if got := doc.Find(`[data-testid="header-search"]`).AttrOr("action", ""); got != "/stories/"+ds.Slug {
		t.Errorf("header search sends to %q, want the story", got)
	}
}

// TestSearchOrderByRelevance: order=relevance puts the best match first,
// the filter form offers it only with a
// search, and without one the list falls back to time order. (Its
// paging is the store's: internal/sqlite TestSearchRelevance.)
func TestSearchOrderByRelevance(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)
	base := "/stories/" + ds.Slug
	doc := page(t, srv, base+"?q="+url.QueryEscape(`"shaker of salt" OR salt`)+"&order=relevance", http.StatusOK)
	if ids := eventIDs(doc); len(ids) == 0 || ids[0] != "blinken-very-large-shaker-of-salt" {
		t.Errorf("by relevance: events %v, want blinken-very-large-shaker-of-salt first", ids)
	}
	if got := doc.Find(`[data-testid="filter-order"] option[selected]`).AttrOr("value", ""); got != "relevance" {
		t.Errorf("selected order = %q, want relevance", got)
	}
	noSearch := page(t, srv, base+"?order=relevance", http.StatusOK)
	if n := noSearch.Find(`[data-testid="filter-order"] option[value="relevance"]`).Length(); n != 0 {
		t.Error("the order by relevance is offered without a search")
	}
	inTime := page(t, srv, base, http.StatusOK)
	if got, want := eventIDs(noSearch), eventIDs(inTime); !slices.Equal(got, want) {
		t.Errorf("relevance without a search: events %v, want the time order %v", got, want)
	}
	page(t, srv, base+"?q=drone*&order=random", http.StatusBadRequest)
	page(t, srv, base+"?q=drone*&order=relevance&after=1683072000.x", http.StatusBadRequest)
}

// TestSearchTooManyToRank: a search with more matches than may be ranked
// answers 400 in the order by relevance, saying why, with links on to the
// same search in time order.
func TestSearchTooManyToRank(t *testing.T) {
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: timeline.MaxRankedMatches + 2000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	ds, err := datasetfile.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)
	base := web.TimelinePath(timeline.Filter{Story: ds.Slug})
	doc := page(t, srv, base+"?q=synthetic&order=relevance", http.StatusBadRequest)
	if msg := doc.Find("main").Text(); !strings.Contains(msg, "too many events to rank them by relevance") {
		t.Errorf("the 400 page does not say why: %q", msg)
	}
	var onward []string
	doc.Find("main a").Each(func(_ int, a *goquery.Selection) { onward = append(onward, a.AttrOr("href", "")) })
	want := base + "?q=synthetic"
	if !slices.Contains(onward, want) {
		t.Errorf("links on %v, want the search in time order %s", onward, want)
	}
	if ids := eventIDs(page(t, srv, want, http.StatusOK)); len(ids) == 0 {
		t.Error("the search in time order shows no event")
	}
}
