package server

import (
	"net/http"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// handleEmbedClaims is GET /embed/claims and GET /embed/stories/{story}/claims:
// the embed form of a claims list, with the same filter as the full page.
func (s *Server) handleEmbedClaims(w http.ResponseWriter, r *http.Request) {
	st, q, _, bySlug, ok := s.readList(w, r)
	if !ok {
		return
	}
	f := q.filter
	f.Kinds = timeline.ClaimKinds // as on the full page: the view is of claims
	f.Limit = embedPageSize
	page, err := s.store.FindEvents(r.Context(), f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	shown := q.filter
	shown.Kinds = nil // the claims' URLs carry no kind
	v := web.EmbedClaimsView{
		Site:   s.site,
		Head:   web.EmbedHead{Title: s.claimsTitle(st, withoutPaging(shown), bySlug), PagePath: web.ClaimsPath(shown)},
		Claims: page.Events,
	}
	s.render(w, r, http.StatusOK, web.EmbedClaimsPage(v))
}
