package server

import (
	"net/http"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// handleEvent is GET /events/{slug}: an event's permalink.
func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, goOn := s.begin(w, r)
	if !goOn {
		return
	}
	e, err := s.store.FindEvent(ctx, chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	prev, next, err := s.store.FindNeighbours(ctx, e)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	path := web.EventPath(e.Slug)
	v := web.EventView{
		Site:  s.site,
		Head:  web.Head{Title: e.Title, Description: e.Summary, Path: path, OGType: "article", JSONLD: s.eventJSONLD(st, e), Section: web.SectionTimeline},
		Event: *e, Prev: prev, Next: next,
	}
	s.render(w, r, http.StatusOK, web.EventPage(v))
}

// eventJSONLD describes an event for search engines and link unfurlers,
// claiming no more than the data holds: no publication dates we do not know.
func (s *Server) eventJSONLD(st timeline.Story, e *timeline.Event) map[string]any {
	var mentions []map[string]any
	for _, a := range e.Actors {
		typ := "Organization"
		if a.Actor.Kind == timeline.ActorPerson || a.Actor.Kind == timeline.ActorAnalyst {
			typ = "Person"
		}
		mentions = append(mentions, map[string]any{"@type": typ, "name": a.Actor.Name, "url": s.site.Absolute(web.ActorPath(a.Actor.Slug))})
	}
	var citations []map[string]any
	for _, c := range e.Sources {
		cite := map[string]any{"@type": "CreativeWork", "publisher": map[string]any{"@type": "Organization", "name": c.Source.Outlet}}
		if timeline.WebURL(c.Source.URL) {
			cite["url"] = c.Source.URL
		}
		if c.Source.Title != "" {
			cite["name"] = c.Source.Title
		}
		citations = append(citations, cite)
	}
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         e.Title,
		"description":      e.Summary,
		"url":              s.site.Absolute(web.EventPath(e.Slug)),
		"mainEntityOfPage": s.site.Absolute(web.EventPath(e.Slug)),
		"isPartOf":         map[string]any{"@type": "WebSite", "name": s.site.Name, "url": s.site.Absolute(web.HomePath())},
		"about":            map[string]any{"@type": "Thing", "name": st.Title, "temporalCoverage": e.When.Datetime()},
		"mentions":         mentions,
		"citation":         citations,
	}
	if e.Location != "" {
		ld["contentLocation"] = map[string]any{"@type": "Place", "name": e.Location}
	}
	return ld
}
