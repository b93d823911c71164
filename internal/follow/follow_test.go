package follow_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/internal/timelinejs"
)

const header = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"

const (
	rowDowned = "2023,5,3,,,,,,,Drones downed,,https://wire.example/a,Wire,,,,Kremlin,\n"
	rowClaim  = "2023,5,3,,,,,,,Kremlin claims an attempt,,https://wire.example/b,Wire,,,,Kremlin,\n"
	rowDenial = "2023,5,3,,,,,,,Kyiv denies,,https://wire.example/c,Wire,,,,Ukraine,\n"
	rowBlame  = "2023,5,4,,,,,,,Peskov blames Washington,,https://wire.example/e,Wire,,,,Kremlin,\n"
	rowBroken = "2023,13,3,,,,,,,A thirteenth month,,https://wire.example/d,Wire,,,,Kremlin,\n"
)

// sheetHost is a published sheet that an editor edits, breaks and mends.
type sheetHost struct {
	mu          sync.Mutex
	body        string
	status      int  // 0 is 200
	etag        bool // answers with an ETag, and 304 to it
	stall       bool
	conditional int // requests that carried a validator
	stalled     chan struct{}
}

func (h *sheetHost) set(f func(h *sheetHost)) { h.mu.Lock(); f(h); h.mu.Unlock() }

