package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

func chiSlug(r *http.Request) string { return chi.URLParam(r, "slug") }

// actorIndex loads every actor, for the filter form and to check slugs.
func (s *Server) actorIndex(r *http.Request) ([]timeline.Actor, map[string]timeline.Actor, error) {
	actors, err := s.store.FindActors(r.Context())
	if err != nil {
		return nil, nil, err
	}
	bySlug := make(map[string]timeline.Actor, len(actors))
	for _, a := range actors {
		bySlug[a.Slug] = a
	}
	return actors, bySlug, nil
}

// handleTimeline is GET /: the events in time order, filtered, a page at a time.
func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.store.FindStory(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if s.notModified(w, r, st) {
		return
	}
	actors, bySlug, err := s.actorIndex(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q, err := parseListQuery(r.URL.Query(), bySlug)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f := q.filter
	var page *timeline.EventPage
	if q.around != "" {
		e, err := s.store.FindEvent(ctx, q.around)
		if err != nil {
			if timeline.ErrorCode(err) == timeline.EMOVED {
				http.Redirect(w, r, "/?around="+err.(*timeline.Error).Slug, http.StatusMovedPermanently)
				return
			}
			s.Error(w, r, err)
			return
		}
		f.Earlier, f.Later = nil, nil
		page, err = s.store.FindAround(ctx, f, timeline.CursorOf(e))
		if err != nil {
			s.Error(w, r, err)
			return
		}
	} else if page, err = s.store.FindEvents(ctx, f); err != nil {
		s.Error(w, r, err)
		return
	}

	first := withoutPaging(f)
	applied, clear := appliedChips("/", first, bySlug)
	v := web.TimelineView{
		Site:    s.site,
		Story:   st,
		Form:    filterForm("/", first, actors, true),
		Applied: applied,
		Clear:   clear,
		Days:    web.GroupByDay(page.Events),
	}
	if page.Earlier != nil {
		g := first
		g.Earlier = page.Earlier
		v.Earlier = listURL("/", g)
	}
	if page.Later != nil {
		g := first
		g.Later = page.Later
		v.Later = listURL("/", g)
	}
	title := st.Title
	if title == "" {
		title = "Timeline"
	}
	v.Head = web.Head{Title: title, Description: st.Description, Path: listURL("/", first), Section: "timeline"}
	if len(applied) > 0 {
		v.Head.Title = title + " — filtered"
	}
	s.render(w, r, http.StatusOK, web.TimelinePage(v))
}
