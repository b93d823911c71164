// Command firstpaint measures how soon a page's first event is on the
// screen, against a bare HTML page served from the same machine: the
// quickest that this browser on this machine shows anything. Each load is
// in a new headless Chromium with an empty profile (empty cache), one load
// per page and run, and prints a Markdown table. .ci/firstpaint/run starts
// the server and calls it.
//
//	go run ./.ci/firstpaint -page 200=http://127.0.0.1:18190/stories/synthetic-200 …
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// bare is the page every other is measured against: one line of text in
// an li.event, nothing else to fetch. alone wraps one event of a real page
// the same way: what that event's own markup costs the browser, with no
// stylesheet, form, picture or other event beside it.
const (
	bare = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bare</title></head>
<body><ol><li class="event">An event</li></ol></body></html>`
	alone = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>One event</title></head>
<body><ol>%s</ol></body></html>`
)

// probe runs before the page's own scripts. As the first li.event and its
// children are parsed it gives them an elementtiming attribute, so that
// the browser reports when their text is painted (Element Timing: the
// time the frame showing it was presented); it also notes the first
// animation frame in which the event is laid out in the viewport, and the
// largest contentful paint.
const probe = `(() => {
	const fp = window.__firstpaint = {lcp: 0, painted: 0, frame: 0};
	const mark = () => {
		const e = document.querySelector('li.event');
		if (!e) return;
		for (const x of [e, ...e.querySelectorAll('*')]) if (!x.hasAttribute('elementtiming')) x.setAttribute('elementtiming', 'first-event');
	};
	// Once a second event is parsed the first is whole, and the observer
	// stops: watching every node of a long page would slow its parsing.
	const watch = new MutationObserver(() => { mark(); if (document.querySelector('li.event + li.event')) watch.disconnect(); });
	watch.observe(document, {childList: true, subtree: true});
	new PerformanceObserver(l => {
		for (const e of l.getEntries()) {
			const t = e.renderTime || e.loadTime;
			if (e.identifier === 'first-event' && t > 0 && (!fp.painted || t < fp.painted)) fp.painted = t;
		}
	}).observe({type: 'element', buffered: true});
	const look = t => {
		const e = document.querySelector('li.event');
		if (e) {
			const r = e.getBoundingClientRect();
			if (r.height > 0 && r.top < innerHeight) { fp.frame = t; return; }
		}
		requestAnimationFrame(look);
	};
	requestAnimationFrame(look);
	new PerformanceObserver(l => { for (const e of l.getEntries()) fp.lcp = e.renderTime || e.startTime; })
		.observe({type: 'largest-contentful-paint', buffered: true});
})()`

const results = `(() => {
	const fp = window.__firstpaint || {};
	const nav = performance.getEntriesByType('navigation')[0] || {};
	const fcp = performance.getEntriesByName('first-contentful-paint')[0];
	return JSON.stringify({firstEvent: fp.painted, frame: fp.frame, lcp: fp.lcp || 0, fcp: fcp ? fcp.startTime : 0,
		ttfb: nav.responseStart || 0, html: nav.responseEnd || 0, events: document.querySelectorAll('li.event').length});
})()`

type measure struct {
	FirstEvent, Frame, LCP, FCP, TTFB, HTML float64
	Events                                  int
	Requests                                int
	Wire, Document                          int64
	Failed                                  []string
}

type page struct{ name, url string }

// servedPage is a page this command serves itself.
type servedPage struct{ name, html string }

type pages []page

func (p *pages) String() string { return fmt.Sprint(*p) }
func (p *pages) Set(v string) error {
	name, url, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want NAME=URL, got %q", v)
	}
	*p = append(*p, page{name, url})
	return nil
}

