package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// embedPageSize is how many events an embedded timeline shows: a frame in
// an article is read at a glance, the full page has the rest.
const embedPageSize = 20

// handleEmbedTimeline is GET /embed/stories/{story} and GET /embed/timeline:
// the embed form of a timeline, with the same filter as the full page.
func (s *Server) handleEmbedTimeline(w http.ResponseWriter, r *http.Request) {
	st, q, _, bySlug, ok := s.readList(w, r)
	if !ok {
		return
	}
	f := q.filter
	f.Limit = embedPageSize
	page, err := s.store.FindEvents(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.EmbedTimelineView{
		Site:   s.site,
		Head:   web.EmbedHead{Title: s.timelineTitle(st, withoutPaging(f), bySlug), PagePath: web.TimelinePath(f)},
		Events: page.Events,
		Story:  f.Story,
	}
	s.render(w, r, http.StatusOK, web.EmbedTimelinePage(v))
}
