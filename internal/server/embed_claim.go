package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// handleEmbedClaim is GET /embed/claims/{slug}: a claim's embed form.
func (s *Server) handleEmbedClaim(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.FindEvent(r.Context(), chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.EmbedClaimView{Site: s.site, Head: web.EmbedHead{Title: web.ClaimTitle(e), PagePath: web.ClaimPath(e.Slug)}, Claim: *e}
	s.render(w, r, http.StatusOK, web.EmbedClaimPage(v))
}
