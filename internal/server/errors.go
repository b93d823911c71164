package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// statusClientClosed records a request whose reader left before the answer
// (nginx's 499): nothing is sent, and nothing went wrong here.
const statusClientClosed = 499

// retryAfter is how many seconds a 503 asks a reader to wait: about as
// long as a replica's file takes to settle and open again.
const retryAfter = "2"

// Error answers with the page for err: 400 for bad input, 404 for what
// does not exist, 301 for a moved event, 503 with Retry-After while the
// data cannot be read (a replica's file being replaced: the store says why
// in its own log), 500 (logged) for the rest, and nothing to a reader who
// has left. links are ways on that the caller
// knows of; a bad query value adds its own.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error, links ...web.Link) {
	w.Header().Set("Cache-Control", "no-store")

	if errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled) {
		w.WriteHeader(statusClientClosed)
		return
	}
	var moved *timeline.Error
	if errors.As(err, &moved) && moved.Code == timeline.EMOVED {
		http.Redirect(w, r, movedPath(r, moved.Slug), http.StatusMovedPermanently)
		return
	}
	status := http.StatusInternalServerError
	msg := timeline.ErrorMessage(err)
	switch timeline.ErrorCode(err) {
	case timeline.EINVALID:
		status = http.StatusBadRequest
		var bad *badParam
		var searchErr *timeline.Error
		if !errors.As(err, &bad) && errors.As(err, &searchErr) && (searchErr.Field == "q" || searchErr.Field == "order") {
			// A search the store could not read offers its words as
			// plain terms, and one it cannot rank the time order, as
			// the domain's refusals do.
			bad = &badParam{err: searchErr, param: searchErr.Field, value: searchErr.Value}
		}
		if bad != nil {
			links = append(links, bad.links(r.URL)...)
		} else {
			links = append(links, web.Link{Label: web.EveryActor, URL: web.ActorsPath()})
		}
	case timeline.ENOTFOUND:
		status = http.StatusNotFound
	case timeline.ECONFLICT:
		status = http.StatusConflict
	case timeline.EGONE:
		status, msg = http.StatusGone, web.WithdrawnMessage
		var gone *timeline.Error
		if errors.As(err, &gone) && gone.Story.Slug != "" {
			links = append(links, web.Link{Label: gone.Story.Title, URL: web.StoryPath(gone.Story.Slug)})
		}
		links = append(links, web.Link{Label: web.EveryStory, URL: web.HomePath()})
	case timeline.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", retryAfter)
		msg = web.UnavailableMessage
	default:
		s.log.Error("request failed", "error", err, "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery,
			"request_id", middleware.GetReqID(r.Context()))
		msg = web.InternalErrorMessage
	}
	s.render(w, r, status, web.ErrorPage(web.ErrorView{
		Site: s.site, Head: web.Head{Title: web.ErrorTitle(status)}, Status: status, Message: msg, Links: links,
	}))
}

// movedPath is the page of the matched route for the current slug, with
// the request's query kept.
func movedPath(r *http.Request, current string) string {
	target := web.SlugPath(chi.RouteContext(r.Context()).RoutePattern(), current)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	return target
}

// badParam is an EINVALID error about one value of one query parameter, so
// that the error page can offer the same view without it, and the values
// that are valid.
type badParam struct {
	err   *timeline.Error
	param string
	value string
}

func (e *badParam) Error() string { return e.err.Error() }
func (e *badParam) Unwrap() error { return e.err }

// invalidParam returns a badParam with a message for the reader.
func invalidParam(param, value, format string, args ...any) *badParam {
	return &badParam{err: timeline.Errorf(timeline.EINVALID, format, args...), param: param, value: value}
}

// links are the ways on from a URL with this bad value: the URL without it,
// then the valid choices, each as the URL with the value replaced.
func (e *badParam) links(u *url.URL) []web.Link {
	q := u.Query()
	without := url.Values{}
	for key, vals := range q {
		for _, v := range vals {
			if key != e.param || strings.TrimSpace(v) != e.value {
				without.Add(key, v)
			}
		}
	}
	// A cursor belongs to the view it came from; drop it with any change.
	without.Del("before")
	without.Del("after")
	withValue := func(v string) string {
		with := url.Values{}
		for key, vals := range without {
			with[key] = vals
		}
		if e.param == "kind" { // kinds are any-of: keep the good ones
			with[e.param] = append(slices.Clone(with[e.param]), v)
		} else {
			with.Set(e.param, v)
		}
		return web.PathWithQuery(u.Path, with)
	}
	label := web.WithoutParam(e.param, e.value)
	if len(without) == 0 && u.Path == web.HomePath() {
		label = web.WholeTimeline
	}
	links := []web.Link{{Label: label, URL: web.PathWithQuery(u.Path, without)}}
	switch e.param {
	case "actor":
		links = append(links, web.Link{Label: web.EveryActorFind, URL: web.ActorsPath()})
	case "kind":
		for _, k := range timeline.EventKinds {
			links = append(links, web.Link{Label: web.KindChip(k), URL: withValue(string(k))})
		}
	case "role":
		for _, role := range timeline.Roles {
			links = append(links, web.Link{Label: web.RoleChip(role), URL: withValue(string(role))})
		}
	case "q":
		if plain := timeline.PlainQuery(e.value); plain != "" && len(plain) <= timeline.MaxQueryLength {
			links = append(links, web.Link{Label: web.SearchPlainTerms(plain), URL: withValue(plain)})
		}
	case "order":
		links = append(links, web.Link{Label: web.OrderLabel(false), URL: withValue("asc")}, web.Link{Label: web.OrderLabel(true), URL: withValue("desc")})
	}
	return links
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.Error(w, r, timeline.Errorf(timeline.ENOTFOUND, "%s", web.NoPageMessage))
}

func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	plainError(w, http.StatusMethodNotAllowed, web.MethodNotAllowedMessage)
}

// errorAs is errors.As for the domain's *Error.
func errorAs(err error, target **timeline.Error) bool { return errors.As(err, target) }
