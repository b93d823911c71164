package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestEmbeds checks each embeddable page's embed form: no site chrome,
// every link to the top window, the full page named, and the page itself
// offering the embed's snippet and its oEmbed discovery.
func TestEmbeds(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Events[3].FormerSlugs = []string{"kremlin-blames-washington"}
	srv, _ := newServer(t, ds)
	for _, c := range []struct {
		page, embed string
		items       int // events listed, for a timeline
		claims      int // claims shown
	}{
		{"/timeline", "/embed/timeline", 6, 0},
		{"/stories/drones-over-the-kremlin", "/embed/stories/drones-over-the-kremlin", 6, 0},
		{"/stories/drones-over-the-kremlin?actor=kirby&actor=peskov", "/embed/stories/drones-over-the-kremlin?actor=kirby&actor=peskov", 2, 0},
		{"/events/zelensky-denies", "/embed/events/zelensky-denies", 0, 0},
		{"/claims/kremlin-claims-attempt", "/embed/claims/kremlin-claims-attempt", 0, 1},
		{"/claims", "/embed/claims", 0, 2},
		{"/stories/drones-over-the-kremlin/claims", "/embed/stories/drones-over-the-kremlin/claims", 0, 2},
		{"/stories/drones-over-the-kremlin/claims?actor=peskov", "/embed/stories/drones-over-the-kremlin/claims?actor=peskov", 0, 1},
	} {
		t.Run(c.embed, func(t *testing.T) {
			doc := page(t, srv, c.embed, http.StatusOK)
			if doc.Find(".site-header, .site-footer, nav, form").Length() != 0 {
				t.Errorf("the embed has site chrome")
			}
			if got := doc.Find("head base").AttrOr("target", ""); got != "_top" {
				t.Errorf("base target = %q, want _top: links must leave the frame", got)
			}
			doc.Find("a[target]").Each(func(_ int, a *goquery.Selection) {
				t.Errorf("link %s has its own target", a.AttrOr("href", ""))
			})
			if got := doc.Find(`[data-testid="full-page"]`).AttrOr("href", ""); got != c.page {
				t.Errorf("full page link = %q, want %q", got, c.page)
			}
			if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
				t.Errorf("the embed is not noindex")
			}
			if doc.Find(`script[src^="/static/embed."]`).Length() != 1 {
				t.Errorf("the embed does not load its resize script")
			}
			if got := doc.Find(`[data-testid="embed-event"]`).Length(); got != c.items {
				t.Errorf("%d events listed, want %d", got, c.items)
			}
			if got := doc.Find(`[data-testid="claim"]`).Length(); got != c.claims {
				t.Errorf("%d claims shown, want %d", got, c.claims)
			}

			full := page(t, srv, c.page, http.StatusOK)
			snippet := full.Find(`details[data-testid="embed-snippet"] textarea[readonly]`).Text()
			frame, err := goquery.NewDocumentFromReader(strings.NewReader(snippet))
			if err != nil {
				t.Fatal(err)
			}
			iframe := frame.Find("iframe")
			if got, want := iframe.AttrOr("src", ""), baseURL+c.embed; got != want {
				t.Errorf("snippet src = %q, want %q", got, want)
			}
			if !strings.Contains(iframe.AttrOr("sandbox", "-"), "allow-scripts") || iframe.AttrOr("height", "") == "" || iframe.AttrOr("title", "") == "" {
				t.Errorf("snippet iframe %q lacks sandbox, height or title", snippet)
			}
			link := full.Find(`head link[rel="alternate"][type="application/json+oembed"]`)
			if got, want := link.AttrOr("href", ""), baseURL+"/oembed?"+(url.Values{"url": {baseURL + c.page}, "format": {"json"}}).Encode(); got != want {
				t.Errorf("oEmbed discovery = %q, want %q", got, want)
			}
			if link.AttrOr("title", "") == "" {
				t.Errorf("oEmbed discovery has no title")
			}
		})
	}

	t.Run("NotEmbeddable", func(t *testing.T) {
		for _, path := range []string{"/", "/actors", "/actors/kirby", "/threads/peskov-blames-us"} {
			doc := page(t, srv, path, http.StatusOK)
			if doc.Find(`[data-testid="embed-snippet"], link[type="application/json+oembed"]`).Length() != 0 {
				t.Errorf("%s offers an embed it has not", path)
			}
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for path, want := range map[string]int{
			"/embed/events/nope":  http.StatusNotFound,
			"/embed/stories/nope": http.StatusNotFound,
			"/embed/stories/drones-over-the-kremlin?actor=nobody":             http.StatusBadRequest,
			"/embed/stories/nope/claims":                                      http.StatusNotFound,
			"/embed/claims?actor=nobody":                                      http.StatusBadRequest,
			"/embed/events/zelensky-denies?childId=a%20b":                     http.StatusBadRequest,
			"/embed/events/zelensky-denies?secret=" + strings.Repeat("x", 65): http.StatusBadRequest,
		} {
			if res := get(t, srv, path); res.StatusCode != want {
				t.Errorf("GET %s = %d, want %d", path, res.StatusCode, want)
			}
		}
	})
	t.Run("Moved", func(t *testing.T) {
		// The embed's new address keeps the resize id for its script.
		for path, want := range map[string]string{
			"/embed/events/kremlin-blames-washington?childId=timeline-1": "/embed/events/peskov-blames-us?childId=timeline-1",
			"/embed/claims/kremlin-blames-washington?secret=Ab3dE5gH9k":  "/embed/claims/peskov-blames-us?secret=Ab3dE5gH9k",
		} {
			res := get(t, srv, path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("GET %s = %d → %q, want 301 → %q", path, res.StatusCode, res.Header.Get("Location"), want)
			}
		}
	})
	t.Run("ResizeParamsNameNoView", func(t *testing.T) {
		// Pym.js adds its childId and the host's URL; WordPress its secret.
		plain := get(t, srv, "/embed/stories/drones-over-the-kremlin?actor=kirby")
		withIDs := get(t, srv, "/embed/stories/drones-over-the-kremlin?actor=kirby&childId=timeline-1&initialWidth=600&parentUrl="+url.QueryEscape("https://news.example/"+strings.Repeat("a", 300))+"&secret=Ab3dE5gH9k")
		if plain.StatusCode != http.StatusOK || withIDs.StatusCode != http.StatusOK {
			t.Fatalf("status %d and %d, want 200", plain.StatusCode, withIDs.StatusCode)
		}
		if a, b := plain.Header.Get("ETag"), withIDs.Header.Get("ETag"); a == "" || a != b {
			t.Errorf("ETags %q and %q: the resize ids must not name another view", a, b)
		}
		if a, b := get(t, srv, "/stories/drones-over-the-kremlin?actor=kirby").Header.Get("ETag"), plain.Header.Get("ETag"); a == b {
			t.Errorf("the embed and its page share ETag %q", a)
		}
	})
}

