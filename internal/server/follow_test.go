package server_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timelinejs"
)

// TestFollowedSheetsReported: /readyz and the metrics tell how each
// followed sheet fares, a broken one with its error, and the server stays
// ready.
func TestFollowedSheetsReported(t *testing.T) {
	const sheet = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n" +
		"2023,5,3,,,,,,,Drones downed,,https://wire.example/a,Wire,,,,Kremlin,\n"
	var broken atomic.Bool
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() && r.URL.Path == "/bad.csv" {
			http.Error(w, "gone", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(sheet))
	}))
	t.Cleanup(host.Close)

	db := sqlitetest.MustOpen(t)
	f := follow.New(follow.Options{
		Sheets: []follow.Sheet{{Story: "good", URL: host.URL + "/good.csv", Interval: time.Hour}, {Story: "bad", URL: host.URL + "/bad.csv", Interval: time.Hour}},
		Fetch:  fetch.New(fetch.Options{}),
		Import: func(ctx context.Context, s follow.Sheet, body []byte) (follow.Changes, error) {
			im, err := db.BeginImport(ctx)
			if err != nil {
				return follow.Changes{}, err
			}
			defer im.Rollback()
			im.SetStory(s.Story)
			if err := timelinejs.ScanCSV(bytes.NewReader(body), im); err != nil {
				return follow.Changes{}, err
			}
			res, err := im.Commit()
			return follow.Changes{EventsChanged: res.EventsChanged}, err
		},
	})
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Sheets: f}))
	t.Cleanup(srv.Close)
	body := func(path string) string {
		res := get(t, srv, path)
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, res.StatusCode, b)
		}
		return string(b)
	}

	if got := body("/readyz"); !strings.Contains(got, "sheet good: not checked yet") {
		t.Errorf("/readyz before any check:\n%s", got)
	}
	f.CheckAll(context.Background())
	broken.Store(true)
	f.CheckAll(context.Background())

	ready := body("/readyz")
	for _, want := range []string{"ready\n", "sheet good: ok; last success 2", "sheet bad: FAILING", "\n  error: the server answered 500 Internal Server Error"} {
		if !strings.Contains(ready, want) {
			t.Errorf("/readyz does not say %q:\n%s", want, ready)
		}
	}
	if strings.Contains(ready, host.URL) {
		t.Errorf("/readyz gives a sheet's address:\n%s", ready)
	}
	metrics := body("/metrics")
	for _, want := range []string{
		`timeline_followed_sheet_checks_total{outcome="imported",story="good"} 1`,
		`timeline_followed_sheet_checks_total{outcome="unchanged",story="good"} 1`,
		`timeline_followed_sheet_checks_total{outcome="fetch_failed",story="bad"} 1`,
		`timeline_followed_sheet_failing{story="bad"} 1`,
		`timeline_followed_sheet_failing{story="good"} 0`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("the metrics do not say %s", want)
		}
	}
}
