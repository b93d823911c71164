package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestErrorResponses checks what every error answer shares: the right
// status, a page with a way on, no ETag (it is not the page an ETag would
// name), not stored, and the security headers.
func TestErrorResponses(t *testing.T) {
	ds := dataset(t, exchange)
	// Former slugs that are also parts of the path: the redirect must
	// replace the slug, not the first match in the path.
	ds.Events[3].FormerSlugs = []string{"kremlin-blames-washington", "even", "threads"}
	srv, _ := newServer(t, ds)

	redirects := []struct{ path, want string }{
		{"/events/kremlin-blames-washington", "/events/peskov-blames-us"},
		{"/events/even", "/events/peskov-blames-us"},
		{"/threads/threads", "/threads/peskov-blames-us"},
		{"/claims/even?utm_source=chat", "/claims/peskov-blames-us?utm_source=chat"},
		{"/timeline?around=even&actor=peskov", "/timeline?actor=peskov&around=peskov-blames-us#peskov-blames-us"},
	}
	for _, tt := range redirects {
		t.Run("Moved"+tt.path, func(t *testing.T) {
			res := get(t, srv, tt.path)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tt.want {
				t.Errorf("%d → %q, want 301 → %q", res.StatusCode, res.Header.Get("Location"), tt.want)
			}
			if res.Header.Get("ETag") != "" {
				t.Errorf("a redirect carries ETag %q", res.Header.Get("ETag"))
			}
		})
	}

	errorPages := []struct {
		path   string
		status int
	}{
		{"/events/no-such-event", http.StatusNotFound},
		{"/threads/no-such-event", http.StatusNotFound},
		{"/claims/no-such-event", http.StatusNotFound},
		{"/actors/nobody", http.StatusNotFound},
		{"/nowhere", http.StatusNotFound},
		{"/timeline?around=no-such-event", http.StatusNotFound},
		{"/timeline?kind=rumour", http.StatusBadRequest},
		{"/timeline?actor=nobody", http.StatusBadRequest},
		{"/claims?actor=nobody", http.StatusBadRequest},
	}
	for _, tt := range errorPages {
		t.Run("Error"+tt.path, func(t *testing.T) {
			doc := page(t, srv, tt.path, tt.status)
			if doc.Find(`main a[href="/"]`).Length() == 0 {
				t.Error("no way back to the timeline")
			}
			if doc.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 || doc.Find(`link[rel="canonical"]`).Length() != 0 {
				t.Error("an error page is indexable or claims a canonical URL")
			}
			res := get(t, srv, tt.path)
			if etag := res.Header.Get("ETag"); etag != "" {
				t.Errorf("ETag %q on an error page", etag)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			checkSecurityHeaders(t, res)
			// Even asked with a wildcard, an error is not "not modified".
			if res := get(t, srv, tt.path, "If-None-Match", "*"); res.StatusCode != tt.status {
				t.Errorf("If-None-Match: * gave %d", res.StatusCode)
			}
		})
	}

	t.Run("EmptyDatabase", func(t *testing.T) {
		srv, _ := newServer(t, nil)
		doc := page(t, srv, "/timeline", http.StatusOK)
		if doc.Find("h1").Text() != "Every story" { // the archive-wide timeline, which / was before stories
			t.Errorf("h1 = %q, want the archive's title", doc.Find("h1").Text())
		}
		if got := strings.TrimSpace(doc.Find(`[data-testid="empty"]`).Text()); got != "There are no events here yet." {
			t.Errorf("empty state = %q", got)
		}
		doc = page(t, srv, "/timeline?after=1683072000.42", http.StatusOK)
		if doc.Find(`[data-testid="empty"] a[href="/timeline"]`).Length() != 1 {
			t.Error("an empty later page does not lead to the first")
		}
		page(t, srv, "/actors", http.StatusOK)
	})
}

// checkSecurityHeaders asserts the headers every response carries.
func checkSecurityHeaders(tb testing.TB, res *http.Response) {
	tb.Helper()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	}
	for h, v := range want {
		if got := res.Header.Get(h); got != v {
			tb.Errorf("%s %s: %s = %q, want %q", res.Request.Method, res.Request.URL.Path, h, got, v)
		}
	}
}

// brokenStore fails the way a store can: an error, or a panic.
type brokenStore struct {
	server.Store
	panics bool
}

func (s brokenStore) FindEvent(ctx context.Context, slug string) (*timeline.Event, error) {
	if s.panics {
		panic("store exploded")
	}
	return nil, errors.New("disk I/O error at /secret/path.db")
}

