package server

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// The feeds: a list view's, an actor's and a claim's, each in Atom and in
// JSON Feed, newest change first. They go through the cache like pages
// (feedView, actorFeedView and pathView name them).

// feedContentType is the media type of a feed format.
func feedContentType(format web.FeedFormat) string {
	if format == web.JSONFeed {
		return "application/feed+json; charset=utf-8"
	}
	return "application/atom+xml; charset=utf-8"
}

// olderCursor reads a feed's page position, nil for its first page.
func olderCursor(r *http.Request) (*timeline.Cursor, error) {
	v := single(r.URL.Query(), "older")
	if v == "" {
		return nil, nil
	}
	if len(v) > maxValueLength {
		return nil, invalidParam("older", v, "The value of %q is too long.", "older")
	}
	c, err := timeline.ParseCursor(v)
	if err != nil {
		return nil, invalidParam("older", v, "%s", timeline.ErrorMessage(err))
	}
	return &c, nil
}

// listFeed is what makes a list page's feed: the timeline's or the
// claims list's.
type listFeed struct {
	page web.ListPath
	feed func(timeline.Filter, web.FeedFormat, *timeline.Cursor) string
	// kinds are what the list shows whatever its filter says (the claims
	// list's), nil for a list of the filter's kinds.
	kinds []timeline.EventKind
	title func(s *Server, st *timeline.Story, f timeline.Filter, bySlug map[string]timeline.Actor) string
}

var (
	timelineFeed = listFeed{page: web.TimelinePath, feed: web.TimelineFeedPath, title: (*Server).timelineTitle}
	claimsFeed   = listFeed{page: web.ClaimsPath, feed: web.ClaimsFeedPath, kinds: timeline.ClaimKinds, title: (*Server).claimsTitle}
)

// feedView names a list view's feed by its canonical URL.
func feedView(list listFeed, format web.FeedFormat) viewOf {
	return func(r *http.Request) (string, bool) {
		q, err := listQueryOf(r)
		if err != nil {
			return "", false
		}
		older, err := olderCursor(r)
		if err != nil {
			return "", false
		}
		return list.feed(q.filter, format, older), true
	}
}

// actorFeedView names an actor's feed by its canonical URL.
func actorFeedView(format web.FeedFormat) viewOf {
	return func(r *http.Request) (string, bool) {
		older, err := olderCursor(r)
		if err != nil {
			return "", false
		}
		return web.ActorFeedPath(chiSlug(r), format, older), true
	}
}

// writeFeed writes feed in format.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, format web.FeedFormat, feed web.Feed) {
	write := s.site.AtomFeed
	if format == web.JSONFeed {
		write = s.site.JSONFeed
	}
	body, err := write(feed)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", feedContentType(format))
	w.Write(body) //nolint:errcheck // the reader has gone; nothing to tell
}

// handleListFeed is GET /timeline/feed.atom, /stories/{story}/feed.atom,
// /claims/feed.atom and /stories/{story}/claims/feed.atom (and .json):
// the changes of a list's filtered view.
func (s *Server) handleListFeed(list listFeed, format web.FeedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, q, _, bySlug, ok := s.readList(w, r)
		if !ok {
			return
		}
		older, err := olderCursor(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		f := withoutPaging(q.filter)
		f.Desc, f.Relevance = false, false
		find := f
		if list.kinds != nil {
			f.Kinds, find.Kinds = nil, list.kinds // the list's URLs carry no kind
		}
		page, err := s.store.FindChanges(r.Context(), find, older, timeline.MaxFeedEntries)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		feed := web.Feed{Title: s.site.FeedTitle(list.title(s, st, f, bySlug)), Page: list.page(f), First: list.feed(f, format, nil),
			Self: list.feed(f, format, older), Events: page.Events}
		if page.Earlier != nil {
			feed.Next = list.feed(f, format, page.Earlier)
		}
		s.writeFeed(w, r, format, feed)
	}
}

// handleActorFeed is GET /actors/{slug}/feed.atom (and .json): the changes
// of the actor's events.
func (s *Server) handleActorFeed(format web.FeedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a, err := s.store.FindActor(ctx, chiSlug(r))
		if err != nil {
			s.Error(w, r, err, web.Link{Label: web.EveryActor, URL: web.ActorsPath()})
			return
		}
		older, err := olderCursor(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		page, err := s.store.FindChanges(ctx, timeline.Filter{Actors: []string{a.Slug}}, older, timeline.MaxFeedEntries)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		feed := web.Feed{Title: s.site.FeedTitle(a.Name), Page: web.ActorPath(a.Slug), First: web.ActorFeedPath(a.Slug, format, nil),
			Self: web.ActorFeedPath(a.Slug, format, older), Events: page.Events}
		if page.Earlier != nil {
			feed.Next = web.ActorFeedPath(a.Slug, format, page.Earlier)
		}
		s.writeFeed(w, r, format, feed)
	}
}

// handleClaimFeed is GET /events/{slug}/feed.atom (and .json): a claim
// and the events of its exchange, newest change first, so that a reader
// following it hears of each answer, and of the claim again with it. An
// exchange is bounded (MaxThread); the feed shows its newest changes.
func (s *Server) handleClaimFeed(format web.FeedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		e, err := s.store.FindEvent(ctx, chiSlug(r))
		if err != nil {
			s.Error(w, r, err, web.Link{Label: web.EveryClaim, URL: web.ClaimsPath(timeline.Filter{})})
			return
		}
		thread, err := s.store.FindThread(ctx, e.Slug)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		slices.SortFunc(thread, func(a, b timeline.Event) int {
			return cmp.Or(b.Changed.Compare(a.Changed), cmp.Compare(b.Slug, a.Slug))
		})
		feed := web.Feed{Title: s.site.FeedTitle(web.ClaimTitle(e)), Page: web.ClaimPath(e.Slug), First: web.ClaimFeedPath(e.Slug, format),
			Self: web.ClaimFeedPath(e.Slug, format), Events: thread[:min(len(thread), timeline.MaxFeedEntries)]}
		s.writeFeed(w, r, format, feed)
	}
}