// TestFraming checks that embed pages, and only they, may be framed by any
// site.
func TestFraming(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	for _, c := range []struct {
		path      string
		frameable bool
	}{
		{"/embed/timeline", true},
		{"/embed/stories/drones-over-the-kremlin?actor=kirby", true},
		{"/embed/events/zelensky-denies", true},
		{"/embed/claims/kremlin-claims-attempt", true},
		{"/embed/stories/drones-over-the-kremlin/claims?actor=peskov", true},
		{"/embed/claims", true},
		{"/claims", false},
		{"/embed/events/nope", true}, // an error in a frame is shown in it
		{"/", false},
		{"/stories/drones-over-the-kremlin", false},
		{"/events/zelensky-denies", false},
		{"/claims/kremlin-claims-attempt", false},
		{"/oembed?url=" + url.QueryEscape(baseURL+"/events/zelensky-denies"), false},
		{"/nope", false},
	} {
		res := get(t, srv, c.path)
		csp, xfo := res.Header.Get("Content-Security-Policy"), res.Header.Get("X-Frame-Options")
		if c.frameable {
			if !strings.Contains(csp, "frame-ancestors *") || xfo != "" {
				t.Errorf("%s: CSP %q, X-Frame-Options %q: want framing by any site", c.path, csp, xfo)
			}
		} else if !strings.Contains(csp, "frame-ancestors 'none'") || xfo != "DENY" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q: want no framing", c.path, csp, xfo)
		}
		if !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q lost its script rule", c.path, csp)
		}
	}
	// A second request is served from the page cache, with the same rule.
	if res := get(t, srv, "/embed/events/zelensky-denies"); res.Header.Get("X-Frame-Options") != "" {
		t.Errorf("a cached embed is not frameable")
	}
}

