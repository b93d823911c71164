package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestGet(t *testing.T) {
	const sheet = "Year,Headline\n2023,A headline\n"
	stalled := make(chan struct{})
	t.Cleanup(func() { close(stalled) })
	mux := http.NewServeMux()
	mux.HandleFunc("/sheet.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 02 Dec 2026 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte(sheet))
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("Year,"))
		w.(http.Flusher).Flush()
		select { // a body that never ends, within the test
		case <-r.Context().Done():
		case <-stalled:
		}
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat("x", 2<<10))) })
	mux.HandleFunc("/big-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(1<<20))
		w.Write([]byte("x"))
	})
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			w.Write([]byte(sheet))
			return
		}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	c := fetch.New(fetch.Options{Timeout: 100 * time.Millisecond, MaxBytes: 1 << 10, MaxRedirects: 3})
	ctx := context.Background()

	t.Run("Body", func(t *testing.T) {
		res, err := c.Get(ctx, srv.URL+"/sheet.csv", fetch.Validators{})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Body) != sheet || res.NotModified || res.Validators.ETag != `"v1"` || res.Validators.LastModified == "" {
			t.Errorf("got %+v", res)
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		res, err := c.Get(ctx, srv.URL+"/sheet.csv", fetch.Validators{ETag: `"v1"`})
		if err != nil {
			t.Fatal(err)
		}
		if !res.NotModified || res.Body != nil || res.Validators.ETag != `"v1"` {
			t.Errorf("got %+v, want not modified with the validators kept", res)
		}
	})
	t.Run("RedirectsWithinTheBound", func(t *testing.T) {
		res, err := c.Get(ctx, srv.URL+"/hop/3", fetch.Validators{})
		if err != nil || string(res.Body) != sheet {
			t.Fatalf("3 redirects: %v", err)
		}
	})

	failures := []struct {
		name, path string
		is         error
		says       string
	}{
		{"Status500", "/broken", nil, "500 Internal Server Error"},
		{"Status404", "/nowhere", nil, "404 Not Found"},
		{"TooManyRedirects", "/hop/4", fetch.ErrRedirects, "more than 3 times"},
		{"RedirectToFile", "/to-file", fetch.ErrScheme, "not an http or https address"},
		{"TooLarge", "/big", fetch.ErrTooLarge, "larger than"},
		{"TooLargeDeclared", "/big-declared", fetch.ErrTooLarge, "larger than"},
		{"Stalled", "/stall", context.DeadlineExceeded, "within 100ms"},
	}
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			_, err := c.Get(ctx, srv.URL+f.path, fetch.Validators{})
			if err == nil {
				t.Fatal("no error")
			}
			if f.is != nil && !errors.Is(err, f.is) {
				t.Errorf("err = %v, want %v", err, f.is)
			}
			if !strings.Contains(err.Error(), f.says) {
				t.Errorf("err = %q, want it to say %q", err, f.says)
			}
			if strings.Contains(err.Error(), srv.URL) {
				t.Errorf("err = %q names the address", err)
			}
		})
	}
	t.Run("StatusError", func(t *testing.T) {
		_, err := c.Get(ctx, srv.URL+"/broken", fetch.Validators{})
		var status *fetch.StatusError
		if !errors.As(err, &status) || status.Code != 500 {
			t.Errorf("err = %v, want a StatusError of 500", err)
		}
	})

	t.Run("OnlyHTTP", func(t *testing.T) {
		for _, u := range []string{"file:///etc/passwd", "ftp://example.com/sheet.csv", "gopher://x", "javascript:alert(1)", "http://"} {
			_, err := c.Get(ctx, u, fetch.Validators{})
			if !errors.Is(err, fetch.ErrScheme) || timeline.ErrorCode(err) != timeline.EINVALID {
				t.Errorf("Get(%q) = %v, want ErrScheme, invalid", u, err)
			}
		}
	})
}

func TestIsURL(t *testing.T) {
	for arg, want := range map[string]bool{
		"https://docs.google.com/x/pub?output=csv": true,
		"http://localhost:8080/s.csv":              true,
		"file:///etc/passwd":                       true,
		"file:story.json":                          true,
		"story.json":                               false,
		"./stories/a.json":                         false,
		"-":                                        false,
		`C:\stories\a.json`:                        false,
		"stories:2023.json":                        false,
	} {
		if got := fetch.IsURL(arg); got != want {
			t.Errorf("IsURL(%q) = %v, want %v", arg, got, want)
		}
	}
}
