package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// handleEvent is GET /events/{slug}: an event's permalink.
func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.store.FindEvent(ctx, chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	prev, next, err := s.store.FindNeighbours(ctx, e)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	answers, err := s.claimAnswers(ctx, e)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	path := web.EventPath(e.Slug)
	v := web.EventView{
		Site: s.site,
		Head: web.Head{Title: e.Title, Description: web.EventDescription(e), Path: path, OGType: "article", JSONLD: web.PageJSONLD(s.site, e, answers), Section: web.SectionTimeline,
			Feeds: claimFeeds(s.site, e), Embed: &web.Embed{Path: web.EmbedPath(path), Title: e.Title},
			Card: cardImage(web.EventCardPath(e.Slug), web.EventCard(s.site, e))},
		Event: *e, Prev: prev, Next: next,
	}
	s.render(w, r, http.StatusOK, web.EventPage(v))
}