// TestOEmbed asks the oEmbed endpoint as a consumer does.
func TestOEmbed(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Events[3].FormerSlugs = []string{"kremlin-blames-washington"}
	srv, _ := newServer(t, ds)
	ask := func(pageURL string, extra string) *http.Response {
		return get(t, srv, "/oembed?url="+url.QueryEscape(pageURL)+"&format=json"+extra)
	}
	for _, c := range []struct {
		name, page, extra string
		embed, title      string
		width, height     int
	}{
		{"Event", "/events/zelensky-denies", "", "/embed/events/zelensky-denies", "Zelensky denies any attack", 600, 480},
		{"Claim", "/claims/kremlin-claims-attempt", "", "/embed/claims/kremlin-claims-attempt", "Who said what: Kremlin calls it an attempt on Putin's life", 600, 480},
		{"Story", "/stories/drones-over-the-kremlin", "", "/embed/stories/drones-over-the-kremlin", "Drones over the Kremlin", 600, 480},
		{"FilteredInAnyOrder", "/stories/drones-over-the-kremlin?actor=peskov&actor=kirby&childId=x", "", "/embed/stories/drones-over-the-kremlin?actor=kirby&actor=peskov", "", 600, 480},
		{"Archive", "/timeline", "", "/embed/timeline", "Every story", 600, 480},
		{"Claims", "/claims", "", "/embed/claims", "Claims and answers", 600, 480},
		{"StoryClaims", "/stories/drones-over-the-kremlin/claims?kind=denial&actor=peskov", "", "/embed/stories/drones-over-the-kremlin/claims?actor=peskov", "", 600, 480},
		{"FormerEventURL", "/events/kremlin-blames-washington", "", "/embed/events/peskov-blames-us", "Peskov blames Washington", 600, 480},
		{"FormerClaimURL", "/claims/kremlin-blames-washington?utm_source=x", "", "/embed/claims/peskov-blames-us", "Who said what: Peskov blames Washington", 600, 480},
		{"MaxWidth", "/events/zelensky-denies", "&maxwidth=320", "/embed/events/zelensky-denies", "", 320, 480},
		{"MaxHeight", "/events/zelensky-denies", "&maxheight=200", "/embed/events/zelensky-denies", "", 600, 200},
		{"MaxLarger", "/events/zelensky-denies", "&maxwidth=2000&maxheight=2000", "/embed/events/zelensky-denies", "", 600, 480},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := ask(baseURL+c.page, c.extra)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			var got struct {
				Type, Version, Title, HTML string
				ProviderName               string `json:"provider_name"`
				ProviderURL                string `json:"provider_url"`
				CacheAge                   int    `json:"cache_age"`
				Width, Height              int
			}
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got.Type != "rich" || got.Version != "1.0" || got.ProviderName != "Timeline" || got.ProviderURL != baseURL+"/" || got.CacheAge <= 0 {
				t.Errorf("answer %+v", got)
			}
			if c.title != "" && got.Title != c.title {
				t.Errorf("title %q, want %q", got.Title, c.title)
			}
			if got.Width != c.width || got.Height != c.height {
				t.Errorf("size %d×%d, want %d×%d", got.Width, got.Height, c.width, c.height)
			}
			frame, err := goquery.NewDocumentFromReader(strings.NewReader(got.HTML))
			if err != nil {
				t.Fatal(err)
			}
			iframe := frame.Find("iframe")
			if src := iframe.AttrOr("src", ""); src != baseURL+c.embed {
				t.Errorf("iframe src %q, want %q", src, baseURL+c.embed)
			}
			if w, h := iframe.AttrOr("width", ""), iframe.AttrOr("height", ""); w != itoa(c.width) || h != itoa(c.height) {
				t.Errorf("iframe %s×%s, want %d×%d", w, h, c.width, c.height)
			}
		})
	}
	t.Run("Errors", func(t *testing.T) {
		for _, c := range []struct {
			query string
			want  int
		}{
			{"", http.StatusBadRequest},
			{"format=json", http.StatusBadRequest},
			{"url=" + url.QueryEscape(baseURL+"/events/zelensky-denies") + "&format=xml", http.StatusNotImplemented},
			{"url=" + url.QueryEscape(baseURL+"/events/zelensky-denies") + "&maxwidth=0", http.StatusBadRequest},
			{"url=" + url.QueryEscape(baseURL+"/events/zelensky-denies") + "&maxheight=tall", http.StatusBadRequest},
			{"url=" + url.QueryEscape("https://other.example/events/zelensky-denies"), http.StatusNotFound},
			{"url=" + url.QueryEscape("http://timeline.example/events/zelensky-denies"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/events/nope"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/actors/kremlin"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/stories/nope/claims"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/claims?actor=nobody"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/stories/drones-over-the-kremlin/claims/extra"), http.StatusNotFound},
			{"url=" + url.QueryEscape(baseURL+"/stories/drones-over-the-kremlin?actor=nobody"), http.StatusNotFound},
			{"url=" + url.QueryEscape("::not a url"), http.StatusNotFound},
		} {
			if res := get(t, srv, "/oembed?"+c.query); res.StatusCode != c.want {
				t.Errorf("GET /oembed?%s = %d, want %d", c.query, res.StatusCode, c.want)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
