package server

import (
	"bytes"
	"encoding/xml"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// maxSitemapURLs is the sitemaps protocol's limit of URLs in one file.
const maxSitemapURLs = 50000

// sitemapNS is the sitemaps protocol's XML namespace.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// handleSitemapIndex is GET /sitemap.xml: a sitemap index naming one file
// per non-empty chunk of stories and of events, so that an archive of any
// size is listed in files of at most sitemapURLs URLs.
func (s *Server) handleSitemapIndex(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<sitemapindex xmlns="` + sitemapNS + `">` + "\n")
	for _, l := range timeline.Listings {
		chunks, err := s.store.FindListingChunks(r.Context(), l, s.sitemapURLs)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		for _, n := range chunks {
			writeLoc(&buf, "sitemap", s.site.Absolute(web.SitemapPath(l, n)))
		}
	}
	buf.WriteString("</sitemapindex>\n")
	writeXML(w, buf.Bytes())
}

// handleSitemap is GET /sitemaps/{file}: one chunk of stories or events.
// lastmod is left out: the store does not know when a page last changed.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	l, n, ok := web.SitemapFile(chi.URLParam(r, "file"))
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	slugs, err := s.store.FindListingSlugs(r.Context(), l, n, s.sitemapURLs)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(slugs) == 0 {
		s.handleNotFound(w, r) // the index names no empty file: a urlset holds at least one URL
		return
	}
	var buf bytes.Buffer
	buf.Grow(len(slugs) * 80)
	buf.WriteString(xml.Header + `<urlset xmlns="` + sitemapNS + `">` + "\n")
	for _, slug := range slugs {
		writeLoc(&buf, "url", s.site.Absolute(web.ListingPath(l, slug)))
	}
	buf.WriteString("</urlset>\n")
	writeXML(w, buf.Bytes())
}

// writeLoc writes one <sitemap> or <url> entry of a URL.
func writeLoc(buf *bytes.Buffer, element, loc string) {
	buf.WriteString("<" + element + "><loc>")
	xml.EscapeText(buf, []byte(loc)) // a bytes.Buffer does not fail
	buf.WriteString("</loc></" + element + ">\n")
}

func writeXML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(body)
}
