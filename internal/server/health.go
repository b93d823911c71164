package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/follow"
)

// handleHealth is GET /healthz: the process is alive.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	plainError(w, http.StatusOK, "ok")
}

// handleReady is GET /readyz: the database answers and is migrated. Its
// details say how each followed sheet fares: a failing sheet leaves its
// story as it was, and the server ready, so it is told, not a 503.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ready(r.Context()); err != nil {
		// The reason goes to the log, not to whoever asks.
		s.log.Warn("not ready", "error", err)
		plainError(w, http.StatusServiceUnavailable, "not ready")
		return
	}
	msg := "ready"
	if s.sheets != nil {
		var b strings.Builder
		b.WriteString(msg)
		for _, st := range s.sheets.Statuses() {
			writeSheetStatus(&b, st)
		}
		msg = b.String()
	}
	plainError(w, http.StatusOK, msg)
}

// writeSheetStatus writes a followed sheet's line of /readyz, and its
// error's lines indented under it. The sheet's address is left out: a
// published sheet's address is as good as its key.
func writeSheetStatus(b *strings.Builder, st follow.Status) {
	state := "ok"
	switch {
	case st.Failing():
		state = "FAILING, the story is as the last good sheet left it"
	case st.LastCheck.IsZero():
		state = "not checked yet"
	}
	fmt.Fprintf(b, "\nsheet %s: %s; last success %s; last failure %s; last change %s; every %s",
		st.Sheet.Story, state, stamp(st.LastSuccess), stamp(st.LastFailure), stamp(st.LastChange), st.Sheet.Interval)
	if st.Failing() {
		b.WriteString("\n  error: ")
		b.WriteString(strings.ReplaceAll(st.LastError, "\n", "\n  "))
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}
