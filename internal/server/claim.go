package server

import (
	"context"
	"net/http"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// handleClaim is GET /claims/{slug}: one claim and everyone's stance on it.
func (s *Server) handleClaim(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.store.FindEvent(ctx, chiSlug(r))
	if err != nil {
		s.Error(w, r, err, web.Link{Label: web.EveryClaim, URL: web.ClaimsPath(timeline.Filter{})})
		return
	}
	answers, err := s.claimAnswers(ctx, e)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	v := web.ClaimView{
		Site: s.site,
		Head: web.Head{Title: web.ClaimTitle(e), Description: web.EventDescription(e), Path: web.ClaimPath(e.Slug), OGType: "article", JSONLD: web.PageJSONLD(s.site, e, answers), Section: web.SectionClaims,
			Feeds: claimFeeds(s.site, e), Embed: &web.Embed{Path: web.EmbedPath(web.ClaimPath(e.Slug)), Title: web.ClaimTitle(e)},
			Card: cardImage(web.EventCardPath(e.Slug), web.EventCard(s.site, e))},
		Claim: *e,
	}
	s.render(w, r, http.StatusOK, web.ClaimPage(v))
}

// claimFeeds are the feeds of an event and its answers, offered on its
// pages.
func claimFeeds(site web.Site, e *timeline.Event) *web.FeedLinks {
	return &web.FeedLinks{Title: site.FeedTitle(web.ClaimTitle(e)), Atom: web.ClaimFeedPath(e.Slug, web.Atom), JSON: web.ClaimFeedPath(e.Slug, web.JSONFeed)}
}

// claimAnswers are the events of e's thread where e is an answered claim,
// whole because its structured data gives each answer's sources; nil
// otherwise. The store bounds a thread.
func (s *Server) claimAnswers(ctx context.Context, e *timeline.Event) ([]timeline.Event, error) {
	if !e.Kind.IsClaim() || len(e.AnsweredBy) == 0 {
		return nil, nil
	}
	return s.store.FindThread(ctx, e.Slug)
}
