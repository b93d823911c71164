package server

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// timelinePageSize is how many events a timeline page shows: enough to
// read on, small enough that a page of an archive stays near 100 kB before
// compression (events with several sources and quotes run to 1.5 kB each).
const timelinePageSize = 50

// formActorsPerKind is how many actors of each kind the filter form lists:
// all of a story's, the busiest of an archive's (the finder at /actors
// reaches the rest).
const formActorsPerKind = 15

// formActors loads what a list's filter needs: the busiest actors of each
// kind, and the chosen ones, listed too even when they are not among the
// busiest. An unknown chosen actor is a badParam error naming it.
// A story's form lists its own busiest, counted within it.
func (s *Server) formActors(ctx context.Context, arch timeline.Archive, story string, chosen []string) ([]timeline.Actor, map[string]timeline.Actor, error) {
	picked := make([]timeline.Actor, 0, len(chosen))
	for _, slug := range chosen { // at most maxActorsInFilter
		a, err := s.store.FindActor(ctx, slug)
		if timeline.ErrorCode(err) == timeline.ENOTFOUND {
			return nil, nil, invalidParam("actor", slug, "There is no actor %q.", slug)
		} else if err != nil {
			return nil, nil, err
		}
		picked = append(picked, *a)
	}
	var top []timeline.Actor
	var err error
	if story != "" {
		top, err = s.store.FindStoryTopActors(ctx, story, formActorsPerKind)
	} else {
		top, err = s.topActors.get(stateOf(arch), func() ([]timeline.Actor, error) {
			return s.store.FindTopActors(ctx, formActorsPerKind)
		})
	}
	if err != nil {
		return nil, nil, err
	}
	top = slices.Clip(top) // shared between requests: appending must copy
	bySlug := make(map[string]timeline.Actor, len(picked))
	for _, a := range picked {
		bySlug[a.Slug] = a
	}
	for _, a := range top {
		delete(bySlug, a.Slug)
	}
	for _, a := range picked {
		if _, extra := bySlug[a.Slug]; extra {
			top = append(top, a)
		}
		bySlug[a.Slug] = a
	}
	return top, bySlug, nil
}

// readList reads what a list page (the timeline, the claims) needs besides
// its events: the story it is of (nil for the whole archive's), the query
// string and the filter form's actors. On an error it has answered, and
// reports false.
func (s *Server) readList(w http.ResponseWriter, r *http.Request) (st *timeline.Story, q listQuery, actors []timeline.Actor, bySlug map[string]timeline.Actor, ok bool) {
	var err error
	if slug := chiStory(r); slug != "" {
		if st, err = s.store.FindStory(r.Context(), slug); err != nil {
			s.Error(w, r, err, web.Link{Label: web.EveryStory, URL: web.HomePath()})
			return nil, q, nil, nil, false
		}
	}
	if q, err = listQueryOf(r); err == nil {
		actors, bySlug, err = s.formActors(r.Context(), archiveOf(r), q.filter.Story, q.filter.Actors)
	}
	if err != nil {
		s.Error(w, r, err)
		return st, q, nil, nil, false
	}
	return st, q, actors, bySlug, true
}

// handleTimeline is GET /stories/{story} and GET /timeline: a story's
// events, or the whole archive's, in time order, filtered, a page at a time.
func (s *Server) handleTimeline(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, q, actors, bySlug, ok := s.readList(w, r)
	if !ok {
		return
	}
	f := q.filter
	f.Limit = timelinePageSize
	var page *timeline.EventPage
	var outside *web.Link // the around event, when the filter leaves it out
	if q.around != "" {
		e, err := s.store.FindEvent(ctx, q.around)
		var moved *timeline.Error
		if errors.As(err, &moved) && moved.Code == timeline.EMOVED {
			// The same view around the event's current slug, scrolled to it.
			http.Redirect(w, r, web.AroundPathWith(f.Story, r.URL.Query(), moved.Slug), http.StatusMovedPermanently)
			return
		} else if err != nil {
			s.Error(w, r, err)
			return
		}
		f.Earlier, f.Later = nil, nil
		page, err = s.store.FindAround(ctx, f, timeline.CursorOf(e))
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if !slices.ContainsFunc(page.Events, func(x timeline.Event) bool { return x.ID == e.ID }) {
			outside = &web.Link{Label: e.Title, URL: web.AroundPath(f.Story, e.Slug)}
		}
	} else {
		var err error
		if page, err = s.store.FindEvents(ctx, f); err != nil {
			s.Error(w, r, err)
			return
		}
	}

	first := withoutPaging(f)
	o, err := s.store.FindOverview(ctx, first)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	applied, clear := web.AppliedFilters(web.TimelinePath, first, bySlug)
	title, description := storyTitle(s.site, st)
	v := web.TimelineView{
		Site:        s.site,
		Title:       title,
		Story:       f.Story,
		Description: description,
		Outside:     outside,
		Form:        web.NewFilterForm(web.TimelinePath, first, actors, true),
		Applied:     applied,
		Clear:       clear,
		Days:        web.GroupByDay(page.Events),
		Overview:    web.NewOverview(web.TimelinePath, first, o, page.Events, bySlug),
	}
	if f.Earlier != nil || f.Later != nil {
		v.Start = web.TimelinePath(first)
	}
	if page.Earlier != nil {
		g := first
		g.Earlier = page.Earlier
		v.Earlier = web.TimelinePath(g)
	}
	if page.Later != nil {
		g := first
		g.Later = page.Later
		v.Later = web.TimelinePath(g)
	}
	v.Head = web.Head{Title: s.timelineTitle(st, first, bySlug), Description: description, Path: web.TimelinePath(first), Section: web.SectionTimeline,
		SearchIn: web.TimelinePath(timeline.Filter{Story: f.Story}), Query: f.Query}
	v.Head.Feeds = &web.FeedLinks{Title: s.site.FeedTitle(v.Head.Title), Atom: web.TimelineFeedPath(first, web.Atom, nil), JSON: web.TimelineFeedPath(first, web.JSONFeed, nil)}
	v.Head.Embed = &web.Embed{Path: web.EmbedPath(v.Head.Path), Title: v.Head.Title}
	if st != nil {
		c, err := s.storyCard(ctx, st)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		v.Head.Card = cardImage(web.StoryCardPath(st.Slug), c)
	}
	s.render(w, r, http.StatusOK, web.TimelinePage(v))
}

// storyTitle is the title and description of a story's timeline, the
// archive's when st is nil.
func storyTitle(site web.Site, st *timeline.Story) (title, description string) {
	if st == nil {
		return web.ArchiveTitle, web.ArchiveDescription
	}
	return cmp.Or(st.Title, site.Name), st.Description
}

// timelineTitle is the title of a timeline filtered by f (at its first
// page): a shared filtered view unfurls with what it shows.
func (s *Server) timelineTitle(st *timeline.Story, f timeline.Filter, bySlug map[string]timeline.Actor) string {
	title, _ := storyTitle(s.site, st)
	if applied, _ := web.AppliedFilters(web.TimelinePath, f, bySlug); len(applied) > 0 {
		return web.FilteredTitle(applied, title)
	}
	return title
}
