package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/sqlite"
)

func TestPageCache(t *testing.T) {
	page := make([]byte, 10)
	entry := (&cachedPage{body: page, gzip: gzipped(page)}).size() // the page and its gzip copy
	c := newPageCache(10 * entry)
	c.put("a", "text/html", page)
	c.put("b", "text/html", page)
	if _, ok := c.get("a"); !ok {
		t.Fatal("a is not cached")
	}
	// Eleven pages for room for ten: b, least recently used, goes; a stays.
	for i := 0; i < 9; i++ {
		c.put(fmt.Sprint(i), "text/html", page)
	}
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used page survived")
	}
	if _, ok := c.get("a"); !ok {
		t.Error("a recently used page was dropped")
	}
	if c.bytes > 10*entry {
		t.Errorf("the cache holds %d bytes, bound %d", c.bytes, 10*entry)
	}
	c.put("huge", "text/html", make([]byte, 10*entry/8+1))
	if _, ok := c.get("huge"); ok {
		t.Error("a page over an eighth of the cache was kept")
	}
	off := newPageCache(-1)
	if off.put("a", "text/html", page) != nil {
		t.Error("a cache turned off kept a page")
	}
}

// cacheServer is a Server with a real, empty database behind its cache.
func cacheServer(t *testing.T) *Server {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "timeline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return &Server{store: db, log: slog.New(slog.NewTextHandler(io.Discard, nil)), cache: cacheState{pages: newPageCache(1 << 20)}}
}

func serve(h http.HandlerFunc, path string, header ...string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	h(rec, r)
	return rec
}

// TestCachedRendersOnce asks for one view from many goroutines at once:
// one renders, the others wait and get its result, with the content type
// the handler gave.
func TestCachedRendersOnce(t *testing.T) {
	s := cacheServer(t)
	var renders atomic.Int32
	release := make(chan struct{})
	h := s.cached(pathView, func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		<-release
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte("rendered"))
	})
	var wg sync.WaitGroup
	got := make([]*httptest.ResponseRecorder, 32)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = serve(h, "/feed")
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if renders.Load() != 1 {
		t.Errorf("%d renders, want 1", renders.Load())
	}
	for i, rec := range got {
		if rec.Body.String() != "rendered" || rec.Header().Get("Content-Type") != "application/atom+xml" || rec.Header().Get("ETag") == "" {
			t.Fatalf("request %d got %d %q, %q, ETag %q", i, rec.Code, rec.Body, rec.Header().Get("Content-Type"), rec.Header().Get("ETag"))
		}
	}
	// Kept: the next request renders nothing, and its validator gets 304.
	again := serve(h, "/feed?utm_source=x")
	if renders.Load() != 1 || again.Body.String() != "rendered" {
		t.Errorf("a kept view was rendered again (%d renders)", renders.Load())
	}
	if rec := serve(h, "/feed", "If-None-Match", again.Header().Get("ETag")); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match of the kept view: %d with %d bytes", rec.Code, rec.Body.Len())
	}
}

// TestCachedKeepsOnlySuccess: an error or a redirect is made for every
// request and carries no validator.
func TestCachedKeepsOnlySuccess(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMovedPermanently, http.StatusInternalServerError} {
		s := cacheServer(t)
		var renders atomic.Int32
		h := s.cached(pathView, func(w http.ResponseWriter, r *http.Request) {
			renders.Add(1)
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(status)
		})
		for range 3 {
			if rec := serve(h, "/x"); rec.Code != status || rec.Header().Get("ETag") != "" {
				t.Errorf("%d: got %d with ETag %q", status, rec.Code, rec.Header().Get("ETag"))
			}
		}
		if renders.Load() != 3 {
			t.Errorf("%d: %d renders for 3 requests, want 3", status, renders.Load())
		}
	}
}

// TestCachedReaderLeaves: when the reader whose request is making a view
// leaves, a reader waiting for the same view makes it itself.
func TestCachedReaderLeaves(t *testing.T) {
	s := cacheServer(t)
	started := make(chan struct{})
	var renders atomic.Int32
	h := s.cached(pathView, func(w http.ResponseWriter, r *http.Request) {
		if renders.Add(1) == 1 {
			close(started)
			<-r.Context().Done()
			w.WriteHeader(statusClientClosed)
			return
		}
		w.Write([]byte("made by the second reader"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan *httptest.ResponseRecorder)
	go func() {
		rec := httptest.NewRecorder()
		h(rec, httptest.NewRequestWithContext(ctx, "GET", "/x", nil))
		first <- rec
	}()
	<-started
	second := make(chan *httptest.ResponseRecorder)
	go func() { second <- serve(h, "/x") }()
	time.Sleep(20 * time.Millisecond) // the second reader waits on the first's render
	cancel()
	if rec := <-first; rec.Code != statusClientClosed || rec.Body.Len() != 0 {
		t.Errorf("the reader who left got %d with %d bytes", rec.Code, rec.Body.Len())
	}
	if rec := <-second; rec.Code != http.StatusOK || rec.Body.String() != "made by the second reader" {
		t.Errorf("the reader who stayed got %d %q", rec.Code, rec.Body)
	}
}

// TestCachedPanic: a panic while making a view is a 500, not a crash.
func TestCachedPanic(t *testing.T) {
	s := cacheServer(t)
	h := s.cached(pathView, func(w http.ResponseWriter, r *http.Request) { panic("broken template") })
	if rec := serve(h, "/x"); rec.Code != http.StatusInternalServerError {
		t.Errorf("a panic gave %d, want 500", rec.Code)
	}
}

func TestIfNoneMatchBounded(t *testing.T) {
	etag := `W/"1-abc"`
	tests := []struct {
		header string
		want   bool
	}{
		{`W/"1-abc"`, true},
		{`"1-abc"`, true},
		{`"x", W/"1-abc"`, true},
		{`*`, false},
		{``, false},
		{`W/"2-abc"`, false},
		{strings.Repeat(`"x", `, maxIfNoneMatch) + `W/"1-abc"`, false}, // past the bound: not read
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("If-None-Match", tt.header)
		if got := ifNoneMatch(r, etag); got != tt.want {
			t.Errorf("If-None-Match %.40q: %v, want %v", tt.header, got, tt.want)
		}
	}
}
