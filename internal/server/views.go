package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/timelinenews/timeline/web"
)

// The views of cached routes in their canonical form (see viewOf): what
// names one cache entry and one ETag.

// pathView is a page named by its path alone: a query string changes
// nothing on it.
func pathView(r *http.Request) (string, bool) { return r.URL.Path, true }

// listView names a list page by its filter, written as its canonical URL
// by path, with its page position.
func listView(path web.ListPath) viewOf {
	return func(r *http.Request) (string, bool) {
		q, err := listQueryOf(r)
		if err != nil {
			return "", false
		}
		view := path(q.filter)
		if q.around != "" {
			view += "#around=" + q.around // not a URL: a key no list path can write
		}
		return view, true
	}
}

// frontView names the front page by its page position. A request with
// the timeline's parameters, an address from before stories, names no
// view: it is redirected (see handleFront).
func frontView(r *http.Request) (string, bool) {
	q := r.URL.Query()
	if oldTimelineQuery(q) {
		return "", false
	}
	older, err := frontCursor(q)
	if err != nil {
		return "", false
	}
	return web.FrontPath(older), true
}

// finderView is the actor finder named by its trimmed words.
func finderView(r *http.Request) (string, bool) {
	q := strings.TrimSpace(single(r.URL.Query(), "q"))
	if q == "" {
		return r.URL.Path, true
	}
	return r.URL.Path + "?q=" + url.QueryEscape(q), true
}

// oembedView names an oEmbed answer by what the consumer asked: the URL
// and the bounds, in a fixed order.
func oembedView(r *http.Request) (string, bool) {
	q := r.URL.Query()
	asked := url.Values{}
	for _, key := range []string{"url", "format", "maxwidth", "maxheight"} {
		if v := q.Get(key); v != "" {
			asked.Set(key, v)
		}
	}
	return r.URL.Path + "?" + asked.Encode(), true
}