func (h *sheetHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	body, status, etag, stall := h.body, h.status, h.etag, h.stall
	if r.Header.Get("If-None-Match") != "" {
		h.conditional++
	}
	h.mu.Unlock()
	if stall {
		select {
		case <-r.Context().Done():
		case <-h.stalled:
		}
		return
	}
	if status != 0 {
		http.Error(w, "the sheet's host is down", status)
		return
	}
	if etag {
		tag := `"` + strings.Repeat("x", len(body)%7) + string(rune('a'+len(body)%26)) + `"`
		w.Header().Set("ETag", tag)
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Write([]byte(body))
}

// importSheet imports a sheet's body as the server does: one transaction,
// the story named, TimelineJS's sheet template read.
func importSheet(db *sqlite.DB) follow.ImportFunc {
	return func(ctx context.Context, s follow.Sheet, body []byte) (follow.Changes, error) {
		im, err := db.BeginImport(ctx)
		if err != nil {
			return follow.Changes{}, err
		}
		defer im.Rollback()
		if err := im.SetStory(s.Story); err != nil {
			return follow.Changes{}, err
		}
		im.SetAllowance(timeline.Allowance{Unsourced: s.AllowUnsourced, Unattributed: s.AllowUnattributed})
		if err := timelinejs.ScanCSV(bytes.NewReader(body), im); err != nil {
			return follow.Changes{}, err
		}
		res, err := im.Commit()
		return follow.Changes{EventsChanged: res.EventsChanged, EventsSame: res.EventsSame, EventsWithdrawn: res.EventsWithdrawn, DataVersion: res.DataVersion}, err
	}
}

func TestFollow(t *testing.T) {
	ctx := context.Background()
	host := &sheetHost{body: header + rowDowned + rowClaim, etag: true, stalled: make(chan struct{})}
	srv := httptest.NewServer(host)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(host.stalled) })
	db := sqlitetest.MustOpen(t)

	clock := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	f := follow.New(follow.Options{
		Sheets: []follow.Sheet{{Story: "drones", URL: srv.URL + "/sheet.csv", Interval: 5 * time.Minute}},
		Fetch:  fetch.New(fetch.Options{Timeout: 50 * time.Millisecond, MaxBytes: 64 << 10}),
		Import: importSheet(db),
		Now:    func() time.Time { return clock },
	})
	// check checks the sheet at the next minute and returns its status.
	check := func(t *testing.T) follow.Status {
		t.Helper()
		clock = clock.Add(time.Minute)
		f.CheckAll(ctx)
		st := f.Statuses()[0]
		if !st.LastCheck.Equal(clock) {
			t.Fatalf("the last check was at %v, want %v", st.LastCheck, clock)
		}
		return st
	}
	events := func(t *testing.T) int {
		t.Helper()
		st, err := db.FindStory(ctx, "drones")
		if err != nil {
			t.Fatal(err)
		}
		return st.EventCount
	}
	dataVersion := func(t *testing.T) int64 {
		t.Helper()
		a, err := db.FindArchive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return a.DataVersion
	}
	wantOutcome := func(t *testing.T, st follow.Status, outcome follow.Outcome, n int) {
		t.Helper()
		if st.Checks[outcome] != n {
			t.Errorf("%d checks came to %s, want %d (checks %v)", st.Checks[outcome], outcome, n, st.Checks)
		}
	}

	st := check(t)
	wantOutcome(t, st, follow.Imported, 1)
	if st.Failing() || !st.LastChange.Equal(clock) || events(t) != 2 {
		t.Fatalf("first check: %+v, %d events", st, events(t))
	}
	version := dataVersion(t)

	t.Run("NotModified", func(t *testing.T) {
		st := check(t)
		wantOutcome(t, st, follow.Unchanged, 1)
		if host.conditional != 1 || dataVersion(t) != version || !st.LastSuccess.Equal(clock) {
			t.Errorf("%d conditional requests, data version %d → %d", host.conditional, version, dataVersion(t))
		}
	})
	t.Run("SameBodyWithoutValidators", func(t *testing.T) {
		host.set(func(h *sheetHost) { h.etag = false })
		st := check(t)
		wantOutcome(t, st, follow.Unchanged, 2)
		if dataVersion(t) != version {
			t.Errorf("an unchanged body was imported: data version %d → %d", version, dataVersion(t))
		}
	})
	t.Run("Changed", func(t *testing.T) {
		host.set(func(h *sheetHost) { h.body = header + rowDowned + rowDenial })
		st := check(t)
		wantOutcome(t, st, follow.Imported, 2)
		if events(t) != 2 || dataVersion(t) == version || !st.LastChange.Equal(clock) {
			t.Errorf("after the edit: %d events, data version %d", events(t), dataVersion(t))
		}
		if _, err := db.FindEvent(ctx, "kyiv-denies"); err != nil {
			t.Errorf("the new row's event: %v", err)
		}
		version = dataVersion(t)
	})

	// Each way a sheet breaks leaves the story as it was, and says so.
	breaks := []struct {
		name    string
		breakIt func(h *sheetHost)
		outcome follow.Outcome
		says    string
	}{
		{"InvalidRows", func(h *sheetHost) { h.body = header + rowDowned + rowBroken }, follow.Invalid, "row 3, column Month"},
		{"Status500", func(h *sheetHost) { h.status = 500 }, follow.FetchFailed, "500 Internal Server Error"},
		{"WrongContent", func(h *sheetHost) { h.body = "<!doctype html><p>Sign in to see this sheet</p>" }, follow.Invalid, "of TimelineJS's template are missing"},
		{"Stalled", func(h *sheetHost) { h.stall = true }, follow.FetchFailed, "no complete answer within 50ms"},
		{"TooBig", func(h *sheetHost) { h.body = header + strings.Repeat(rowDowned, 2000) }, follow.FetchFailed, "larger than"},
	}
	for _, b := range breaks {
		t.Run(b.name, func(t *testing.T) {
			before := f.Statuses()[0]
			host.set(b.breakIt)
			st := check(t)
			wantOutcome(t, st, b.outcome, before.Checks[b.outcome]+1)
			if !st.Failing() || !strings.Contains(st.LastError, b.says) || !st.LastFailure.Equal(clock) || !st.LastSuccess.Equal(before.LastSuccess) {
				t.Errorf("status %+v, want failing with %q", st, b.says)
			}
			if events(t) != 2 || dataVersion(t) != version {
				t.Errorf("the story changed: %d events, data version %d → %d", events(t), version, dataVersion(t))
			}
			if _, err := db.FindEvent(ctx, "kyiv-denies"); err != nil {
				t.Errorf("an event of the story: %v", err)
			}
			host.set(func(h *sheetHost) { h.body, h.status, h.stall = header+rowDowned+rowDenial, 0, false })
		})
	}
	t.Run("BrokenAndUnchangedStaysFailing", func(t *testing.T) {
		host.set(func(h *sheetHost) { h.body = header + rowBroken })
		check(t)
		st := check(t)
		wantOutcome(t, st, follow.Invalid, 4)
		if !st.Failing() || !strings.Contains(st.LastError, "column Month") {
			t.Errorf("an unchanged broken sheet: %+v", st)
		}
	})
	t.Run("Mended", func(t *testing.T) {
		host.set(func(h *sheetHost) { h.body = header + rowDowned + rowDenial + rowBlame })
		st := check(t)
		if st.Failing() || st.LastError != "" || !st.LastSuccess.Equal(clock) || events(t) != 3 {
			t.Errorf("after the mend: %+v, %d events", st, events(t))
		}
	})
	t.Run("Withdrawn", func(t *testing.T) {
		host.set(func(h *sheetHost) { h.body = header + rowDowned })
		check(t)
		if events(t) != 1 {
			t.Errorf("after two rows were deleted: %d events, want 1", events(t))
		}
		if _, err := db.FindEvent(ctx, "kyiv-denies"); err == nil {
			t.Error("a deleted row's event is still published")
		}
	})
}

