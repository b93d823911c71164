package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Every path the site links to or redirects to is built here, and only
// here (miniflux's routePath): a template or a handler never spells one.
// Renaming a route is one edit, to its prefix below; the router registers
// the Route patterns, which are made of the same prefixes.
const (
	frontPath    = "/"
	timelinePath = "/timeline"
	storiesPath  = "/stories/"
	storyClaims  = "/claims" // after a story's path
	eventsPath   = "/events/"
	threadsPath  = "/threads/"
	claimsPath   = "/claims"
	actorsPath   = "/actors"
	staticPath   = "/static/"
	feedAtom     = "/feed.atom" // after a page's path
	feedJSON     = "/feed.json"
	embedPrefix  = "/embed" // before a page's own path: its embed form
	oembedPath   = "/oembed"
	sitemapIndex = "/sitemap.xml"
	sitemapsPath = "/sitemaps/"
	robotsPath   = "/robots.txt"
	cardsPath    = "/cards" // before a page's own path: its share image
	cardSuffix   = ".png"
)

// Route patterns for chi, one per page.
const (
	RouteFront       = frontPath
	RouteTimeline    = timelinePath
	RouteStory       = storiesPath + "{story}"
	RouteStoryClaims = storiesPath + "{story}" + storyClaims
	RouteEvent       = eventsPath + "{slug}"
	RouteThread      = threadsPath + "{slug}"
	RouteClaims      = claimsPath
	RouteClaim       = claimsPath + "/{slug}"
	RouteActors      = actorsPath
	RouteActor       = actorsPath + "/{slug}"
	RouteStatic      = staticPath + "{name}"

	// The embed forms of the embeddable pages, with their parameters.
	RouteEmbedTimeline    = embedPrefix + RouteTimeline
	RouteEmbedStory       = embedPrefix + RouteStory
	RouteEmbedEvent       = embedPrefix + RouteEvent
	RouteEmbedClaim       = embedPrefix + RouteClaim
	RouteEmbedClaims      = embedPrefix + RouteClaims
	RouteEmbedStoryClaims = embedPrefix + RouteStoryClaims
	RouteOEmbed           = oembedPath

	RouteSitemapIndex = sitemapIndex
	RouteSitemap      = sitemapsPath + "{file}"
	RouteRobots       = robotsPath

	// Share images: a story's, and an event's (which its claim page shares).
	RouteStoryCard = cardsPath + storiesPath + "{story}" + cardSuffix
	RouteEventCard = cardsPath + eventsPath + "{slug}" + cardSuffix
)

// FeedFormat is one of the formats a feed is served in.
type FeedFormat string

const (
	Atom     FeedFormat = "atom"
	JSONFeed FeedFormat = "json"
)

// feedSuffix is the path a page's feed in format adds to the page's.
func feedSuffix(format FeedFormat) string {
	if format == JSONFeed {
		return feedJSON
	}
	return feedAtom
}

// FeedRoute is the route pattern of the feed in format of the page at
// pageRoute: RouteTimeline, RouteStory, RouteClaims, RouteStoryClaims,
// RouteActor or RouteEvent.
func FeedRoute(pageRoute string, format FeedFormat) string { return pageRoute + feedSuffix(format) }

// TimelineFeedPath is the feed of the timeline filtered by f (its story's,
// or the archive's), from the changes older than the cursor (the newest
// when nil).
func TimelineFeedPath(f timeline.Filter, format FeedFormat, older *timeline.Cursor) string {
	path := timelinePath
	if f.Story != "" {
		path = StoryPath(f.Story)
	}
	return listFeedPath(path, f, format, older)
}

// listFeedPath is the feed of the list at path filtered by f. A feed lists
// changes newest first, so f's order (by time or by relevance) and paging
// are not part of it.
func listFeedPath(path string, f timeline.Filter, format FeedFormat, older *timeline.Cursor) string {
	f.Desc, f.Relevance, f.Earlier, f.Later = false, false, nil, nil
	return withOlder(listURL(path+feedSuffix(format), f), older)
}

// ClaimsFeedPath is the feed of the claims filtered by f (its story's, or
// the archive's), from the changes older than the cursor. The claims list
// is of the claim kinds whatever f says, so f's kinds are not part of it.
func ClaimsFeedPath(f timeline.Filter, format FeedFormat, older *timeline.Cursor) string {
	f.Kinds = nil
	path := claimsPath
	if f.Story != "" {
		path = StoryClaimsPath(f.Story)
	}
	return listFeedPath(path, f, format, older)
}

// ActorFeedPath is the feed of an actor's events.
func ActorFeedPath(slug string, format FeedFormat, older *timeline.Cursor) string {
	return withOlder(ActorPath(slug)+feedSuffix(format), older)
}

// ClaimFeedPath is the feed of a claim and its answers.
func ClaimFeedPath(slug string, format FeedFormat) string {
	return EventPath(slug) + feedSuffix(format)
}

