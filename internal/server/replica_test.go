package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
)

// TestReplicaNewFile: a read-only server whose file is replaced by one at
// the same data version with other data serves the new data, under
// another ETag, not the page it kept.
func TestReplicaNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "replica.db")
	write := func(path, title string) {
		db := sqlitetest.MustOpenPath(t, path)
		ds := dataset(t, exchange)
		ds.Title = title
		sqlitetest.MustImport(t, db, ds)
		db.Close()
	}
	write(path, "First file")
	db, err := sqlite.Open(t.Context(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	before := get(t, srv, "/").Header.Get("ETag")
	// The front page lists the file's one story by its title.
	if list := page(t, srv, "/", http.StatusOK).Find("main").Text(); !strings.Contains(list, "First file") {
		t.Fatalf("the front page does not list the first file's story:\n%s", list)
	}

	write(filepath.Join(dir, "next.db"), "Second file")
	if err := os.Rename(filepath.Join(dir, "next.db"), path); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(page(t, srv, "/", http.StatusOK).Find("main").Text(), "Second file") {
		if time.Now().After(deadline) {
			t.Fatal("the server still shows the first file's story")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if after := get(t, srv, "/").Header.Get("ETag"); after == before || after == "" {
		t.Errorf("ETag %q before and %q after the new file", before, after)
	}
}
