package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

func TestPaths(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.Parse("2006-01-02", s)
		return d
	}
	every := timeline.Filter{
		Kinds: []timeline.EventKind{timeline.KindDenial, timeline.KindClaim}, Desc: true, Contested: true,
		To: day("2023-05-05"), From: day("2023-05-03"), Role: timeline.RoleTarget, Actors: []string{"peskov", "kirby"},
		Earlier: &timeline.Cursor{Start: 1683072000, Slug: "e42"},
	}
	later := timeline.Filter{Later: &timeline.Cursor{Start: 1683072000, Slug: "e7"}, Desc: true}
	q := url.Values{"actor": {"peskov"}, "around": {"old-slug"}, "utm_source": {"chat"}}
	tests := []struct{ name, got, want string }{
		{"Home", HomePath(), "/"},
		{"Event", EventPath("kirby-denies"), "/events/kirby-denies"},
		{"EventEscaped", EventPath("a b/c?d"), "/events/a%20b%2Fc%3Fd"},
		{"Thread", ThreadPath("kirby-denies"), "/threads/kirby-denies"},
		{"Claim", ClaimPath("peskov-blames-us"), "/claims/peskov-blames-us"},
		{"Actor", ActorPath("kirby"), "/actors/kirby"},
		{"Actors", ActorsPath(), "/actors"},
		{"Static", StaticPath("app.1a2b3c4d5e.css"), "/static/app.1a2b3c4d5e.css"},
		{"ActorTimeline", ActorTimelinePath("kirby"), "/timeline?actor=kirby"},
		{"StoryActorTimeline", StoryActorTimelinePath("drones", "kirby"), "/stories/drones?actor=kirby"},
		{"Around", AroundPath("", "kirby-denies"), "/timeline?around=kirby-denies#kirby-denies"},
		{"AroundKeepsTheRest", AroundPathWith("", q, "new-slug"), "/timeline?actor=peskov&around=new-slug&utm_source=chat#new-slug"},
		{"TimelineUnfiltered", TimelinePath(timeline.Filter{}), "/timeline"},
		{"ClaimsUnfiltered", ClaimsPath(timeline.Filter{}), "/claims"},
		{"Story", TimelinePath(timeline.Filter{Story: "drones", Actors: []string{"kirby"}}), "/stories/drones?actor=kirby"},
		{"StoryClaims", ClaimsPath(timeline.Filter{Story: "drones"}), "/stories/drones/claims"},
		{"StoryAround", AroundPath("drones", "kirby-denies"), "/stories/drones?around=kirby-denies#kirby-denies"},
		{"FrontOlder", FrontPath(&timeline.Cursor{Start: 7, Slug: "b"}), "/?older=7.b"},
		{"LimitIsNotInTheAddress", TimelinePath(timeline.Filter{Limit: 20}), "/timeline"},
		// Parameters come in one order whatever the order of the fields.
		{"CanonicalOrder", TimelinePath(every),
			"/timeline?actor=peskov&actor=kirby&role=target&kind=denial&kind=claim&contested=1&from=2023-05-03&to=2023-05-04&order=desc&before=1683072000.e42"},
		{"ClaimsCanonicalOrder", ClaimsPath(later), "/claims?order=desc&after=1683072000.e7"},
		{"Relevance", TimelinePath(timeline.Filter{Query: "salt", Relevance: true, Later: &timeline.Cursor{Ranked: true, Rank: -2.5, Slug: "e1"}}), "/timeline?q=salt&order=relevance&after=r-2.5.e1"},
		{"Dedup", TimelinePath(timeline.Filter{Actors: []string{"a", "b", "a"}, Kinds: []timeline.EventKind{"claim", "claim"}}), "/timeline?actor=a&actor=b&kind=claim"},
		{"QueryEscaped", TimelinePath(timeline.Filter{Actors: []string{"a&b c", "é"}}), "/timeline?actor=a%26b+c&actor=%C3%A9"},
		{"OnlyFrom", TimelinePath(timeline.Filter{From: day("2023-05-03")}), "/timeline?from=2023-05-03"},
		{"OnlyTo", TimelinePath(timeline.Filter{To: day("2023-05-04")}), "/timeline?to=2023-05-03"},
		// An hour of the overview: ends that are not midnights are instants in UTC, "to" not included.
		{"Hour", TimelinePath(timeline.Filter{From: day("2023-05-03").Add(14 * time.Hour), To: day("2023-05-03").Add(15 * time.Hour)}), "/timeline?from=2023-05-03T14%3A00Z&to=2023-05-03T15%3A00Z"},
		{"LastHour", TimelinePath(timeline.Filter{From: day("2023-05-03").Add(23 * time.Hour), To: day("2023-05-04")}), "/timeline?from=2023-05-03T23%3A00Z&to=2023-05-03"},
		{"WithQuery", PathWithQuery("/claims", url.Values{"kind": {"denial", "claim"}, "actor": {"a b"}}), "/claims?actor=a+b&kind=denial&kind=claim"},
		{"WithoutQuery", PathWithQuery("/claims", url.Values{}), "/claims"},
		{"SlugPathThread", SlugPath(RouteThread, "new"), "/threads/new"},
		{"SlugPathClaim", SlugPath(RouteClaim, "new"), "/claims/new"},
		{"SlugPathActor", SlugPath(RouteActor, "new"), "/actors/new"},
		{"SlugPathOther", SlugPath(RouteTimeline, "new"), "/events/new"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if q.Get("around") != "old-slug" {
		t.Errorf("AroundPathWith changed its query: %v", q)
	}
}

// TestRoutesMatchPaths: each route pattern, filled in, is its path
// function's answer, so that the router and the links cannot drift apart.
func TestRoutesMatchPaths(t *testing.T) {
	fill := func(pattern string) string {
		return strings.NewReplacer("{slug}", "some-slug", "{name}", "app.css").Replace(pattern)
	}
	for pattern, got := range map[string]string{
		RouteTimeline: ArchiveTimelinePath(),
		RouteEvent:    EventPath("some-slug"),
		RouteThread:   ThreadPath("some-slug"),
		RouteClaims:   ClaimsPath(timeline.Filter{}),
		RouteClaim:    ClaimPath("some-slug"),
		RouteActors:   ActorsPath(),
		RouteActor:    ActorPath("some-slug"),
		RouteStatic:   StaticPath("app.css"),
	} {
		if want := fill(pattern); got != want {
			t.Errorf("route %s: path %q, want %q", pattern, got, want)
		}
		if pattern != RouteStatic && pattern != RouteTimeline && pattern != RouteClaims && pattern != RouteActors && SlugPath(pattern, "some-slug") != got {
			t.Errorf("SlugPath(%s) = %q, want %q", pattern, SlugPath(pattern, "some-slug"), got)
		}
	}
}

// TestAppliedFilters: each chip's URL is the view without that filter,
// at its first page, in its list.
func TestAppliedFilters(t *testing.T) {
	f := timeline.Filter{Actors: []string{"peskov", "kirby"}, Role: timeline.RoleTarget, Kinds: []timeline.EventKind{timeline.KindDenial},
		Desc: true, Later: &timeline.Cursor{Start: 1, Slug: "e2"}}
	actors := map[string]timeline.Actor{"peskov": {Name: "Dmitry Peskov"}, "kirby": {Name: "John Kirby"}}
	chips, clear := AppliedFilters(ClaimsPath, f, actors)
	want := []Link{
		{"Actor: Dmitry Peskov", "/claims?actor=kirby&role=target&kind=denial&order=desc"},
		{"Actor: John Kirby", "/claims?actor=peskov&role=target&kind=denial&order=desc"},
		{"Role: target", "/claims?actor=peskov&actor=kirby&kind=denial&order=desc"},
		{"Kind: Denial", "/claims?actor=peskov&actor=kirby&role=target&order=desc"},
	}
	if len(chips) != len(want) {
		t.Fatalf("chips = %v, want %v", chips, want)
	}
	for i := range want {
		if chips[i] != want[i] {
			t.Errorf("chip %d = %v, want %v", i, chips[i], want[i])
		}
	}
	if clear != "/claims?order=desc" {
		t.Errorf("clear = %q", clear)
	}
	// The last actor's chip takes the role with it: a role alone filters nothing.
	chips, _ = AppliedFilters(TimelinePath, timeline.Filter{Actors: []string{"kirby"}, Role: timeline.RoleTarget}, actors)
	if chips[0].URL != "/timeline" {
		t.Errorf("last actor's chip = %v", chips[0])
	}
	if chips, clear := AppliedFilters(TimelinePath, timeline.Filter{Desc: true}, nil); chips != nil || clear != "" {
		t.Errorf("no filter: %v, %q", chips, clear)
	}
}

// TestFeedPaths: a feed's path is its page's with the feed's name, the
// page's filter in its canonical form, without the page's order or paging,
// and with the feed's own page position.
func TestFeedPaths(t *testing.T) {
	older := &timeline.Cursor{Start: 1683100000, Slug: "e2"}
	for _, tc := range []struct{ got, want string }{
		{TimelineFeedPath(timeline.Filter{}, Atom, nil), "/timeline/feed.atom"},
		{TimelineFeedPath(timeline.Filter{Story: "drones", Actors: []string{"kirby", "kirby"}, Desc: true, Later: older}, JSONFeed, nil), "/stories/drones/feed.json?actor=kirby"},
		{TimelineFeedPath(timeline.Filter{Story: "drones", Kinds: []timeline.EventKind{timeline.KindDenial}}, Atom, older), "/stories/drones/feed.atom?kind=denial&older=" + url.QueryEscape(older.String())},
		{ActorFeedPath("kirby", Atom, older), "/actors/kirby/feed.atom?older=" + url.QueryEscape(older.String())},
		{ClaimFeedPath("kremlin-claims", JSONFeed), "/events/kremlin-claims/feed.json"},
		{ClaimsFeedPath(timeline.Filter{}, Atom, nil), "/claims/feed.atom"},
		// A feed is newest change first, whatever the list's order.
		{ClaimsFeedPath(timeline.Filter{Query: "kremlin", Relevance: true}, Atom, nil), "/claims/feed.atom?q=kremlin"},
		{TimelineFeedPath(timeline.Filter{Query: "kremlin", Relevance: true}, Atom, nil), "/timeline/feed.atom?q=kremlin"},
		{ClaimsFeedPath(timeline.Filter{Story: "drones", Actors: []string{"kirby"}, Kinds: timeline.ClaimKinds, Desc: true, Earlier: older}, JSONFeed, older), "/stories/drones/claims/feed.json?actor=kirby&older=" + url.QueryEscape(older.String())},
		{FeedRoute(RouteStoryClaims, Atom), "/stories/{story}/claims/feed.atom"},
		{FeedRoute(RouteStory, Atom), "/stories/{story}/feed.atom"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}
