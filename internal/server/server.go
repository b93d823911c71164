// Package server is Timeline's HTTP interface: a chi router whose handlers
// read the store and render the web package's pages.
package server

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// Store is what the handlers read.
type Store interface {
	FindEvents(ctx context.Context, f timeline.Filter) (*timeline.EventPage, error)
	FindAround(ctx context.Context, f timeline.Filter, c timeline.Cursor) (*timeline.EventPage, error)
	FindOverview(ctx context.Context, f timeline.Filter) (*timeline.Overview, error)
	FindEvent(ctx context.Context, slug string) (*timeline.Event, error)
	FindNeighbours(ctx context.Context, e *timeline.Event) (prev, next *timeline.EventRef, err error)
	FindThread(ctx context.Context, slug string) ([]timeline.Event, error)
	FindArchive(ctx context.Context) (timeline.Archive, error)
	FindStory(ctx context.Context, slug string) (*timeline.Story, error)
	FindStories(ctx context.Context, older *timeline.Cursor, limit, topActors int) (*timeline.StoryPage, error)
	FindStoryTopActors(ctx context.Context, story string, perKind int) ([]timeline.Actor, error)
	FindTopActors(ctx context.Context, perKind int) ([]timeline.Actor, error)
	SearchActors(ctx context.Context, q string, limit int) ([]timeline.Actor, error)
	FindActor(ctx context.Context, slug string) (*timeline.Actor, error)
	FindChanges(ctx context.Context, f timeline.Filter, older *timeline.Cursor, limit int) (*timeline.EventPage, error)
	FindListingChunks(ctx context.Context, l timeline.Listing, size int) ([]int, error)
	FindListed(ctx context.Context, l timeline.Listing, n, size int) ([]timeline.Listed, error)
	Ready(ctx context.Context) error
	// BeginRead begins one read of the data for every call made with the
	// context it returns, until end is called.
	BeginRead(ctx context.Context) (_ context.Context, end func(), err error)
}

// Config is what New needs.
type Config struct {
	Store   Store
	BaseURL string // absolute public URL, without a trailing slash
	Logger  *slog.Logger
	// PageCacheBytes bounds the memory kept representations may hold: 0 for
	// the default, a negative number to keep none (each request renders).
	PageCacheBytes int
	// SitemapURLs is how many URLs a sitemap file lists at most: 0 for the
	// protocol's limit.
	SitemapURLs int
	// Sheets reports on the sheets the server follows, for /readyz and the
	// metrics; nil when it follows none.
	Sheets SheetReporter
}

// SheetReporter reports on followed sheets (follow.Follower).
type SheetReporter interface {
	Statuses() []follow.Status
}

// Server holds the handlers' dependencies.
type Server struct {
	store Store
	site  web.Site
	log   *slog.Logger
	cache cacheState
	// topActors keeps the filter form's busiest actors for the current
	// data version: every list page not yet in the page cache needs them,
	// and only an import changes them.
	topActors versioned[[]timeline.Actor]
	// sitemapURLs is how many URLs a sitemap file lists at most.
	sitemapURLs int
	sheets      SheetReporter // nil when no sheet is followed
}

// pageCacheBytes is the default bound on the memory kept representations
// may hold.
const pageCacheBytes = 64 << 20

