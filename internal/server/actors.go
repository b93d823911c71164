package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// Bounds on the actor lists: an archive has tens of thousands of actors.
const (
	actorsPerKind = 100
	actorResults  = 100
)

// handleActors is GET /actors: the busiest actors of each kind, and the
// actor finder, GET /actors?q=, by word prefix over names and descriptions.
func (s *Server) handleActors(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(single(r.URL.Query(), "q"))
	if !utf8.ValidString(q) || len(q) > maxValueLength {
		s.Error(w, r, timeline.Errorf(timeline.EINVALID, "Search for at most %d characters of text.", maxValueLength))
		return
	}
	v := web.ActorsView{Site: s.site, Query: q,
		Head: web.Head{Title: web.ActorsTitle, Description: web.ActorsDescription(web.ArchiveTitle), Path: web.ActorsPath(), Section: web.SectionActors}}
	if q != "" {
		var err error
		if v.Results, err = s.store.SearchActors(ctx, q, actorResults); err != nil {
			s.Error(w, r, err)
			return
		}
		v.Head.Title, v.Head.Path = web.ActorsMatching(q), ""
	} else {
		actors, err := s.store.FindTopActors(ctx, actorsPerKind)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v.Groups = web.GroupActors(actors, nil)
	}
	s.render(w, r, http.StatusOK, web.ActorsPage(v))
}
