package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/story"
)

// benchHandler serves the database named by TIMELINE_BENCH_DB (read-only),
// or the bundled story.
func benchHandler(b *testing.B) http.Handler {
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
		db = MustOpen(b)
		ds, err := story.Dataset()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(ctx, ds); err != nil {
			b.Fatal(err)
		}
	}
	return server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// BenchmarkTimelinePage renders GET / end to end through the handler:
// store queries, templ rendering, no network.
func BenchmarkTimelinePage(b *testing.B) {
	h := benchHandler(b)
	for _, path := range []string{"/", "/?actor=kirby&actor=peskov", "/events/kremlin-statement-attempt-on-putin"} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
