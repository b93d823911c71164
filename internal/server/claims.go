package server

import (
	"cmp"
	"net/http"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

const claimsPageSize = 50

// handleClaims is GET /claims and GET /stories/{story}/claims: every claim
// of the archive, or of a story, beside its answers.
func (s *Server) handleClaims(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, q, actors, bySlug, ok := s.readList(w, r)
	if !ok {
		return
	}
	f := q.filter
	f.Kinds = timeline.ClaimKinds // the view is of claims: a kind in the URL does not widen it
	f.Limit = claimsPageSize
	page, err := s.store.FindEvents(ctx, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	first := withoutPaging(q.filter)
	first.Kinds = nil
	o, err := s.store.FindOverview(ctx, withoutPaging(f))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	applied, clear := web.AppliedFilters(web.ClaimsPath, first, bySlug)
	title := s.claimsTitle(st, first, bySlug)
	v := web.ClaimsView{
		Site: s.site,
		Head: web.Head{Title: title, Description: web.ArchiveClaimsDescription,
			Path: web.ClaimsPath(first), Section: web.SectionClaims,
			SearchIn: web.ClaimsPath(timeline.Filter{Story: f.Story}), Query: f.Query,
			Feeds: &web.FeedLinks{Title: s.site.FeedTitle(title), Atom: web.ClaimsFeedPath(first, web.Atom, nil), JSON: web.ClaimsFeedPath(first, web.JSONFeed, nil)},
			Embed: &web.Embed{Path: web.EmbedPath(web.ClaimsPath(first)), Title: title}},
		Form:    web.NewFilterForm(web.ClaimsPath, first, actors, false),
		Applied: applied,
		Clear:   clear,
		// The claims' URLs carry no kind: the view adds the claim kinds.
		Overview: web.NewOverview(web.ClaimsPath, first, o, page.Events, bySlug),
	}
	if st != nil {
		v.Head.Description = web.ClaimsDescription(st.Title)
		// A story's claims share the story's card: what they are about.
		c, err := s.storyCard(ctx, st)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v.Head.Card = cardImage(web.StoryCardPath(st.Slug), c)
	}
	v.Claims = page.Events
	if page.Earlier != nil {
		g := first
		g.Earlier = page.Earlier
		v.Earlier = web.ClaimsPath(g)
	}
	if page.Later != nil {
		g := first
		g.Later = page.Later
		v.Later = web.ClaimsPath(g)
	}
	s.render(w, r, http.StatusOK, web.ClaimsPage(v))
}

// claimsTitle is the title of a claims list filtered by f (at its first
// page, without kinds): the story's, or the archive's when st is nil.
func (s *Server) claimsTitle(st *timeline.Story, f timeline.Filter, bySlug map[string]timeline.Actor) string {
	title := web.ClaimsTitle
	if st != nil {
		title = web.StoryClaimsTitle(cmp.Or(st.Title, s.site.Name))
	}
	if applied, _ := web.AppliedFilters(web.ClaimsPath, f, bySlug); len(applied) > 0 {
		return web.FilteredTitle(applied, title)
	}
	return title
}
