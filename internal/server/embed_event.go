package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// handleEmbedEvent is GET /embed/events/{slug}: an event's embed form.
func (s *Server) handleEmbedEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.FindEvent(r.Context(), chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.EmbedEventView{Site: s.site, Head: web.EmbedHead{Title: e.Title, PagePath: web.EventPath(e.Slug)}, Event: *e}
	s.render(w, r, http.StatusOK, web.EmbedEventPage(v))
}