// signalling is a log handler that tells of each warning.
type signalling struct{ warned chan<- struct{} }

func (s *signalling) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (s *signalling) Handle(context.Context, slog.Record) error {
	s.warned <- struct{}{}
	return nil
}
func (s *signalling) WithAttrs([]slog.Attr) slog.Handler { return s }
func (s *signalling) WithGroup(string) slog.Handler      { return s }

// TestRun: Run checks every sheet at once, then waits for the next due;
// it ends when its context does.
func TestRun(t *testing.T) {
	warned := make(chan struct{}, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	f := follow.New(follow.Options{
		Sheets: []follow.Sheet{{Story: "a", URL: srv.URL + "/a", Interval: time.Hour}, {Story: "b", URL: srv.URL + "/b", Interval: time.Hour}},
		Fetch:  fetch.New(fetch.Options{}),
		Import: func(context.Context, follow.Sheet, []byte) (follow.Changes, error) {
			return follow.Changes{}, errors.New("not reached")
		},
		Logger: slog.New(&signalling{warned: warned}),
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	<-warned // each failure is logged once it is recorded
	<-warned
	cancel()
	<-done
	for _, st := range f.Statuses() {
		if st.Checks[follow.FetchFailed] != 1 {
			t.Errorf("sheet %s: checks %v, want one failed fetch each, then a wait of an hour", st.Sheet.Story, st.Checks)
		}
	}
}

func TestReadConfig(t *testing.T) {
	good := `[{"story": "drones", "url": "https://docs.example/pub?output=csv", "interval": "5m", "allow_unsourced": true}]`
	sheets, err := follow.ReadConfig(strings.NewReader(good))
	if err != nil || len(sheets) != 1 || sheets[0].Interval != 5*time.Minute || !sheets[0].AllowUnsourced {
		t.Fatalf("ReadConfig = %+v, %v", sheets, err)
	}
	bad := `[{"story": "Drones", "url": "file:///etc/passwd", "interval": "5s"}, {"story": "x", "url": "https://a.example/", "interval": "soon"},
		{"story": "x", "url": "https://a.example/", "interval": "1h"}]`
	_, err = follow.ReadConfig(strings.NewReader(bad))
	for _, want := range []string{`sheet #1: story "Drones"`, "sheet #1: url must be", "sheet #1: interval 5s is shorter than the shortest, 1m0s", `sheet #2: interval "soon"`, `sheet #3: story "x" is followed twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
	if _, err := follow.ReadConfig(strings.NewReader(`[{"story": "x", "ur": "https://a.example/"}]`)); err == nil {
		t.Error("an unknown field was taken")
	}
	many := "[" + strings.TrimSuffix(strings.Repeat(`{"story": "x", "url": "https://a.example/", "interval": "1h"},`, follow.MaxSheets+1), ",") + "]"
	if _, err := follow.ReadConfig(strings.NewReader(many)); err == nil || !strings.Contains(err.Error(), "at most 100") {
		t.Errorf("more than MaxSheets: %v", err)
	}
}