func main() {
	var targets pages
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium to run")
	width := flag.Int("width", 1280, "viewport width")
	height := flag.Int("height", 800, "viewport height")
	runs := flag.Int("runs", 1, "loads of each page, each in a new browser (the median is printed)")
	flag.Var(&targets, "page", "NAME=URL of a page to measure (repeat)")
	cut := flag.String("cut", "", "URL of a page to take apart: its first li.event is measured alone in the bare page's markup, and the page itself once as it is and once -without each part, all served by this command")
	var without, with pages
	flag.Var(&without, "without", "LABEL=SELECTOR: also measure the -cut page with the elements SELECTOR matches taken out (repeat)")
	flag.Var(&with, "with", "LABEL=CSS: also measure the -cut page with CSS added at the end of its head, as a style element (repeat)")
	flag.Parse()
	var local []servedPage
	if *cut != "" {
		var err error
		if local, err = takeApart(*cut, without, with); err != nil {
			fmt.Fprintln(os.Stderr, "firstpaint:", err)
			os.Exit(1)
		}
	}
	if err := run(*chromium, *width, *height, *runs, targets, local, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "firstpaint:", err)
		os.Exit(1)
	}
}

// takeApart fetches the page at url and makes the pages the harness
// serves from it, in the order they are measured: its first li.event alone, the page as it is,
// the page without each part, and the page with each stylesheet added. A
// <base> keeps the copies' links and assets on the page's own server.
func takeApart(url string, without, with pages) ([]servedPage, error) {
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	parse := func() (*goquery.Document, error) { return goquery.NewDocumentFromReader(bytes.NewReader(raw)) }
	doc, err := parse()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	first := doc.Find("li.event").First()
	if first.Length() == 0 {
		return nil, fmt.Errorf("%s has no li.event", url)
	}
	event, err := goquery.OuterHtml(first)
	if err != nil {
		return nil, err
	}
	local := []servedPage{{"its first event alone, no stylesheet", fmt.Sprintf(alone, event)}}
	// variant serves a copy of the page as change leaves it.
	variant := func(label string, change func(d *goquery.Document) error) error {
		d, err := parse()
		if err != nil {
			return err
		}
		if err := change(d); err != nil {
			return err
		}
		d.Find("head").PrependHtml(`<base href="` + html.EscapeString(url) + `">`)
		h, err := d.Html()
		if err != nil {
			return err
		}
		local = append(local, servedPage{label, h})
		return nil
	}
	if err := variant("the page as it is, served by the harness", func(*goquery.Document) error { return nil }); err != nil {
		return nil, err
	}
	for _, w := range without {
		err := variant("without "+w.name, func(d *goquery.Document) error {
			gone := d.Find(w.url)
			if gone.Length() == 0 {
				return fmt.Errorf("-without %s: %q matches nothing in %s", w.name, w.url, url)
			}
			gone.Remove()
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// The copies are served by this command, without the page's
	// Content-Security-Policy, which would refuse an inline style.
	for _, w := range with {
		err := variant("with "+w.name, func(d *goquery.Document) error {
			if strings.Contains(w.url, "</") {
				return fmt.Errorf("-with %s: the CSS may not hold \"</\"", w.name)
			}
			d.Find("head").AppendHtml("<style>" + w.url + "</style>")
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return local, nil
}

// run measures the bare page, the pages in local (served by this command),
// and each target.
func run(chromium string, width, height, runs int, targets pages, local []servedPage, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := bare
		switch r.URL.Path {
		case "/":
		case "/favicon.ico": // as the app has one, so that no request fails
			w.WriteHeader(http.StatusNoContent)
			return
		default:
			i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/local/"))
			if err != nil || i < 0 || i >= len(local) {
				http.NotFound(w, r)
				return
			}
			body = local[i].html
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	all := pages{{"bare HTML page", "http://" + ln.Addr().String() + "/"}}
	for i, p := range local {
		all = append(all, page{p.name, fmt.Sprintf("http://%s/local/%d", ln.Addr(), i)})
	}
	all = append(all, targets...)

	got := make([][]measure, len(all))
	for range runs {
		// The pages are interleaved, so that a busy moment of the machine
		// falls on all of them alike.
		for i, p := range all {
			m, err := load(chromium, width, height, p.url)
			if err != nil {
				return fmt.Errorf("%s: %w", p.url, err)
			}
			got[i] = append(got[i], m)
		}
	}
	fmt.Fprintf(out, "| page | events in the DOM | first event painted | × bare page | its first frame | FCP | LCP | first byte | HTML received | requests | bytes on the wire | of which the HTML | failed requests |\n")
	fmt.Fprintf(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	base := median(got[0], func(m measure) float64 { return m.FirstEvent })
	for i, p := range all {
		ms := got[i]
		first := median(ms, func(m measure) float64 { return m.FirstEvent })
		m := ms[len(ms)/2]
		failed := strings.Join(m.Failed, ", ")
		if failed == "" {
			failed = "none"
		}
		fmt.Fprintf(out, "| %s | %d | %.0f ms | %.2f | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d | %.1f KB | %.1f KB | %s |\n",
			p.name, m.Events, first, first/base, median(ms, func(m measure) float64 { return m.Frame }),
			median(ms, func(m measure) float64 { return m.FCP }), median(ms, func(m measure) float64 { return m.LCP }),
			median(ms, func(m measure) float64 { return m.TTFB }), median(ms, func(m measure) float64 { return m.HTML }),
			m.Requests, float64(m.Wire)/1000, float64(m.Document)/1000, failed)
	}
	return nil
}

func median(ms []measure, f func(measure) float64) float64 {
	v := make([]float64, len(ms))
	for i, m := range ms {
		v[i] = f(m)
	}
	sort.Float64s(v)
	return v[len(v)/2]
}

// load opens url in a new browser with an empty profile and waits until
// the page has loaded and the network has been quiet for half a second.
func load(chromium string, width, height int, url string) (measure, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	if err := chromedp.Run(ctx); err != nil {
		return measure{}, fmt.Errorf("start Chromium: %w", err)
	}

	var mu sync.Mutex
	var m measure
	pending := map[network.RequestID]string{}
	var document network.RequestID
	lastActivity := time.Now()
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.HasPrefix(ev.Request.URL, "data:") {
				return
			}
			if ev.Type == network.ResourceTypeDocument && document == "" {
				document = ev.RequestID
			}
			pending[ev.RequestID] = ev.Request.URL
			m.Requests++
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				m.Failed = append(m.Failed, fmt.Sprintf("%s (%d)", ev.Response.URL, ev.Response.Status))
			}
		case *network.EventLoadingFinished:
			if _, ok := pending[ev.RequestID]; ok {
				m.Wire += int64(ev.EncodedDataLength)
				if ev.RequestID == document {
					m.Document = int64(ev.EncodedDataLength)
				}
				delete(pending, ev.RequestID)
			}
		case *network.EventLoadingFailed:
			if u, ok := pending[ev.RequestID]; ok {
				m.Failed = append(m.Failed, u+" ("+ev.ErrorText+")")
				delete(pending, ev.RequestID)
			}
		default:
			return
		}
		lastActivity = time.Now()
	})
	var raw string
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetCacheDisabled(true),
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := cdppage.AddScriptToEvaluateOnNewDocument(probe).Do(ctx)
			return err
		}),
		chromedp.Navigate(url),
		chromedp.ActionFunc(func(ctx context.Context) error {
			for {
				mu.Lock()
				quiet := len(pending) == 0 && time.Since(lastActivity) > 500*time.Millisecond
				mu.Unlock()
				if quiet {
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
		}),
		chromedp.Evaluate(results, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		return measure{}, err
	}
	var r struct {
		FirstEvent, Frame, LCP, FCP, TTFB, HTML float64
		Events                                  int
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return measure{}, err
	}
	if r.FirstEvent == 0 {
		return measure{}, errors.New("no li.event was ever painted")
	}
	mu.Lock()
	defer mu.Unlock()
	m.FirstEvent, m.Frame, m.LCP, m.FCP, m.TTFB, m.HTML, m.Events = r.FirstEvent, r.Frame, r.LCP, r.FCP, r.TTFB, r.HTML, r.Events
	m.Failed = slices.Clone(m.Failed)
	return m, nil
}
