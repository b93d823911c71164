package server_test

import (
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
)

// TestSitemap reads the sitemap as a crawler does, with files of at most
// four URLs so that the six events need two.
func TestSitemap(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, dataset(t, exchange))
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SitemapURLs: 4}))
	t.Cleanup(srv.Close)

	read := func(path string, into any) {
		t.Helper()
		res := get(t, srv, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("GET %s = %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if err := xml.NewDecoder(res.Body).Decode(into); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	type locs struct {
		XMLName  xml.Name
		Locs     []string `xml:"sitemap>loc"`
		URLs     []string `xml:"url>loc"`
		Lastmods []string `xml:"url>lastmod"`
	}
	var index locs
	read("/sitemap.xml", &index)
	if index.XMLName.Local != "sitemapindex" || index.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
		t.Errorf("root %v, want a sitemapindex", index.XMLName)
	}
	want := []string{baseURL + "/sitemaps/stories-0.xml", baseURL + "/sitemaps/events-0.xml", baseURL + "/sitemaps/events-1.xml"}
	if !slices.Equal(index.Locs, want) {
		t.Errorf("index names %v, want %v", index.Locs, want)
	}
	var listed []string
	for _, loc := range index.Locs {
		var file locs
		read(strings.TrimPrefix(loc, baseURL), &file)
		if file.XMLName.Local != "urlset" || len(file.URLs) == 0 || len(file.URLs) > 4 {
			t.Errorf("%s: %s of %d URLs, want a urlset of 1 to 4", loc, file.XMLName.Local, len(file.URLs))
		}
		listed = append(listed, file.URLs...)
		if len(file.Lastmods) != len(file.URLs) {
			t.Errorf("%s: %d lastmods for %d URLs", loc, len(file.Lastmods), len(file.URLs))
		}
		for _, m := range file.Lastmods {
			if _, err := time.Parse(time.RFC3339, m); err != nil {
				t.Errorf("%s: lastmod %q is not a W3C datetime: %v", loc, m, err)
			}
		}
	}
	wantURLs := []string{baseURL + "/stories/drones-over-the-kremlin"}
	for _, e := range exchange {
		wantURLs = append(wantURLs, baseURL+"/events/"+e.Slug)
	}
	slices.Sort(listed)
	slices.Sort(wantURLs)
	if !slices.Equal(listed, wantURLs) {
		t.Errorf("listed %v, want %v", listed, wantURLs)
	}

	for _, path := range []string{"/sitemaps/events-2.xml", "/sitemaps/events-01.xml", "/sitemaps/actors-0.xml", "/sitemaps/events--1.xml", "/sitemaps/events-0", "/sitemaps/events-9999999999.xml"} {
		if res := get(t, srv, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}

	t.Run("Robots", func(t *testing.T) {
		res := get(t, srv, "/robots.txt")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		lines := strings.Split(string(body), "\n")
		if !slices.Contains(lines, "Sitemap: "+baseURL+"/sitemap.xml") || !slices.Contains(lines, "User-agent: *") {
			t.Errorf("robots.txt does not name the sitemap:\n%s", body)
		}
		for _, l := range lines {
			if rule, ok := strings.CutPrefix(l, "Disallow:"); ok && strings.TrimSpace(rule) != "" {
				t.Errorf("robots.txt disallows %q", rule)
			}
		}
	})
}
