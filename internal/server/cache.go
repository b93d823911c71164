package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"golang.org/x/sync/singleflight"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// This file is the one home of HTTP caching: validators, 304s, the page
// cache and single renders. A route opts in where the routes are declared,
// with s.cached(viewOf, handler); the handler only writes its
// representation, of any content type.

// pageCacheControl lets browsers revalidate every time (cheap: a 304 by
// ETag) and a shared cache keep a representation briefly and serve it stale
// while it revalidates.
const pageCacheControl = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"

// maxIfNoneMatch bounds the validators read from If-None-Match: a browser
// or a shared cache sends one or a few.
const maxIfNoneMatch = 16

// viewOf names the view a request asks for in its canonical form, the
// same for every request that shows the same thing (parameters in another
// order, repeated, empty or unknown). It reports false for a request that
// names no view, such as one with a bad parameter: that is answered by the
// handler and never cached.
type viewOf func(r *http.Request) (string, bool)

// cacheState is what the cache wrapper shares between requests.
type cacheState struct {
	pages  *pageCache
	flight singleflight.Group
}

// cached serves h's representations through the cache. The validator names
// the data version, the build and the canonical view; a request holding it
// gets 304, a representation already made is served from memory, and
// concurrent requests for one not yet made wait for a single render. Only a
// 200 is kept: an error or a redirect is answered as made, every time.
//
// A render reads the database once (Store.BeginRead): the data version
// that names its ETag, its header and its events are of one state, which
// may be newer than the one the request's validator was checked against.
func (s *Server) cached(view viewOf, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, err := s.store.FindArchive(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		key, ok := view(r)
		if !ok {
			s.serveRead(w, r, h)
			return
		}
		etag := s.etag(stateOf(st), key)
		if ifNoneMatch(r, etag) {
			setValidators(w.Header(), etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if page, ok := s.cache.pages.get(etag); ok {
			writePage(w, r, page)
			return
		}
		made := s.cache.flight.DoChan(etag, func() (any, error) {
			return s.makeView(r, key, h), nil
		})
		var res singleflight.Result
		select {
		case res = <-made:
		case <-r.Context().Done():
			w.WriteHeader(statusClientClosed)
			return
		}
		switch v := res.Val.(type) {
		case *cachedPage:
			writePage(w, r, v)
		case *recorder:
			if v.status == statusClientClosed && r.Context().Err() == nil {
				// The reader whose request made it left: this one is still
				// here, and makes its own.
				s.serveRead(w, r, h)
				return
			}
			v.replay(w)
		}
	}
}

// makeView renders the view named key in one read of the database, and
// keeps a 200 under the ETag of the state it read.
func (s *Server) makeView(r *http.Request, key string, h http.HandlerFunc) any {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	r, end, err := s.beginRead(r)
	if err != nil {
		s.Error(rec, r, err)
		return rec
	}
	defer end()
	rec.etag = s.etag(stateOf(archiveOf(r)), key)
	s.make(rec, r, h)
	if rec.status == http.StatusOK {
		if page := s.cache.pages.put(rec.etag, rec.header.Get("Content-Type"), rec.body.Bytes()); page != nil {
			return page
		}
	}
	return rec
}

// serveRead answers with h, uncached, in one read of the database.
func (s *Server) serveRead(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	r, end, err := s.beginRead(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	defer end()
	h(w, r)
}

// beginRead begins the read a representation is made in, and notes in the
// request the archive's state as that read sees it (archiveOf).
func (s *Server) beginRead(r *http.Request) (*http.Request, func(), error) {
	ctx, end, err := s.store.BeginRead(r.Context())
	if err != nil {
		return r, end, err
	}
	st, err := s.store.FindArchive(ctx)
	if err != nil {
		end()
		return r, func() {}, err
	}
	return r.WithContext(withArchive(ctx, st)), end, nil
}

// make runs h into rec on the render's own goroutine, where the
// recoverer middleware cannot catch a panic.
func (s *Server) make(rec *recorder, r *http.Request, h http.HandlerFunc) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", middleware.GetReqID(r.Context()))
			*rec = recorder{header: http.Header{}}
			plainError(rec, http.StatusInternalServerError, "Internal error.")
		}
	}()
	h(rec, r)
}

// etag is the validator of a view at a state of the data. It changes with
// the data (any import that changes something, any new file a replica
// opens), with the build (templates, handlers and assets alike) and with
// the view. Replicas of one build agree on it while they have opened as
// many files; one that has opened more or fewer gives other ETags, which
// costs 304s across them.
func (s *Server) etag(data dataState, view string) string {
	sum := sha256.Sum256([]byte(buildVersion() + "\x00" + s.site.BaseURL + "\x00" + strconv.FormatInt(data.reopens, 10) + "\x00" + view))
	return `W/"` + strconv.FormatInt(data.version, 10) + "-" + hex.EncodeToString(sum[:8]) + `"`
}

