package server

import (
	"net/http"
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
		// The reason goes to the log, not to whoever asks.
		s.log.Warn("not ready", "error", err)
		plainError(w, http.StatusServiceUnavailable, "not ready")
		return
	}
	plainError(w, http.StatusOK, "ready")
}
