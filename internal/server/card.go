package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// cardActors is how many of a story's busiest actors its card names.
const cardActors = 3

// handleStoryCard is GET /cards/stories/{story}.png: a story's share image.
func (s *Server) handleStoryCard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.store.FindStory(ctx, chiStory(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.storyCard(ctx, st)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeCard(w, r, c)
}

// storyCard is what st's share image says, which its pages describe.
func (s *Server) storyCard(ctx context.Context, st *timeline.Story) (web.Card, error) {
	top, err := s.store.FindStoryTopActors(ctx, st.Slug, cardActors)
	if err != nil {
		return web.Card{}, fmt.Errorf("story card: %w", err)
	}
	// The busiest of every kind, busiest first across kinds.
	top = slices.Clone(top)
	slices.SortStableFunc(top, func(a, b timeline.Actor) int { return cmp.Compare(b.EventCount, a.EventCount) })
	return web.StoryCard(s.site, st, top[:min(len(top), cardActors)]), nil
}

// cardImage is the head's share image at path, described by what c says.
func cardImage(path string, c web.Card) *web.CardImage {
	return &web.CardImage{Path: path, Alt: web.CardAlt(c)}
}

// handleEventCard is GET /cards/events/{slug}.png: an event's share image,
// which its claim page shares too.
func (s *Server) handleEventCard(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.FindEvent(r.Context(), chiSlug(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeCard(w, r, web.EventCard(s.site, e))
}

func (s *Server) writeCard(w http.ResponseWriter, r *http.Request, c web.Card) {
	b, err := web.CardPNG(c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(b)
}
