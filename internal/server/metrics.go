package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/timeline"
)

// metrics are the server's Prometheus metrics, on a registry of its own so
// that several servers (as in tests) do not collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	queries  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "timeline_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "timeline_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "timeline_db_query_duration_seconds", Help: "Time spent in store calls, by operation.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .02, .05, .1, .25},
		}, []string{"op"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.queries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// instrument counts requests and times them by route pattern (not by
// path, which would make a series per event).
func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, methodLabel(r.Method), statusLabel(status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// methodLabel is a request's method as a metric label: the methods HTTP
// defines, and "other" for whatever else a client sends, so that no client
// can add series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return method
	}
	return "other"
}

// statusLabel is a status code as a metric label; a handler writes only
// real codes, but the label stays bounded whatever one writes.
func statusLabel(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status)
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// timedStore times every store call.
type timedStore struct {
	Store
	m *metrics
}

func (s timedStore) observe(op string, start time.Time) {
	s.m.queries.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func (s timedStore) FindEvents(ctx context.Context, f timeline.Filter) (*timeline.EventPage, error) {
	defer s.observe("find_events", time.Now())
	return s.Store.FindEvents(ctx, f)
}

func (s timedStore) FindOverview(ctx context.Context, f timeline.Filter) (*timeline.Overview, error) {
	defer s.observe("find_overview", time.Now())
	return s.Store.FindOverview(ctx, f)
}

func (s timedStore) FindAround(ctx context.Context, f timeline.Filter, c timeline.Cursor) (*timeline.EventPage, error) {
	defer s.observe("find_around", time.Now())
	return s.Store.FindAround(ctx, f, c)
}

func (s timedStore) FindEvent(ctx context.Context, slug string) (*timeline.Event, error) {
	defer s.observe("find_event", time.Now())
	return s.Store.FindEvent(ctx, slug)
}

func (s timedStore) FindNeighbours(ctx context.Context, e *timeline.Event) (*timeline.EventRef, *timeline.EventRef, error) {
	defer s.observe("find_neighbours", time.Now())
	return s.Store.FindNeighbours(ctx, e)
}

func (s timedStore) FindThread(ctx context.Context, slug string) ([]timeline.Event, error) {
	defer s.observe("find_thread", time.Now())
	return s.Store.FindThread(ctx, slug)
}

func (s timedStore) FindChanges(ctx context.Context, f timeline.Filter, older *timeline.Cursor, limit int) (*timeline.EventPage, error) {
	defer s.observe("find_changes", time.Now())
	return s.Store.FindChanges(ctx, f, older, limit)
}

func (s timedStore) FindArchive(ctx context.Context) (timeline.Archive, error) {
	defer s.observe("find_archive", time.Now())
	return s.Store.FindArchive(ctx)
}

func (s timedStore) FindStory(ctx context.Context, slug string) (*timeline.Story, error) {
	defer s.observe("find_story", time.Now())
	return s.Store.FindStory(ctx, slug)
}

func (s timedStore) FindStories(ctx context.Context, older *timeline.Cursor, limit, topActors int) (*timeline.StoryPage, error) {
	defer s.observe("find_stories", time.Now())
	return s.Store.FindStories(ctx, older, limit, topActors)
}

func (s timedStore) FindStoryTopActors(ctx context.Context, story string, perKind int) ([]timeline.Actor, error) {
	defer s.observe("find_story_top_actors", time.Now())
	return s.Store.FindStoryTopActors(ctx, story, perKind)
}

func (s timedStore) FindTopActors(ctx context.Context, perKind int) ([]timeline.Actor, error) {
	defer s.observe("find_top_actors", time.Now())
	return s.Store.FindTopActors(ctx, perKind)
}

func (s timedStore) SearchActors(ctx context.Context, q string, limit int) ([]timeline.Actor, error) {
	defer s.observe("search_actors", time.Now())
	return s.Store.SearchActors(ctx, q, limit)
}

func (s timedStore) FindActor(ctx context.Context, slug string) (*timeline.Actor, error) {
	defer s.observe("find_actor", time.Now())
	return s.Store.FindActor(ctx, slug)
}

func (s timedStore) FindListingChunks(ctx context.Context, l timeline.Listing, size int) ([]int, error) {
	defer s.observe("find_listing_chunks", time.Now())
	return s.Store.FindListingChunks(ctx, l, size)
}

func (s timedStore) FindListed(ctx context.Context, l timeline.Listing, n, size int) ([]timeline.Listed, error) {
	defer s.observe("find_listed", time.Now())
	return s.Store.FindListed(ctx, l, n, size)
}

func (s timedStore) Ready(ctx context.Context) error {
	defer s.observe("ready", time.Now())
	return s.Store.Ready(ctx)
}

// sheetCollector reports the followed sheets, read from the follower at
// each scrape: its counts are the one record of them. The story labels
// are bounded by follow.MaxSheets.
type sheetCollector struct{ sheets SheetReporter }

var (
	sheetChecksDesc = prometheus.NewDesc("timeline_followed_sheet_checks_total",
		"Checks of followed sheets, by story and outcome (imported, unchanged, fetch_failed, invalid, import_failed).", []string{"story", "outcome"}, nil)
	sheetFailingDesc = prometheus.NewDesc("timeline_followed_sheet_failing",
		"1 while a followed sheet's last check failed (its story is as the last good sheet left it), else 0.", []string{"story"}, nil)
	sheetSuccessDesc = prometheus.NewDesc("timeline_followed_sheet_last_success_timestamp_seconds",
		"When a check last found the followed sheet good, in Unix seconds; 0 for never.", []string{"story"}, nil)
	sheetFailureDesc = prometheus.NewDesc("timeline_followed_sheet_last_failure_timestamp_seconds",
		"When a check of the followed sheet last failed, in Unix seconds; 0 for never.", []string{"story"}, nil)
)

func (c sheetCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sheetChecksDesc
	ch <- sheetFailingDesc
	ch <- sheetSuccessDesc
	ch <- sheetFailureDesc
}

func (c sheetCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.sheets.Statuses() {
		story := st.Sheet.Story
		for _, o := range follow.Outcomes {
			ch <- prometheus.MustNewConstMetric(sheetChecksDesc, prometheus.CounterValue, float64(st.Checks[o]), story, string(o))
		}
		failing := 0.0
		if st.Failing() {
			failing = 1
		}
		ch <- prometheus.MustNewConstMetric(sheetFailingDesc, prometheus.GaugeValue, failing, story)
		ch <- prometheus.MustNewConstMetric(sheetSuccessDesc, prometheus.GaugeValue, unixSeconds(st.LastSuccess), story)
		ch <- prometheus.MustNewConstMetric(sheetFailureDesc, prometheus.GaugeValue, unixSeconds(st.LastFailure), story)
	}
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.Unix())
}
