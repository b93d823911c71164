package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// oembedCacheAge is how long a consumer may keep an oEmbed answer, in
// seconds: an embed's snippet changes only with its title.
const oembedCacheAge = 3600

// maxEmbedSize bounds maxwidth and maxheight: no screen is wider.
const maxEmbedSize = 10000

// oembed is an oEmbed 1.0 answer of type rich (oembed.com, 2.3.4).
type oembed struct {
	Type         string `json:"type"`
	Version      string `json:"version"`
	Title        string `json:"title"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	CacheAge     int    `json:"cache_age"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// handleOEmbed is GET /oembed?url=…: the embed of one of the site's
// embeddable pages, as oEmbed consumers ask for it. JSON only (501 for
// another format), 404 for a URL that is not an embeddable page of ours.
func (s *Server) handleOEmbed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if format := q.Get("format"); format != "" && format != "json" {
		plainError(w, http.StatusNotImplemented, "oEmbed is served as JSON only.")
		return
	}
	width, okWidth := embedBound(q.Get("maxwidth"), web.EmbedWidth)
	height, okHeight := embedBound(q.Get("maxheight"), web.EmbedHeight)
	if !okWidth || !okHeight {
		plainError(w, http.StatusBadRequest, "maxwidth and maxheight are whole numbers of pixels, from 1.")
		return
	}
	raw := q.Get("url")
	if raw == "" {
		plainError(w, http.StatusBadRequest, "The url parameter names the page to embed.")
		return
	}
	pagePath, title, err := s.embeddable(r, raw)
	if err != nil {
		if code := timeline.ErrorCode(err); code == timeline.ENOTFOUND || code == timeline.EINVALID || code == timeline.EGONE || code == timeline.EMOVED {
			plainError(w, http.StatusNotFound, "There is no page of ours to embed at that URL.")
			return
		}
		s.Error(w, r, err)
		return
	}
	body, err := json.Marshal(oembed{
		Type: "rich", Version: "1.0", Title: title,
		ProviderName: s.site.Name, ProviderURL: s.site.Absolute(web.HomePath()), CacheAge: oembedCacheAge,
		HTML:  web.EmbedSnippet(s.site.Absolute(web.EmbedPath(pagePath)), title, width, height),
		Width: width, Height: height,
	})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// embedBound is an embed's size in one dimension under a consumer's
// maximum, "" for none.
func embedBound(max string, size int) (int, bool) {
	if max == "" {
		return size, true
	}
	n, err := strconv.Atoi(max)
	if err != nil || n < 1 || n > maxEmbedSize {
		return 0, false
	}
	return min(n, size), true
}

// embeddable reads an absolute URL as one of the site's embeddable pages:
// its canonical path and query, and its title. A URL of another site, or
// of a page that is not embeddable or does not exist, is ENOTFOUND. An
// event's or a claim's former URL is read as its current one.
func (s *Server) embeddable(r *http.Request, raw string) (pagePath, title string, err error) {
	notOurs := timeline.Errorf(timeline.ENOTFOUND, "not one of our pages")
	u, err := url.Parse(raw)
	base, baseErr := url.Parse(s.site.Absolute(""))
	if err != nil || baseErr != nil || u.Scheme != base.Scheme || u.Host != base.Host {
		return "", "", notOurs
	}
	ctx := r.Context()
	kind, slug := web.EmbeddablePath(u.Path)
	switch kind {
	case web.EmbeddableEvent, web.EmbeddableClaim:
		e, err := s.store.FindEvent(ctx, slug)
		var moved *timeline.Error
		if errorAs(err, &moved) && moved.Code == timeline.EMOVED {
			// A former permalink, as a host page pasted it before the
			// rename: the page answers it with a 301, so the embed is of
			// the event where it lives now.
			e, err = s.store.FindEvent(ctx, moved.Slug)
		}
		if err != nil {
			return "", "", err
		}
		if kind == web.EmbeddableClaim {
			return web.ClaimPath(e.Slug), web.ClaimTitle(e), nil
		}
		return web.EventPath(e.Slug), e.Title, nil
	case web.EmbeddableTimeline, web.EmbeddableClaims:
		lq, err := parseListQuery(u.Query())
		if err != nil {
			return "", "", err
		}
		f := withoutPaging(lq.filter)
		f.Story = slug
		var st *timeline.Story
		if slug != "" {
			if st, err = s.store.FindStory(ctx, slug); err != nil {
				return "", "", err
			}
		}
		bySlug := make(map[string]timeline.Actor, len(f.Actors))
		for _, a := range f.Actors { // at most maxActorsInFilter
			actor, err := s.store.FindActor(ctx, a)
			if err != nil {
				return "", "", err
			}
			bySlug[a] = *actor
		}
		if kind == web.EmbeddableClaims {
			f.Kinds = nil // the claims' URLs carry no kind
			return web.ClaimsPath(f), s.claimsTitle(st, f, bySlug), nil
		}
		return web.TimelinePath(f), s.timelineTitle(st, f, bySlug), nil
	}
	return "", "", notOurs
}
