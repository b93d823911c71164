package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
)

// maxQuery bounds the query string: no real view needs more.
const maxQuery = 2048

// maxAcceptEncoding bounds the Accept-Encoding header the server reads: a
// browser sends a few dozen bytes. A longer one is dropped, not parsed,
// and the page is sent without content coding, which every client takes.
const maxAcceptEncoding = 256

// contentSecurityPolicy forbids inline script and style; frameAncestors
// says who may frame the page.
func contentSecurityPolicy(frameAncestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors " + frameAncestors
}

// securityHeaders forbid inline script and style, framing, and sniffing.
// A route that may be framed says so with frameableByAnySite.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy("'none'"))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// frameableByAnySite lets any site frame the route's pages: embeds are
// made to be.
func frameableByAnySite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy("*"))
		h.Del("X-Frame-Options") // it has no value for "any site"; frame-ancestors rules
		next.ServeHTTP(w, r)
	})
}

// maxEmbedID bounds the ids a host's resize protocol puts in an embed's
// URL: Pym.js's childId is an element id, WordPress's secret ten letters.
const maxEmbedID = 64

// hostPageParams are what Pym.js adds to an embed's URL besides its
// childId: the host page's width, title and URL, which may be longer than
// any value of a view. The server drops them, so that they never count
// against a view's own parameters; childId and secret (bounded here) stay
// for the embed's script and a redirect to keep, and no view reads them.
var hostPageParams = []string{"initialWidth", "parentTitle", "parentUrl"}

// embedParams refuses an over-long or ill-formed resize id and drops the
// host page's parameters before the view is read.
func embedParams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for _, key := range []string{"childId", "secret"} {
			if v := q.Get(key); len(v) > maxEmbedID || strings.ContainsFunc(v, notIDRune) {
				plainError(w, http.StatusBadRequest, fmt.Sprintf("%s holds at most %d letters, digits, '-' and '_'.", key, maxEmbedID))
				return
			}
		}
		if slices.ContainsFunc(hostPageParams, q.Has) {
			for _, key := range hostPageParams {
				q.Del(key)
			}
			r = r.Clone(r.Context())
			r.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, r)
	})
}

func notIDRune(c rune) bool {
	return !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// limitRequest turns away what no page needs: bodies, over-long or
// ill-formed query strings and paths.
func limitRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
		}
		if len(r.Header.Get("Accept-Encoding")) > maxAcceptEncoding {
			r.Header.Del("Accept-Encoding")
		}
		switch {
		case len(r.URL.RawQuery) > maxQuery:
			plainError(w, http.StatusRequestURITooLong, fmt.Sprintf("The address is too long: a query string holds at most %d characters.", maxQuery))
			return
		case len(r.URL.Path) > 512:
			plainError(w, http.StatusRequestURITooLong, "The address is too long.")
			return
		case !utf8.ValidString(r.URL.Path):
			plainError(w, http.StatusBadRequest, "The address is not valid UTF-8.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func plainError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// accessLog logs one structured line per request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		level := slog.LevelInfo
		switch {
		case ww.Status() == http.StatusServiceUnavailable:
			level = slog.LevelWarn // said on purpose: the data cannot be read just now
		case ww.Status() >= 500:
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery),
			slog.Int("status", ww.Status()),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", middleware.GetReqID(r.Context())),
		)
	})
}

// recoverer turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", middleware.GetReqID(r.Context()))
				plainError(w, http.StatusInternalServerError, "Internal error.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
