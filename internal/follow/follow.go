// Package follow keeps stories in step with the sheets their editors keep
// them in: a long-running server fetches each followed sheet on its
// interval, and when the sheet changed it imports it into its story
// through the import every file goes through (one transaction, every
// check). A fetch that fails or a sheet that breaks leaves the story as it
// was; the failure is logged and reported (Statuses), for /readyz and the
// metrics.
package follow

import (
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/timeline"
)

// ImportFunc imports a sheet's body into its story, in one transaction:
// all of it or, on any error, nothing. A *dataset.InvalidError or an
// EINVALID *timeline.Error is the sheet's fault (Invalid); any other error
// the store's (ImportFailed).
type ImportFunc func(ctx context.Context, s Sheet, body []byte) (Changes, error)

// Changes are what an import of a sheet changed in its story.
type Changes struct {
	EventsChanged, EventsSame, EventsWithdrawn int
	DataVersion                                int64
}

// Outcome is what one check of a sheet came to.
type Outcome string

const (
	Imported     Outcome = "imported"      // the sheet changed and was imported
	Unchanged    Outcome = "unchanged"     // not modified (304) or the same body
	FetchFailed  Outcome = "fetch_failed"  // no body: unreachable, a status other than 2xx, too slow, too large
	Invalid      Outcome = "invalid"       // the body is no valid story file: the story is as it was
	ImportFailed Outcome = "import_failed" // the store failed: tried again in full next time
)

// Outcomes lists every outcome, in the order the metrics give them.
var Outcomes = []Outcome{Imported, Unchanged, FetchFailed, Invalid, ImportFailed}

// Status is what is known of one followed sheet.
type Status struct {
	Sheet Sheet
	// Checks counts the checks by outcome.
	Checks map[Outcome]int
	// LastCheck is when it was last checked; LastSuccess when a check last
	// found it good (imported or unchanged), LastFailure when one last
	// did not, and LastChange when an import last changed the story.
	LastCheck, LastSuccess, LastFailure, LastChange time.Time
	// LastError says what is wrong while the sheet is failing: "" once a
	// check finds it good again.
	LastError string
}

// Failing reports whether the last check of the sheet failed.
func (s Status) Failing() bool { return s.LastError != "" }

// Options make a Follower.
type Options struct {
	Sheets []Sheet
	Fetch  *fetch.Client
	Import ImportFunc
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Jitter is added to each interval, so that sheets set to one interval
	// do not all come due at once; nil is a random share of up to a tenth.
	Jitter func(interval time.Duration) time.Duration
}

// Follower follows sheets: Run on a schedule, CheckAll at once.
type Follower struct {
	opts     Options
	checking sync.Mutex // one check at a time, by Run or CheckAll
	mu       sync.Mutex // guards the sheets' status
	sheets   []*sheetState
}

type sheetState struct {
	status     Status
	validators fetch.Validators
	// hash is the body last read, good or broken (broken is set then), so
	// that an unchanged body is not imported again, nor logged again.
	hash   [sha256.Size]byte
	hashed bool
	broken bool
	next   time.Time // when Run checks it next, guarded by mu
}

// New returns a Follower of opts.Sheets.
func New(opts Options) *Follower {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Jitter == nil {
		opts.Jitter = func(d time.Duration) time.Duration { return rand.N(d/10 + 1) }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Follower{opts: opts}
	for _, s := range opts.Sheets {
		f.sheets = append(f.sheets, &sheetState{status: Status{Sheet: s, Checks: map[Outcome]int{}}})
	}
	return f
}

// Statuses reports on every sheet, in the configuration's order.
func (f *Follower) Statuses() []Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Status, len(f.sheets))
	for i, st := range f.sheets {
		out[i] = st.status
		out[i].Checks = make(map[Outcome]int, len(st.status.Checks))
		for k, v := range st.status.Checks {
			out[i].Checks[k] = v
		}
	}
	return out
}

// CheckAll checks every sheet once, now, in order.
func (f *Follower) CheckAll(ctx context.Context) {
	for _, st := range f.sheets {
		if ctx.Err() != nil {
			return
		}
		f.check(ctx, st)
	}
}

