package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/story"
)

// benchStore opens the database named by TIMELINE_BENCH_DB (read-only),
// or one holding the bundled story.
func benchStore(b *testing.B) *sqlite.DB {
	b.Helper()
	ctx := context.Background()
	var db *sqlite.DB
	if path := os.Getenv("TIMELINE_BENCH_DB"); path != "" {
		var err error
		if db, err = sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
	} else {
		db = sqlitetest.MustOpen(b)
		ds, err := story.Dataset()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(ctx, ds); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// benchHandler serves benchStore's database with no page cache: every
// request renders.
func benchHandler(b *testing.B) http.Handler {
	b.Helper()
	return server.New(server.Config{Store: benchStore(b), BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PageCacheBytes: -1})
}

// benchRequests numbers every benchmark request, across runs and -count,
// so that no two ask for the same page.
var benchRequests atomic.Int64

// BenchmarkTimelinePage renders pages end to end through the handler:
// store queries and templ rendering, no network, and no page cache. Each
// request still carries a parameter of its own, as the benchmark always
// has, so that runs compare with those of older builds. TIMELINE_BENCH_PATHS (comma-separated) replaces the
// bundled story's paths, for a database given by TIMELINE_BENCH_DB.
func BenchmarkTimelinePage(b *testing.B) {
	h := benchHandler(b)
	paths := []string{"/timeline", "/timeline?actor=kirby&actor=peskov", "/events/kremlin-statement-attempt-on-putin"}
	if env := os.Getenv("TIMELINE_BENCH_PATHS"); env != "" {
		paths = strings.Split(env, ",")
	}
	for _, path := range paths {
		b.Run(path, func(b *testing.B) {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("GET", path+sep+"nocache="+strconv.FormatInt(benchRequests.Add(1), 10), nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}

// discardWriter is a ResponseWriter that keeps the headers and drops the
// body, as a socket would take it: what the server does per request,
// without a recorder's copy of every page.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkCachedPage serves pages already in the page cache, in
// parallel: what a popular page still costs per request (middleware, the
// view's key, its ETag, the cache's lookup), with no network. The paths
// are the bundled story's, or TIMELINE_BENCH_PATHS' in TIMELINE_BENCH_DB.
func BenchmarkCachedPage(b *testing.B) {
	h := server.New(server.Config{Store: benchStore(b), BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	paths := []string{"/", "/timeline", "/timeline?actor=kirby&actor=peskov", "/events/kremlin-statement-attempt-on-putin"}
	if env := os.Getenv("TIMELINE_BENCH_PATHS"); env != "" {
		paths = strings.Split(env, ",")
	}
	for _, path := range paths {
		b.Run(path, func(b *testing.B) {
			warm := &discardWriter{header: http.Header{}}
			h.ServeHTTP(warm, httptest.NewRequest("GET", path, nil))
			if warm.status != 0 && warm.status != http.StatusOK {
				b.Fatalf("%s: %d", path, warm.status)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := &discardWriter{header: http.Header{}}
					h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
					if w.status != 0 && w.status != http.StatusOK {
						b.Errorf("%s: %d", path, w.status)
						return
					}
				}
			})
		})
	}
}
