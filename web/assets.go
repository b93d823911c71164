// Package web renders Timeline's pages with templ and serves its static
// assets. It depends only on the domain package: handlers hand it view
// models, it hands back components.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one static file under its content-hashed name.
type asset struct {
	body        []byte
	gzip        []byte // body compressed once, at start
	contentType string
}

var (
	// hashedNames maps "app.css" to "app.1a2b3c4d5e.css".
	hashedNames = map[string]string{}
	// assets maps hashed names to files.
	assets = map[string]asset{}
	// AssetsVersion changes whenever any static file changes; pages mix it
	// into their ETags so that a new build is never served a stale page.
	AssetsVersion string
)

func init() {
	all := sha256.New()
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		all.Write(sum[:])
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashedNames[name] = hashed
		assets[hashed] = asset{body: body, gzip: gzipped(body), contentType: contentTypes[ext]}
		return nil
	})
	if err != nil {
		panic("web: reading embedded assets: " + err.Error()) // a broken build, not bad input
	}
	AssetsVersion = hex.EncodeToString(all.Sum(nil)[:6])
}

var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".ico": "image/x-icon",
}

// Asset returns the URL path of a static file under its hashed name. It
// panics for a name that is not embedded: templates name assets statically,
// so that is a programming error caught by any test that renders a page.
func Asset(name string) string {
	hashed, ok := hashedNames[name]
	if !ok {
		panic("web: no static asset " + name)
	}
	return StaticPath(hashed)
}

func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	return buf.Bytes()
}

// ServeAsset serves a static file by its hashed name, cacheable for a year:
// its name changes whenever its content does. It sends the file gzipped
// when acceptsGzip.
func ServeAsset(w http.ResponseWriter, r *http.Request, hashedName string, acceptsGzip bool) {
	a, ok := assets[hashedName]
	if !ok {
		http.Error(w, "No such file.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+strings.Split(hashedName, ".")[1]+`"`)
	w.Header().Set("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == w.Header().Get("ETag") {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if acceptsGzip {
		w.Header().Set("Content-Encoding", "gzip")
		body = a.gzip
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
