package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// importMidPage is the real store, with another process's import
// committing once while a page is being read: after the page read its
// story, before it reads the events.
type importMidPage struct {
	*sqlite.DB
	once   sync.Once
	commit func()
}

func (s *importMidPage) FindEvents(ctx context.Context, f timeline.Filter) (*timeline.EventPage, error) {
	s.once.Do(s.commit)
	return s.DB.FindEvents(ctx, f)
}

// TestOnePageOneState: an import committed while a page is made does not
// mix into it. Its header, its events and its ETag are all of the state
// before; the next state's page comes with the next ETag.
func TestOnePageOneState(t *testing.T) {
	path := t.TempDir() + "/timeline.db"
	db := sqlitetest.MustOpenPath(t, path)
	before := sqlitetest.StoryDataset(t, "s", []sqlitetest.Event{{Slug: "one", Kind: "claim", When: "2023-05-03", Zone: "UTC"}})
	before.Title = "Before the import"
	sqlitetest.MustImport(t, db, before)
	old, err := db.FindArchive(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	after := sqlitetest.StoryDataset(t, "s", []sqlitetest.Event{
		{Slug: "one", Kind: "claim", When: "2023-05-03", Zone: "UTC"},
		{Slug: "two", Kind: "denial", When: "2023-05-04", Zone: "UTC", Answers: []string{"one:denies"}},
	})
	after.Title = "After the import"
	store := &importMidPage{DB: db, commit: func() {
		other := sqlitetest.MustOpenPath(t, path) // another process, as the CLI's import is
		sqlitetest.MustImport(t, other, after)
	}}
	srv := httptest.NewServer(server.New(server.Config{Store: store, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()

	res := get(t, srv, "/stories/s")
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	html := string(body)
	if !strings.Contains(html, before.Title) || strings.Contains(html, after.Title) {
		t.Errorf("the header is not the state before the import")
	}
	if strings.Contains(html, "Title of two") {
		t.Errorf("the page shows an event the import added after the page began")
	}
	if etag, want := res.Header.Get("ETag"), `W/"`+strconv.FormatInt(old.DataVersion, 10)+"-"; !strings.HasPrefix(etag, want) {
		t.Errorf("ETag %s, want the data version before the import (%s…)", etag, want)
	}

	// A request that names no view (a bad parameter) is read in one state
	// too, and the next page is the new state's, whole.
	if res := get(t, srv, "/stories/s?actor=nobody"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown actor: status %d", res.StatusCode)
	}
	fresh := page(t, srv, "/stories/s?kind=denial", http.StatusOK)
	if got := fresh.Find("h1").First().Text(); !strings.Contains(got, after.Title) {
		t.Errorf("after the import: heading %q, want %q", got, after.Title)
	}
	if ids := eventIDs(fresh); len(ids) != 1 {
		t.Errorf("after the import: events %v, want the denial", ids)
	}
}
