package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// htmlCacheControl lets browsers revalidate every time (cheap: a 304 by
// ETag) and a shared cache keep a page briefly and serve it stale while it
// revalidates.
const htmlCacheControl = "public, max-age=0, s-maxage=10, stale-while-revalidate=30"

// render writes a page. It renders into a buffer first, so that a failure
// half-way becomes a clean error page rather than a truncated one. A 200
// page with an ETag (see notModified) goes into the page cache.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page templ.Component) {
	var buf bytes.Buffer
	if err := page.Render(r.Context(), &buf); err != nil {
		if errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled) {
			w.WriteHeader(statusClientClosed) // the reader has left
			return
		}
		s.log.Error("render", "error", err, "path", r.URL.Path)
		plainError(w, http.StatusInternalServerError, "Internal error.")
		return
	}
	var cached *cachedPage
	if etag := w.Header().Get("ETag"); status == http.StatusOK && etag != "" {
		cached = s.pages.put(etag, buf.Bytes())
	}
	releaseClaim(r) // requests waiting for this page can take it now
	if cached != nil {
		writePage(w, r, cached) // with the gzip just made, not compressed again
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// begin starts a page: it reads the story (for its data version) and
// answers at once when it can, with 304 or from the page cache. It reports
// whether the handler should go on to build the page.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) (timeline.Story, bool) {
	st, err := s.store.FindStory(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return st, false
	}
	return st, !s.notModified(w, r, st)
}

// notModified sets the page's ETag and Cache-Control, and answers a
// matching If-None-Match with 304, or a page already rendered from the
// page cache; it reports whether it answered. The ETag changes with the
// data (any import that changes something), with the build (templates,
// handlers and assets alike), and with the URL.
func (s *Server) notModified(w http.ResponseWriter, r *http.Request, st timeline.Story) bool {
	sum := sha256.Sum256([]byte(buildVersion() + "\x00" + s.site.BaseURL + "\x00" + r.URL.RequestURI()))
	etag := `W/"` + strconv.FormatInt(st.DataVersion, 10) + "-" + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", htmlCacheControl)
	w.Header().Add("Vary", "Accept-Encoding")
	// Weak comparison (RFC 9110, 13.1.2): a tag matches with or without
	// W/, as a cache that strips it may send. "*" is not honoured: whether
	// the page exists is not known yet.
	for _, candidate := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if c := strings.TrimPrefix(strings.TrimSpace(candidate), "W/"); c != "" && c == strings.TrimPrefix(etag, "W/") {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	page, release := s.pages.getOrClaim(r.Context(), etag)
	if page != nil {
		writePage(w, r, page)
		return true
	}
	if c, ok := r.Context().Value(claimKey{}).(*claim); ok {
		c.release = release
	} else {
		release()
	}
	return false
}

// writePage answers with a page from the page cache, gzipped for a reader
// who takes gzip.
func writePage(w http.ResponseWriter, r *http.Request, page *cachedPage) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	body := page.body
	if acceptsGzip(r) {
		// Compressed once when cached; the compress middleware leaves a
		// response that already names its encoding alone.
		w.Header().Set("Content-Encoding", "gzip")
		body = page.gzip
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// claim is a request's claim to render a page others may be waiting for.
type claim struct{ release func() }

type claimKey struct{}

// releaseClaims makes sure a request's claim on a page's render is
// released when the request ends, whichever way the handler returned.
func releaseClaims(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &claim{}
		defer func() {
			if c.release != nil {
				c.release()
			}
		}()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimKey{}, c)))
	})
}

func releaseClaim(r *http.Request) {
	if c, ok := r.Context().Value(claimKey{}).(*claim); ok && c.release != nil {
		c.release()
		c.release = nil
	}
}

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
