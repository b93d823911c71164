package server

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"

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
			writeLoc(&buf, s.site.Absolute(web.SitemapPath(l, n)))
		}
	}
	buf.WriteString("</sitemapindex>\n")
	writeXML(w, buf.Bytes())
}

// handleSitemap is GET /sitemaps/{file}: one chunk of stories or events,
// each with when an import last changed it.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	l, n, ok := web.SitemapFile(chi.URLParam(r, "file"))
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	listed, err := s.store.FindListed(r.Context(), l, n, s.sitemapURLs)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(listed) == 0 {
		s.handleNotFound(w, r) // the index names no empty file: a urlset holds at least one URL
		return
	}
	var buf bytes.Buffer
	buf.Grow(len(listed) * 120)
	buf.WriteString(xml.Header + `<urlset xmlns="` + sitemapNS + `">` + "\n")
	for _, p := range listed {
		buf.WriteString("<url><loc>")
		xml.EscapeText(&buf, []byte(s.site.Absolute(web.ListingPath(l, p.Slug)))) // a bytes.Buffer does not fail
		buf.WriteString("</loc>")
		if !p.Changed.IsZero() {
			buf.WriteString("<lastmod>" + p.Changed.UTC().Format(time.RFC3339) + "</lastmod>")
		}
		buf.WriteString("</url>\n")
	}
	buf.WriteString("</urlset>\n")
	writeXML(w, buf.Bytes())
}

// writeLoc writes one <sitemap> entry of a URL.
func writeLoc(buf *bytes.Buffer, loc string) {
	buf.WriteString("<sitemap><loc>")
	xml.EscapeText(buf, []byte(loc)) // a bytes.Buffer does not fail
	buf.WriteString("</loc></sitemap>\n")
}

func writeXML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(body)
}
