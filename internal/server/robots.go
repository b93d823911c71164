package server

import (
	"net/http"

	"github.com/timelinenews/timeline/web"
)

// handleRobots is GET /robots.txt: every page readers share may be
// crawled (embed pages say noindex themselves), and the sitemap is named.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nDisallow:\n\nSitemap: " + s.site.Absolute(web.SitemapIndexPath()) + "\n"))
}
