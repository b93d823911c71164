package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// handleThread is GET /threads/{slug}: the whole exchange around an event.
func (s *Server) handleThread(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.store.FindEvent(ctx, chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	events, err := s.store.FindThread(ctx, e.Slug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.ThreadView{
		Site: s.site,
		// The exchange's feed is the claim feed: the same events, newest change first.
		Head: web.Head{Title: web.ThreadTitle(e), Description: web.EventDescription(e), Path: web.ThreadPath(e.Slug), Section: web.SectionClaims, Feeds: claimFeeds(s.site, e)},
		From: *e, Events: events,
	}
	s.render(w, r, http.StatusOK, web.ThreadPage(v))
}