// New returns the site's handler with every route and middleware.
func New(cfg Config) http.Handler {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	buildVersion() // hash the executable now, not in the first reader's request
	m := newMetrics()
	if cfg.Sheets != nil {
		m.registry.MustRegister(sheetCollector{cfg.Sheets})
	}
	s := &Server{sheets: cfg.Sheets, store: timedStore{Store: cfg.Store, m: m}, site: web.Site{Name: "Timeline", BaseURL: cfg.BaseURL}, log: logger,
		cache:       cacheState{pages: newPageCache(cmp.Or(cfg.PageCacheBytes, pageCacheBytes))},
		sitemapURLs: min(cmp.Or(cfg.SitemapURLs, maxSitemapURLs), maxSitemapURLs)}

	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(middleware.GetHead) // HEAD answers like GET, without the body
	r.Use(s.accessLog)
	r.Use(m.instrument)
	r.Use(s.recoverer)
	r.Use(securityHeaders)
	r.Use(limitRequest)

	// Pages go through the cache (cache.go), each named by its view.
	r.Get(web.RouteFront, s.cached(frontView, s.handleFront))
	r.Get(web.RouteTimeline, s.cached(listView(web.TimelinePath), s.handleTimeline))
	r.Get(web.RouteStory, s.cached(listView(web.TimelinePath), s.handleTimeline))
	r.Get(web.RouteStoryClaims, s.cached(listView(web.ClaimsPath), s.handleClaims))
	r.Get(web.RouteEvent, s.cached(pathView, s.handleEvent))
	r.Get(web.RouteThread, s.cached(pathView, s.handleThread))
	r.Get(web.RouteClaims, s.cached(listView(web.ClaimsPath), s.handleClaims))
	r.Get(web.RouteClaim, s.cached(pathView, s.handleClaim))
	r.Get(web.RouteActors, s.cached(finderView, s.handleActors))
	r.Get(web.RouteActor, s.cached(pathView, s.handleActor))
	// Feeds (feed.go), through the same cache.
	for _, format := range []web.FeedFormat{web.Atom, web.JSONFeed} {
		r.Get(web.FeedRoute(web.RouteTimeline, format), s.cached(feedView(timelineFeed, format), s.handleListFeed(timelineFeed, format)))
		r.Get(web.FeedRoute(web.RouteStory, format), s.cached(feedView(timelineFeed, format), s.handleListFeed(timelineFeed, format)))
		r.Get(web.FeedRoute(web.RouteClaims, format), s.cached(feedView(claimsFeed, format), s.handleListFeed(claimsFeed, format)))
		r.Get(web.FeedRoute(web.RouteStoryClaims, format), s.cached(feedView(claimsFeed, format), s.handleListFeed(claimsFeed, format)))
		r.Get(web.FeedRoute(web.RouteActor, format), s.cached(actorFeedView(format), s.handleActorFeed(format)))
		r.Get(web.FeedRoute(web.RouteEvent, format), s.cached(pathView, s.handleClaimFeed(format)))
	}
	r.Group(func(r chi.Router) {
		r.Use(frameableByAnySite, embedParams)
		r.Get(web.RouteEmbedTimeline, s.cached(listView(web.EmbedListPath(web.TimelinePath)), s.handleEmbedTimeline))
		r.Get(web.RouteEmbedStory, s.cached(listView(web.EmbedListPath(web.TimelinePath)), s.handleEmbedTimeline))
		r.Get(web.RouteEmbedEvent, s.cached(pathView, s.handleEmbedEvent))
		r.Get(web.RouteEmbedClaim, s.cached(pathView, s.handleEmbedClaim))
		r.Get(web.RouteEmbedClaims, s.cached(listView(web.EmbedListPath(web.ClaimsPath)), s.handleEmbedClaims))
		r.Get(web.RouteEmbedStoryClaims, s.cached(listView(web.EmbedListPath(web.ClaimsPath)), s.handleEmbedClaims))
	})
	// Share images (card.go), cached like the pages that show them.
	r.Get(web.RouteStoryCard, s.cached(pathView, s.handleStoryCard))
	r.Get(web.RouteEventCard, s.cached(pathView, s.handleEventCard))
	r.Get(web.RouteOEmbed, s.cached(oembedView, s.handleOEmbed))
	r.Get(web.RouteSitemapIndex, s.cached(pathView, s.handleSitemapIndex))
	r.Get(web.RouteSitemap, s.cached(pathView, s.handleSitemap))
	r.Get(web.RouteRobots, s.cached(pathView, s.handleRobots))
	r.Get(web.RouteStatic, s.handleStatic)
	r.Get("/healthz", s.handleHealth)
	r.Get("/readyz", s.handleReady)
	r.Method(http.MethodGet, "/metrics", m.handler())
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)
	return r
}

// chiSlug is the {slug} of the matched route.
func chiSlug(r *http.Request) string { return chi.URLParam(r, "slug") }

// chiStory is the {story} of the matched route: "" on the archive's pages.
func chiStory(r *http.Request) string { return chi.URLParam(r, "story") }
