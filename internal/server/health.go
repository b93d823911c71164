package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/timelinenews/timeline/web"
)

// handleHealth is GET /healthz: the process is alive.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	plainError(w, http.StatusOK, "ok")
}

// handleReady is GET /readyz: the database answers and is migrated.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ready(r.Context()); err != nil {
		s.log.Warn("not ready", "error", err)
		plainError(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
		return
	}
	plainError(w, http.StatusOK, "ready")
}

// handleStatic is GET /static/{name}: CSS and JS under content-hashed names.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	web.ServeAsset(w, r, chi.URLParam(r, "name"))
}
