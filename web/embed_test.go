package web

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/timeline"
)

// TestEmbeddablePath reads page paths back as EventPath, ClaimPath and
// TimelinePath write them, and refuses every other page.
func TestEmbeddablePath(t *testing.T) {
	for _, c := range []struct {
		path string
		kind Embeddable
		slug string
	}{
		{TimelinePath(timeline.Filter{}), EmbeddableTimeline, ""},
		{StoryPath("drones"), EmbeddableTimeline, "drones"},
		{EventPath("kirby-denies"), EmbeddableEvent, "kirby-denies"},
		{ClaimPath("kremlin-claims"), EmbeddableClaim, "kremlin-claims"},
		{StoryClaimsPath("drones"), EmbeddableClaims, "drones"},
		{ClaimsPath(timeline.Filter{}), EmbeddableClaims, ""},
		{"/stories//claims", NotEmbeddable, ""},
		{"/stories/drones/claims/x", NotEmbeddable, ""},
		{"/stories/a%2Fclaims", NotEmbeddable, ""},
		{ThreadPath("kirby-denies"), NotEmbeddable, ""},
		{ActorPath("kirby"), NotEmbeddable, ""},
		{HomePath(), NotEmbeddable, ""},
		{"/events/", NotEmbeddable, ""},
		{"/events/a%2Fb", NotEmbeddable, ""},
		{"/events/%zz", NotEmbeddable, ""},
		{EmbedPath(EventPath("kirby-denies")), NotEmbeddable, ""},
	} {
		if kind, slug := EmbeddablePath(c.path); kind != c.kind || slug != c.slug {
			t.Errorf("EmbeddablePath(%q) = %v %q, want %v %q", c.path, kind, slug, c.kind, c.slug)
		}
	}
}

// TestSitemapFile reads back every name SitemapPath writes, and no other.
func TestSitemapFile(t *testing.T) {
	for _, l := range timeline.Listings {
		for _, n := range []int{0, 7, 999999999} {
			file := strings.TrimPrefix(SitemapPath(l, n), sitemapsPath)
			if gotL, gotN, ok := SitemapFile(file); !ok || gotL != l || gotN != n {
				t.Errorf("SitemapFile(%q) = %q %d %v", file, gotL, gotN, ok)
			}
		}
	}
	for _, file := range []string{"events-01.xml", "events--1.xml", "events-1", "actors-1.xml", "events-1000000000.xml", "events.xml", "-1.xml", "events-+1.xml"} {
		if _, _, ok := SitemapFile(file); ok {
			t.Errorf("SitemapFile(%q) is a file", file)
		}
	}
}

// TestEmbedSnippet escapes what it quotes and gives the frame its size and
// sandbox.
func TestEmbedSnippet(t *testing.T) {
	snippet := EmbedSnippet(`https://t.example/embed/stories/a?actor=x&actor=y`, `"Quoted" <title>`, 320, 200)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(snippet))
	if err != nil {
		t.Fatal(err)
	}
	iframe := doc.Find("iframe")
	for attr, want := range map[string]string{
		"src": "https://t.example/embed/stories/a?actor=x&actor=y", "title": `"Quoted" <title>`,
		"width": "320", "height": "200", "sandbox": "allow-scripts allow-popups allow-top-navigation-by-user-activation",
	} {
		if got := iframe.AttrOr(attr, ""); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	if doc.Find("title").Length() != 0 {
		t.Errorf("the title escaped its attribute: %s", snippet)
	}
}
