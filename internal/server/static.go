package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/timelinenews/timeline/web"
)

// handleStatic is GET /static/{name}: CSS and JS under content-hashed names.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	web.ServeAsset(w, r, chi.URLParam(r, "name"), acceptsGzip(r))
}