// ifNoneMatch reports whether the request holds etag, by weak comparison
// (RFC 9110, 13.1.2): with or without W/, as a cache that strips it may
// send. "*" is not honoured: whether the view exists is not known yet.
func ifNoneMatch(r *http.Request, etag string) bool {
	header := r.Header.Get("If-None-Match")
	want := strings.TrimPrefix(etag, "W/")
	for i := 0; i < maxIfNoneMatch && header != ""; i++ {
		var candidate string
		candidate, header, _ = strings.Cut(header, ",")
		if c := strings.TrimPrefix(strings.TrimSpace(candidate), "W/"); c == want {
			return true
		}
	}
	return false
}

func setValidators(h http.Header, etag string) {
	h.Set("ETag", etag)
	h.Set("Cache-Control", pageCacheControl)
	h.Set("Vary", "Accept-Encoding")
}

// writePage answers with a kept representation, gzipped for a reader who
// takes gzip.
func writePage(w http.ResponseWriter, r *http.Request, page *cachedPage) {
	h := w.Header()
	setValidators(h, page.key)
	h.Set("Content-Type", page.contentType)
	body := page.body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = page.gzip
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// recorder holds a response as a handler made it, to keep or to replay.
type recorder struct {
	etag        string // of the state the representation was made from
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if !rec.wroteHeader {
		rec.status, rec.wroteHeader = status, true
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(b)
}

// replay writes the recorded response. A 200 that was too large to keep
// still carries its validators; anything else goes as it was made.
func (rec *recorder) replay(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	if rec.status == http.StatusOK && rec.etag != "" {
		setValidators(h, rec.etag)
	}
	if rec.status == statusClientClosed {
		w.WriteHeader(rec.status)
		return
	}
	h.Set("Content-Length", strconv.Itoa(rec.body.Len()))
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

type archiveKey struct{}

func withArchive(ctx context.Context, a timeline.Archive) context.Context {
	return context.WithValue(ctx, archiveKey{}, a)
}

// archiveOf is the archive as the read a representation is made in sees
// it: its data version names the representation.
func archiveOf(r *http.Request) timeline.Archive {
	a, _ := r.Context().Value(archiveKey{}).(timeline.Archive)
	return a
}

// render writes a page. It renders into a buffer first (the recorder's own,
// on a cached route), so that a failure half-way becomes a clean error page
// rather than a truncated one.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page templ.Component) {
	buf, ok := w.(*recorder)
	if !ok || buf.wroteHeader {
		buf = &recorder{header: http.Header{}}
	}
	buf.body.Grow(renderSizeHint)
	if err := page.Render(r.Context(), &buf.body); err != nil {
		buf.body.Reset()
		if errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled) {
			w.WriteHeader(statusClientClosed) // the reader has left
			return
		}
		s.log.Error("render", "error", err, "path", r.URL.Path)
		plainError(w, http.StatusInternalServerError, "Internal error.")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if buf == w {
		buf.WriteHeader(status) // the page is in place already
		return
	}
	w.WriteHeader(status)
	w.Write(buf.body.Bytes())
}

// renderSizeHint is room for a typical page, made once rather than grown
// by doubling.
const renderSizeHint = 32 << 10

var (
	buildOnce sync.Once
	buildID   string
)

// buildVersion names the running build: a hash of the executable, so that
// a new binary (a changed template or handler, not only a changed asset)
// never has a browser or a shared cache keep a page the old one rendered,
// while replicas running one binary agree. Without a readable executable
// it falls back to the start of the process: always safe, only less
// cacheable across restarts.
func buildVersion() string {
	buildOnce.Do(func() {
		buildID = web.AssetsVersion + "." + strconv.FormatInt(time.Now().UnixNano(), 36)
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return
		}
		buildID = hex.EncodeToString(h.Sum(nil)[:8])
	})
	return buildID
}

// acceptsGzip reports whether the client takes gzip (RFC 9110, 12.5.3):
// named with a q-value above zero, or not named and "*" accepted.
func acceptsGzip(r *http.Request) bool {
	gzipQ, anyQ := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(part, ";")
		q := 1.0
		if name, value, _ := strings.Cut(params, "="); strings.EqualFold(strings.TrimSpace(name), "q") {
			var err error
			if q, err = strconv.ParseFloat(strings.TrimSpace(value), 64); err != nil {
				q = 0 // a q-value we cannot read is no consent
			}
		}
		switch coding = strings.TrimSpace(coding); {
		case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
			gzipQ = q
		case coding == "*":
			anyQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}
