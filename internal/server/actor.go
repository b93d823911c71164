package server

import (
	"net/http"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// actorPageSize is how many events an actor page shows per role.
const actorPageSize = 20

// handleActor is GET /actors/{slug}: who they are and their events by role.
func (s *Server) handleActor(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.store.FindActor(ctx, chiSlug(r))
	if err != nil {
		s.Error(w, r, err, web.Link{Label: web.EveryActor, URL: web.ActorsPath()})
		return
	}
	v := web.ActorView{Site: s.site, Actor: *a}
	for _, role := range timeline.Roles {
		f := timeline.Filter{Actors: []string{a.Slug}, Role: role, Limit: actorPageSize}
		page, err := s.store.FindEvents(ctx, f)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		g := web.RoleEvents{Role: role, Events: page.Events}
		if page.Later != nil {
			f.Limit = 0
			g.More = web.TimelinePath(f)
		}
		v.ByRole = append(v.ByRole, g)
	}
	all := timeline.Filter{Actors: []string{a.Slug}}
	o, err := s.store.FindOverview(ctx, all)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var read []timeline.Event
	for _, g := range v.ByRole {
		read = append(read, g.Events...)
	}
	v.Overview = web.NewOverview(web.TimelinePath, all, o, read, map[string]timeline.Actor{a.Slug: *a})
	v.Head = web.Head{Title: a.Name, Description: web.ActorDescription(*a, web.ArchiveTitle), Path: web.ActorPath(a.Slug), OGType: "profile", Section: web.SectionActors,
		Feeds: &web.FeedLinks{Title: s.site.FeedTitle(a.Name), Atom: web.ActorFeedPath(a.Slug, web.Atom, nil), JSON: web.ActorFeedPath(a.Slug, web.JSONFeed, nil)}}
	s.render(w, r, http.StatusOK, web.ActorPage(v))
}