// withOlder adds a feed's page position to its path.
func withOlder(path string, older *timeline.Cursor) string {
	if older == nil {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "older=" + url.QueryEscape(older.String())
}

// HomePath is the front page: the archive's stories.
func HomePath() string { return frontPath }

// FrontPath is the front page from the stories older than the cursor,
// the first page when it is nil.
func FrontPath(older *timeline.Cursor) string {
	if older == nil {
		return frontPath
	}
	return frontPath + "?older=" + url.QueryEscape(older.String())
}

// StoryPath is a story's own timeline.
func StoryPath(slug string) string { return storiesPath + url.PathEscape(slug) }

// StoryClaimsPath is a story's claims.
func StoryClaimsPath(slug string) string { return StoryPath(slug) + storyClaims }

// EventPath is an event's permalink path.
func EventPath(slug string) string { return eventsPath + url.PathEscape(slug) }

// StoryCardPath is a story's share image.
func StoryCardPath(slug string) string { return cardsPath + StoryPath(slug) + cardSuffix }

// EventCardPath is an event's share image, which its claim page shares too.
func EventCardPath(slug string) string { return cardsPath + EventPath(slug) + cardSuffix }

// ThreadPath is the whole exchange around an event.
func ThreadPath(slug string) string { return threadsPath + url.PathEscape(slug) }

// ClaimPath is a claim's own page.
func ClaimPath(slug string) string { return claimsPath + "/" + url.PathEscape(slug) }

// ActorPath is an actor's page path.
func ActorPath(slug string) string { return actorsPath + "/" + url.PathEscape(slug) }

// ActorsPath is the list of actors, with the finder.
func ActorsPath() string { return actorsPath }

// StaticPath is the path of a static file by its hashed name.
func StaticPath(hashedName string) string { return staticPath + url.PathEscape(hashedName) }

// ListPath builds the canonical URL of a filtered list: TimelinePath or
// ClaimsPath. With no filter it is the list's bare path.
type ListPath func(timeline.Filter) string

// TimelinePath is the canonical URL of the timeline filtered by f: its
// story's, or the whole archive's when f names none.
func TimelinePath(f timeline.Filter) string {
	if f.Story != "" {
		return listURL(StoryPath(f.Story), f)
	}
	return listURL(timelinePath, f)
}

// ClaimsPath is the canonical URL of the claims filtered by f: its
// story's, or the whole archive's.
func ClaimsPath(f timeline.Filter) string {
	if f.Story != "" {
		return listURL(StoryClaimsPath(f.Story), f)
	}
	return listURL(claimsPath, f)
}

// ArchiveTimelinePath is the whole archive's timeline, unfiltered.
func ArchiveTimelinePath() string { return timelinePath }

// ActorTimelinePath is the timeline of one actor's events.
func ActorTimelinePath(slug string) string {
	return TimelinePath(timeline.Filter{Actors: []string{slug}})
}

// StoryActorTimelinePath is the timeline of one actor's events in a story.
func StoryActorTimelinePath(story, slug string) string {
	return TimelinePath(timeline.Filter{Story: story, Actors: []string{slug}})
}

// AroundPath is the timeline of the story around an event of it, scrolled
// to it.
func AroundPath(story, slug string) string { return AroundPathWith(story, nil, slug) }

// AroundPathWith is the story's timeline (the archive's when story is "")
// around an event, scrolled to it, with the other parameters of q kept as
// they are (q itself is not changed).
func AroundPathWith(story string, q url.Values, slug string) string {
	with := make(url.Values, len(q)+1)
	for key, vals := range q {
		with[key] = vals
	}
	with.Set("around", slug)
	return TimelinePath(timeline.Filter{Story: story}) + "?" + with.Encode() + "#" + url.PathEscape(slug)
}

// PathWithQuery is path with the query q, or path alone when q is empty.
func PathWithQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// slugPaths are the pages named by a slug, by route pattern.
var slugPaths = map[string]func(string) string{
	RouteEvent:  EventPath,
	RouteThread: ThreadPath,
	RouteClaim:  ClaimPath,
	RouteActor:  ActorPath,
	// A renamed claim's feed moves with it, so that a reader keeps it.
	FeedRoute(RouteEvent, Atom):     func(slug string) string { return ClaimFeedPath(slug, Atom) },
	FeedRoute(RouteEvent, JSONFeed): func(slug string) string { return ClaimFeedPath(slug, JSONFeed) },

	RouteEmbedEvent: func(slug string) string { return EmbedPath(EventPath(slug)) },
	RouteEmbedClaim: func(slug string) string { return EmbedPath(ClaimPath(slug)) },
	RouteEventCard:  EventCardPath,
}

// SlugPath is the page of the route pattern (as chi reports the route it
// matched) for slug; an event's permalink when the route is not a page
// named by a slug.
func SlugPath(pattern, slug string) string {
	if path, ok := slugPaths[pattern]; ok {
		return path(slug)
	}
	return EventPath(slug)
}

// listURL writes the canonical URL of a filtered list: parameters in a
// fixed order, each value once, so that one view has one address.
func listURL(path string, f timeline.Filter) string {
	var parts []string
	add := func(key, value string) { parts = append(parts, url.QueryEscape(key)+"="+url.QueryEscape(value)) }
	if f.Query != "" {
		add("q", f.Query)
	}
	for i, a := range f.Actors {
		if !slices.Contains(f.Actors[:i], a) {
			add("actor", a)
		}
	}
	if f.Role != "" {
		add("role", string(f.Role))
	}
	for i, k := range f.Kinds {
		if !slices.Contains(f.Kinds[:i], k) {
			add("kind", string(k))
		}
	}
	if f.Contested {
		add("contested", "1")
	}
	if !f.From.IsZero() {
		add("from", rangeParam(f.From, 0))
	}
	if !f.To.IsZero() {
		add("to", rangeParam(f.To, -1)) // a "to" day names the last day included
	}
	if order := f.Order(); order != timeline.OrderOldest {
		add("order", order)
	}
	if f.Earlier != nil {
		add("before", f.Earlier.String())
	}
	if f.Later != nil {
		add("after", f.Later.String())
	}
	if len(parts) == 0 {
		return path
	}
	return path + "?" + strings.Join(parts, "&")
}

// EmbedPath is the embed form of an embeddable page's path (with its
// query), as EmbeddablePath accepts it.
func EmbedPath(pagePath string) string { return embedPrefix + pagePath }

// OEmbedPath is the oEmbed endpoint asked about the absolute URL of a page.
func OEmbedPath(pageURL string) string {
	return oembedPath + "?" + url.Values{"url": {pageURL}, "format": {"json"}}.Encode()
}

// Embeddable is what an embeddable page is: a timeline or a claims list
// (the archive's or a story's, filtered or not), an event or a claim.
type Embeddable int

const (
	NotEmbeddable Embeddable = iota
	EmbeddableTimeline
	EmbeddableEvent
	EmbeddableClaim
	EmbeddableClaims
)

// EmbeddablePath reads the path of a page (no query) as an embeddable page
// and the slug it names ("" for the archive's timeline and claims), the
// inverse of TimelinePath, ClaimsPath, EventPath and ClaimPath.
func EmbeddablePath(path string) (Embeddable, string) {
	switch path {
	case timelinePath:
		return EmbeddableTimeline, ""
	case claimsPath:
		return EmbeddableClaims, ""
	}
	for prefix, kind := range map[string]Embeddable{storiesPath: EmbeddableTimeline, eventsPath: EmbeddableEvent, claimsPath + "/": EmbeddableClaim} {
		if rest, ok := strings.CutPrefix(path, prefix); ok {
			if story, ok := strings.CutSuffix(rest, storyClaims); ok && kind == EmbeddableTimeline {
				kind, rest = EmbeddableClaims, story
			}
			slug, err := url.PathUnescape(rest)
			if err != nil || !timeline.ValidSlug(slug) {
				return NotEmbeddable, ""
			}
			return kind, slug
		}
	}
	return NotEmbeddable, ""
}

// EmbedListPath is the embed form of a list path: the same canonical
// parameters under the embed prefix.
func EmbedListPath(path ListPath) ListPath {
	return func(f timeline.Filter) string { return EmbedPath(path(f)) }
}

// SitemapIndexPath is the sitemap index, which names every sitemap file.
func SitemapIndexPath() string { return sitemapIndex }

// SitemapPath is the sitemap file of chunk n of a listing.
func SitemapPath(l timeline.Listing, n int) string {
	return sitemapsPath + string(l) + "-" + strconv.Itoa(n) + ".xml"
}

// maxSitemapDigits bounds a sitemap file's number: a billion files of
// URLs is more than any archive.
const maxSitemapDigits = 9

// SitemapFile reads the {file} of RouteSitemap as SitemapPath writes it.
func SitemapFile(file string) (timeline.Listing, int, bool) {
	name, ok := strings.CutSuffix(file, ".xml")
	listing, number, cut := strings.Cut(name, "-")
	n, err := strconv.Atoi(number)
	if !ok || len(number) > maxSitemapDigits || !cut || err != nil || n < 0 || strconv.Itoa(n) != number || !slices.Contains(timeline.Listings, timeline.Listing(listing)) {
		return "", 0, false
	}
	return timeline.Listing(listing), n, true
}

// ListingPath is the page of a listing's slug.
func ListingPath(l timeline.Listing, slug string) string {
	if l == timeline.ListingStories {
		return StoryPath(slug)
	}
	return EventPath(slug)
}

// DateParam and InstantParam are the layouts of a date range's ends in a
// URL: a day, or an instant in UTC to the minute where the end is not a
// midnight (the overview's hours).
const (
	DateParam    = "2006-01-02"
	InstantParam = "2006-01-02T15:04Z"
)

// rangeParam writes an end of a date range: a midnight as its day, moved
// by days (the day a "to" names is the one before its end), any other
// instant as it is.
func rangeParam(t time.Time, days int) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.AddDate(0, 0, days).Format(DateParam)
	}
	return t.Format(InstantParam)
}
