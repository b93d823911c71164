package server

import (
	"net/http"
	"net/url"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// frontPageSize is how many stories the front page shows at a time.
const frontPageSize = 20

// frontTopActors is how many of each story's busiest actors it names.
const frontTopActors = 4

// handleFront is GET /: the stories, most recently updated first, a page
// at a time (?older=). An address of the timeline from before stories,
// /?actor=…, is redirected to its new home (see redirectOldTimeline).
func (s *Server) handleFront(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if oldTimelineQuery(q) {
		s.redirectOldTimeline(w, r)
		return
	}
	older, err := frontCursor(q)
	if err != nil {
		s.Error(w, r, err, web.Link{Label: web.NewestStories, URL: web.HomePath()})
		return
	}
	page, err := s.store.FindStories(r.Context(), older, frontPageSize, frontTopActors)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.FrontView{Site: s.site, Stories: page.Stories,
		Head: web.Head{Title: web.FrontTitle, Description: web.FrontDescription, Path: web.FrontPath(older), Section: web.SectionTimeline,
			Feeds: &web.FeedLinks{Title: s.site.FeedTitle(web.ArchiveTitle), Atom: web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil), JSON: web.TimelineFeedPath(timeline.Filter{}, web.JSONFeed, nil)}}}
	if page.Older != nil {
		v.Older = web.FrontPath(page.Older)
	}
	if older != nil {
		v.Newest = web.HomePath()
	}
	s.render(w, r, http.StatusOK, web.FrontPage(v))
}

// frontCursor reads the front page's ?older=.
func frontCursor(q url.Values) (*timeline.Cursor, error) {
	v := single(q, "older")
	if v == "" {
		return nil, nil
	}
	c, err := timeline.ParseCursor(v)
	if err != nil {
		return nil, invalidParam("older", v, "%s", timeline.ErrorMessage(err))
	}
	return &c, nil
}

// oldTimelineParams are the parameters of the timeline when it was the
// front page.
var oldTimelineParams = []string{"actor", "role", "kind", "contested", "from", "to", "order", "before", "after", "around"}

// oldTimelineQuery reports whether q is an address of the timeline from
// when it was the front page.
func oldTimelineQuery(q url.Values) bool {
	for _, p := range oldTimelineParams {
		if _, ok := q[p]; ok {
			return true
		}
	}
	return false
}

// redirectOldTimeline answers an address of the timeline from when it was
// the front page with a 301 to its new home, filters included: the
// archive-wide timeline, which holds every event it held; an ?around=
// view goes to the event's own story, scrolled to it.
func (s *Server) redirectOldTimeline(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if around := single(q, "around"); around != "" && timeline.ValidSlug(around) {
		e, err := s.store.FindEvent(r.Context(), around)
		var moved *timeline.Error
		if errorAs(err, &moved) && moved.Code == timeline.EMOVED {
			e, err = s.store.FindEvent(r.Context(), moved.Slug)
		}
		if err == nil {
			http.Redirect(w, r, web.AroundPathWith(e.Story.Slug, q, e.Slug), http.StatusMovedPermanently)
			return
		}
	}
	http.Redirect(w, r, web.PathWithQuery(web.ArchiveTimelinePath(), q), http.StatusMovedPermanently)
}
