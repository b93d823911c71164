// Package fetch reads a story's file from the web: a sheet published as
// CSV or XLSX, or a JSON file, at an http or https address. Every fetch is
// bounded: in time, in size and in redirects, and only http and https are
// followed, so that an address given by an editor cannot read local files
// or hold a server's import for ever.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// The bounds of a fetch, unless Options say otherwise.
const (
	// DefaultTimeout bounds a whole fetch, from connecting to the body's
	// last byte.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBytes bounds a body: the largest story file an import
	// reads whole (timelinejs.MaxFile).
	DefaultMaxBytes = 64 << 20
	// DefaultMaxRedirects bounds the redirects followed: published sheets
	// redirect once or twice, to a content host.
	DefaultMaxRedirects = 5
)

// Options bound a Client; a zero field takes its default.
type Options struct {
	Timeout      time.Duration
	MaxBytes     int64
	MaxRedirects int
	// Transport carries the requests; nil is http.DefaultTransport.
	Transport http.RoundTripper
	// UserAgent names the fetcher to the sheet's host.
	UserAgent string
}

// Client fetches story files within its bounds.
type Client struct {
	opts Options
	http *http.Client
}

// New returns a Client with opts' bounds.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "timeline (+https://github.com/timelinenews/timeline)"
	}
	c := &Client{opts: opts}
	c.http = &http.Client{Transport: opts.Transport, CheckRedirect: c.checkRedirect}
	return c
}

// Validators are what a server said identifies a body's version: sent
// back, they make a fetch conditional, answered 304 when nothing changed.
type Validators struct {
	ETag         string
	LastModified string
}

// Result is one fetch's outcome.
type Result struct {
	// NotModified is set when the server answered 304 to the validators
	// sent: Body is then nil.
	NotModified bool
	Body        []byte
	Validators  Validators
}

// Errors a fetch returns, each wrapping an EINVALID *timeline.Error whose
// message an editor can act on.
var (
	ErrScheme    = errors.New("fetch: not an http or https address")
	ErrTooLarge  = errors.New("fetch: the body is too large")
	ErrRedirects = errors.New("fetch: too many redirects")
)

// StatusError is a fetch answered with a status other than 2xx or 304.
type StatusError struct {
	Code   int
	Status string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("the server answered %s: want 200 OK (is the sheet still published to the web?)", e.Status)
}

// IsURL reports whether an argument names an address rather than a file:
// "scheme://…", or "file:…" (which Get refuses, rather than a file named so
// being read).
func IsURL(arg string) bool {
	u, err := url.Parse(arg)
	if err != nil || len(u.Scheme) < 2 { // "C:" is a drive, not a scheme
		return false
	}
	return strings.HasPrefix(arg, u.Scheme+"://") || strings.EqualFold(u.Scheme, "file")
}

// Get fetches rawURL, conditionally when v holds validators.
func (c *Client) Get(ctx context.Context, rawURL string, v Validators) (*Result, error) {
	if err := checkScheme(rawURL); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, invalid(ErrScheme, "%s is not an address: %v", quote(rawURL), err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, c.requestError(ctx, err)
	}
	defer res.Body.Close()
	got := Validators{ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	switch {
	case res.StatusCode == http.StatusNotModified && (v != Validators{}):
		return &Result{NotModified: true, Validators: mergeValidators(got, v)}, nil
	case res.StatusCode < 200 || res.StatusCode > 299:
		return nil, &StatusError{Code: res.StatusCode, Status: res.Status}
	}
	if res.ContentLength > c.opts.MaxBytes {
		return nil, c.tooLarge()
	}
	var body bytes.Buffer
	n, err := body.ReadFrom(io.LimitReader(res.Body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, c.requestError(ctx, err)
	}
	if n > c.opts.MaxBytes {
		return nil, c.tooLarge()
	}
	// The format is told from the body, as a file's is: published sheets'
	// content types say little (text/plain, application/octet-stream).
	return &Result{Body: body.Bytes(), Validators: got}, nil
}

// mergeValidators keeps the validators a 304 did not repeat.
func mergeValidators(got, sent Validators) Validators {
	if got.ETag == "" {
		got.ETag = sent.ETag
	}
	if got.LastModified == "" {
		got.LastModified = sent.LastModified
	}
	return got
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		return invalid(ErrRedirects, "redirected more than %d times: give the sheet's final address", c.opts.MaxRedirects)
	}
	return checkScheme(req.URL.String())
}

// requestError says why a request failed, with the deadline named as such
// and the request's address left out: the error is the cause, and the
// address, which the caller knows, may be a private one.
func (c *Client) requestError(ctx context.Context, err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var terr *timeline.Error
	if errors.As(err, &terr) {
		return err // a refused redirect
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("fetch: no complete answer within %s: %w", c.opts.Timeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("fetch: %w", err)
}

func (c *Client) tooLarge() error {
	return invalid(ErrTooLarge, "the file is larger than %d MiB", c.opts.MaxBytes>>20)
}

func checkScheme(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return invalid(ErrScheme, "%s is not an address: %v", quote(rawURL), err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(ErrScheme, "%s is not an http or https address: only those are fetched", quote(u.Redacted()))
	}
	return nil
}

// invalid is the sentinel, wrapping an EINVALID *timeline.Error whose
// message says what is wrong.
func invalid(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %w", sentinel, timeline.Errorf(timeline.EINVALID, format, args...))
}

func quote(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("%q", s)
}