// TestInternalErrors answers a store failure with a 500 page that says
// nothing of the cause, and logs the cause; a reader's mistakes (400, 404)
// are not logged as errors.
func TestInternalErrors(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	if _, err := db.Import(t.Context(), dataset(t, exchange)); err != nil {
		t.Fatal(err)
	}
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panics=%v", panics), func(t *testing.T) {
			var log bytes.Buffer
			h := server.New(server.Config{Store: brokenStore{Store: db, panics: panics}, BaseURL: baseURL,
				Logger: slog.New(slog.NewJSONHandler(&log, nil))})
			srv := httptest.NewServer(h)
			defer srv.Close()

			get(t, srv, "/timeline?kind=rumour")
			get(t, srv, "/nowhere")
			if strings.Contains(log.String(), `"level":"ERROR"`) {
				t.Errorf("a reader's mistake was logged as an error:\n%s", log.String())
			}
			res := get(t, srv, "/events/kirby-denies")
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "secret") || strings.Contains(string(body), "exploded") {
				t.Errorf("%d: %.300s", res.StatusCode, body)
			}
			checkSecurityHeaders(t, res)
			want := "disk I/O error at /secret/path.db"
			if panics {
				want = "store exploded"
			}
			if !strings.Contains(log.String(), want) || !strings.Contains(log.String(), `"request_id"`) {
				t.Errorf("the log lacks the cause or the request id:\n%s", log.String())
			}
			// The server goes on serving.
			if res := get(t, srv, "/actors"); res.StatusCode != http.StatusOK {
				t.Errorf("after the failure: %d", res.StatusCode)
			}
		})
	}
}

// TestETagAcrossReplicas: two servers of one build over the same data give
// a page the same ETag, so a shared cache in front of several replicas
// revalidates with any of them.
func TestETagAcrossReplicas(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	if _, err := db.Import(t.Context(), dataset(t, exchange)); err != nil {
		t.Fatal(err)
	}
	var etags []string
	for range 2 {
		srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
		etags = append(etags, get(t, srv, "/events/kirby-denies").Header.Get("ETag"))
		srv.Close()
	}
	if etags[0] == "" || etags[0] != etags[1] {
		t.Errorf("ETags %q", etags)
	}
}

// leavingStore blocks FindEvents until the request is cancelled, as a slow
// query does when the reader closes the tab.
type leavingStore struct {
	server.Store
	called chan struct{}
}

func (s leavingStore) FindEvents(ctx context.Context, f timeline.Filter) (*timeline.EventPage, error) {
	close(s.called)
	<-ctx.Done()
	return nil, fmt.Errorf("find events: %w", ctx.Err())
}

// TestReaderLeaves: a request whose reader leaves mid-query is recorded as
// 499 and is not logged as a server error.
func TestReaderLeaves(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	if _, err := db.Import(t.Context(), dataset(t, exchange)); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	store := leavingStore{Store: db, called: make(chan struct{})}
	h := server.New(server.Config{Store: store, BaseURL: baseURL, Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-store.called; cancel() }()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, "GET", "/timeline?kind=denial", nil))
	if rec.Code != 499 || rec.Body.Len() != 0 {
		t.Errorf("%d with %d bytes, want 499 and nothing", rec.Code, rec.Body.Len())
	}
	if strings.Contains(log.String(), `"level":"ERROR"`) {
		t.Errorf("a reader leaving was logged as an error:\n%s", log.String())
	}
}

// replacingStore is a replica's store while its file is being replaced:
// reads and readiness fail with EUNAVAILABLE.
type replacingStore struct{ server.Store }

func (replacingStore) FindEvent(ctx context.Context, slug string) (*timeline.Event, error) {
	return nil, timeline.Errorf(timeline.EUNAVAILABLE, "The database is being replaced.")
}

func (replacingStore) Ready(ctx context.Context) error {
	return timeline.Errorf(timeline.EUNAVAILABLE, "database /secret/replica.db was changed in place")
}

// TestUnavailable: a store that cannot read its file now gives 503 with
// Retry-After, not stored and not logged as an error, and /readyz says not
// ready.
func TestUnavailable(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	if _, err := db.Import(t.Context(), dataset(t, exchange)); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	srv := httptest.NewServer(server.New(server.Config{Store: replacingStore{db}, BaseURL: baseURL,
		Logger: slog.New(slog.NewJSONHandler(&log, nil))}))
	defer srv.Close()
	res := get(t, srv, "/events/kirby-denies")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("%d, Retry-After %q, Cache-Control %q; want 503, a Retry-After, no-store",
			res.StatusCode, res.Header.Get("Retry-After"), res.Header.Get("Cache-Control"))
	}
	if !strings.Contains(string(body), "try again") {
		t.Errorf("the page does not ask to try again: %.300s", body)
	}
	checkSecurityHeaders(t, res)
	if res := get(t, srv, "/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d, want 503", res.StatusCode)
	}
	if strings.Contains(log.String(), `"level":"ERROR"`) {
		t.Errorf("a 503 was logged as an error:\n%s", log.String())
	}
}
