package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// Error answers with the page for err: 400 for bad input, 404 for what
// does not exist, 301 for a moved event, 500 (logged) for the rest.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error, links ...web.Link) {
	var moved *timeline.Error
	if errors.As(err, &moved) && moved.Code == timeline.EMOVED {
		target := strings.Replace(r.URL.Path, chiSlug(r), moved.Slug, 1)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	status, title := http.StatusInternalServerError, "Something went wrong"
	msg := timeline.ErrorMessage(err)
	switch timeline.ErrorCode(err) {
	case timeline.EINVALID:
		status, title = http.StatusBadRequest, "That address asks for something we don’t have"
		links = append(links, web.Link{Label: "Every actor", URL: "/actors"})
	case timeline.ENOTFOUND:
		status, title = http.StatusNotFound, "Not found"
	case timeline.ECONFLICT:
		status, title = http.StatusConflict, "Not possible now"
	default:
		s.log.Error("request failed", "error", err, "path", r.URL.Path)
		msg = "The server could not answer this request. Please try again in a moment."
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.ErrorPage(web.ErrorView{
		Site: s.site, Head: web.Head{Title: title}, Status: status, Message: msg, Links: links,
	}))
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.Error(w, r, timeline.Errorf(timeline.ENOTFOUND, "There is no page at this address."))
}

func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	plainError(w, http.StatusMethodNotAllowed, "Timeline's pages are read with GET.")
}
