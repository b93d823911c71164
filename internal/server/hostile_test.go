package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
)

// TestHostileInput sends what a careless or hostile client might: every
// answer is a clear 4xx or an ordinary page, never a 500.
func TestHostileInput(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	tests := []struct {
		name, path string
		want       int
	}{
		{"RepeatedActorHundreds", "/timeline?" + strings.Repeat("actor=kirby&", 300), http.StatusRequestURITooLong},
		{"RepeatedActorSixty", "/timeline?" + strings.Repeat("actor=kirby&", 60), http.StatusOK}, // one actor, not sixty
		{"ManyDistinctActors", "/timeline?" + strings.Repeat("actor=a&", 21), http.StatusBadRequest},
		{"RepeatedOrderLastWins", "/timeline?order=asc&order=desc", http.StatusOK},
		{"HugeQuery", "/timeline?q=" + strings.Repeat("x", 5000), http.StatusRequestURITooLong},
		{"HugePath", "/events/" + strings.Repeat("x", 1000), http.StatusRequestURITooLong},
		{"InvalidUTF8Value", "/timeline?actor=%c3%28", http.StatusBadRequest},
		{"InvalidUTF8Path", "/events/%c3%28", http.StatusBadRequest},
		{"OddEncoding", "/timeline?actor=%", http.StatusOK}, // Go drops an unparsable query pair: no filter
		{"NullByte", "/timeline?actor=%00", http.StatusBadRequest},
		{"UnknownParameter", "/timeline?utm_source=chat", http.StatusOK},
		{"SlugWithDots", "/events/..%2f..%2fetc%2fpasswd", http.StatusNotFound},
		{"CursorGarbage", "/timeline?after=1e99.x", http.StatusBadRequest},
		{"CursorOverflow", "/timeline?after=99999999999999999999.1", http.StatusBadRequest},
		{"AroundGarbage", "/timeline?around=%3Cscript%3E", http.StatusBadRequest},
		{"StaticTraversal", "/static/..%2fassets.go", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, srv, tt.path)
			if res.StatusCode != tt.want {
				t.Errorf("GET %.60s… = %d, want %d", tt.path, res.StatusCode, tt.want)
			}
		})
	}
	t.Run("HugeAcceptEncodingIsNotParsed", func(t *testing.T) {
		res := get(t, srv, "/events/kirby-denies", "Accept-Encoding", "gzip, "+strings.Repeat("x;q=0.5, ", 6000))
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" {
			t.Errorf("GET with a 54 KB Accept-Encoding = %d, Content-Encoding %q, want 200 without coding",
				res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	})
	t.Run("HeadIsAnswered", func(t *testing.T) {
		res, err := http.Head(srv.URL + "/events/kirby-denies")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("ETag") == "" {
			t.Errorf("HEAD = %d, ETag %q", res.StatusCode, res.Header.Get("ETag"))
		}
	})
	t.Run("PostIsRefused", func(t *testing.T) {
		res, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader(strings.Repeat("x", 1<<20)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST / = %d", res.StatusCode)
		}
	})
}

// TestImportWhileServing imports again and again while readers load pages:
// no reader sees an error.
func TestImportWhileServing(t *testing.T) {
	srv, db := newServer(t, sqlitetest.ManyEvents(t, 300))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var requests, failures atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths := []string{"/timeline", "/timeline?actor=alice", "/events/e0150", "/timeline?around=e0200", "/claims"}
			for n := 0; ctx.Err() == nil; n++ {
				res, err := http.Get(srv.URL + paths[n%len(paths)])
				if err != nil {
					failures.Add(1)
					continue
				}
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode != http.StatusOK {
					failures.Add(1)
				}
			}
		}()
	}
	imports := 0
	for ctx.Err() == nil {
		ds := sqlitetest.ManyEvents(t, 300)
		for i := range ds.Events {
			ds.Events[i].Title = fmt.Sprintf("Revision %d of %s", imports, ds.Events[i].Slug)
		}
		if _, err := db.Import(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		imports++
	}
	wg.Wait()
	if failures.Load() > 0 || requests.Load() == 0 || imports < 2 {
		t.Fatalf("%d failures in %d requests during %d imports", failures.Load(), requests.Load(), imports)
	}
	t.Logf("%d requests during %d imports, none failed", requests.Load(), imports)
}

// TestCachedPageCompressed checks a page served from the page cache: gzip
// for a client that takes it (compressed once, not again by the
// middleware), plain bytes for one that does not, the same page either way.
func TestCachedPageCompressed(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path, encoding string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	_, plain := fetch("/events/kirby-denies", "") // renders and caches
	res, plainAgain := fetch("/events/kirby-denies", "")
	if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(plain, plainAgain) {
		t.Fatalf("the cached plain page differs or is encoded (%q)", res.Header.Get("Content-Encoding"))
	}
	res, gz := fetch("/events/kirby-denies", "gzip, deflate, br")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("not gzip (compressed twice?): %v", err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) {
		t.Error("the gzip page is not the plain page")
	}
	// A page's first render, asked for with gzip, is sent as the cached
	// copy is: compressed once.
	res, gz = fetch("/claims", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || len(res.Header.Values("Vary")) != 1 {
		t.Fatalf("first render: Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
	}
	if zr, err = gzip.NewReader(bytes.NewReader(gz)); err != nil {
		t.Fatalf("first render not gzip: %v", err)
	}
	unzipped, _ = io.ReadAll(zr)
	if _, plain := fetch("/claims", ""); !bytes.Equal(unzipped, plain) {
		t.Error("the first render's gzip is not the plain page")
	}
	// A reader who refuses gzip gets the plain page, rendered first
	// (/actors) or from the cache (/claims), and plain assets.
	css := page(t, srv, "/timeline", http.StatusOK).Find(`link[rel="stylesheet"]`).AttrOr("href", "")
	for _, path := range []string{"/actors", "/claims", css} {
		res, body := fetch(path, "gzip;q=0, *")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
			t.Errorf("%s refusing gzip: %d, Content-Encoding %q", path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	}
}
