package server

import (
	"net/http"
	"net/url"
	"strings"
)

// The views of cached routes in their canonical form (see viewOf): what
// names one cache entry and one ETag.

// pathView is a page named by its path alone: a query string changes
// nothing on it.
func pathView(r *http.Request) (string, bool) { return r.URL.Path, true }

// listView is a list page named by its filter, written as its canonical
// URL, with its page position.
func listView(r *http.Request) (string, bool) {
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		return "", false
	}
	view := listURL(r.URL.Path, q.filter)
	if q.around != "" {
		view += "#around=" + q.around // not a URL: a key no listURL can write
	}
	return view, true
}

// finderView is the actor finder named by its trimmed words.
func finderView(r *http.Request) (string, bool) {
	q := strings.TrimSpace(single(r.URL.Query(), "q"))
	if q == "" {
		return r.URL.Path, true
	}
	return r.URL.Path + "?q=" + url.QueryEscape(q), true
}