// Run checks each sheet at once and then every interval (with jitter),
// one at a time, until ctx is done; a check under way then stops, and
// leaves its story as it was.
func (f *Follower) Run(ctx context.Context) {
	if len(f.sheets) == 0 {
		return
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		f.mu.Lock()
		due := f.sheets[0]
		for _, st := range f.sheets[1:] {
			if st.next.Before(due.next) {
				due = st
			}
		}
		wait := max(due.next.Sub(f.opts.Now()), 0)
		f.mu.Unlock()
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		f.check(ctx, due)
	}
}

// check fetches one sheet and imports it if it changed.
func (f *Follower) check(ctx context.Context, st *sheetState) {
	f.checking.Lock()
	defer f.checking.Unlock()
	sheet := st.status.Sheet
	log := f.opts.Logger.With("story", sheet.Story)
	start := f.opts.Now()
	f.mu.Lock()
	st.next = start.Add(sheet.Interval + f.opts.Jitter(sheet.Interval))
	f.mu.Unlock()

	res, err := f.opts.Fetch.Get(ctx, sheet.URL, st.validators)
	if ctx.Err() != nil {
		return // stopped: nothing was learnt of the sheet
	}
	if err != nil {
		f.failed(st, start, FetchFailed, err, log)
		return
	}
	if res.NotModified {
		f.unchanged(st, start, log)
		return
	}
	hash := sha256.Sum256(res.Body)
	if st.hashed && hash == st.hash {
		st.validators = res.Validators
		f.unchanged(st, start, log)
		return
	}
	changes, err := f.opts.Import(ctx, sheet, res.Body)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		var invalid *dataset.InvalidError
		if errors.As(err, &invalid) || timeline.ErrorCode(err) == timeline.EINVALID {
			st.validators, st.hash, st.hashed, st.broken = res.Validators, hash, true, true
			f.failed(st, start, Invalid, err, log)
			return
		}
		// The store's failure says nothing of the sheet: fetched in full
		// and imported again next time.
		st.validators, st.hashed = fetch.Validators{}, false
		f.failed(st, start, ImportFailed, err, log)
		return
	}
	st.validators, st.hash, st.hashed, st.broken = res.Validators, hash, true, false
	f.mu.Lock()
	wasFailing := st.status.Failing()
	st.status.Checks[Imported]++
	st.status.LastCheck, st.status.LastSuccess, st.status.LastError = start, start, ""
	if changes.EventsChanged+changes.EventsWithdrawn > 0 {
		st.status.LastChange = start
	}
	f.mu.Unlock()
	if changes.EventsChanged+changes.EventsWithdrawn > 0 || wasFailing {
		log.Info("followed sheet imported", "events_changed", changes.EventsChanged, "events_unchanged", changes.EventsSame,
			"events_withdrawn", changes.EventsWithdrawn, "data_version", changes.DataVersion, "was_failing", wasFailing)
	} else {
		log.Debug("followed sheet imported: nothing changed")
	}
}

// unchanged records a sheet found as it was last read: good if it was
// good, still broken if it was broken.
func (f *Follower) unchanged(st *sheetState, at time.Time, log *slog.Logger) {
	if st.broken {
		f.mu.Lock()
		st.status.Checks[Invalid]++
		st.status.LastCheck, st.status.LastFailure = at, at
		f.mu.Unlock()
		log.Debug("followed sheet unchanged, still broken", "error", st.status.LastError)
		return
	}
	f.mu.Lock()
	wasFailing := st.status.Failing()
	st.status.Checks[Unchanged]++
	st.status.LastCheck, st.status.LastSuccess, st.status.LastError = at, at, ""
	f.mu.Unlock()
	if wasFailing {
		log.Info("followed sheet reachable again, unchanged")
	} else {
		log.Debug("followed sheet unchanged")
	}
}

func (f *Follower) failed(st *sheetState, at time.Time, outcome Outcome, err error, log *slog.Logger) {
	f.mu.Lock()
	st.status.Checks[outcome]++
	st.status.LastCheck, st.status.LastFailure, st.status.LastError = at, at, err.Error()
	f.mu.Unlock()
	log.Warn("followed sheet not imported: the story is as it was", "outcome", string(outcome), "error", err)
}
