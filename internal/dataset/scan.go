package dataset

import (
	"context"
	"errors"
	"io"
	"sync/atomic"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Handler receives a file's records as Scan reads them, in file order.
// Story comes after the actors and sources, before the events; its slug is
// "" for a file in the first format (FormatV1).
type Handler interface {
	Story(slug, title, description string) error
	Actor(timeline.Actor) error
	Source(timeline.Source) error
	Event(*timeline.Event) error
}

// Allower is a Handler that may take events an import refuses by default:
// what Allowed allows, Scan passes on marked (timeline.Event.Unsourced,
// Unattributed) rather than refusing it. The permission rides on the
// handler, the one thing every reader of every format is given, so that
// each format's reader asks it the same way (Allows).
type Allower interface {
	Allowed() timeline.Allowance
}

// Allows is what h takes that an import refuses by default: nothing for a
// handler that is not an Allower.
func Allows(h Handler) timeline.Allowance {
	if a, ok := h.(Allower); ok {
		return a.Allowed()
	}
	return timeline.Allowance{}
}

// Scan reads a file one record at a time, validating each and passing the
// records to h, so that a file of any size is read in bounded memory. It
// reads to the end even after a problem, and then returns an *InvalidError
// listing every problem; a handler that applied records must then discard
// them (the store does so by rolling its transaction back). After the first
// problem, h is called no more. h may be nil to only validate.
//
// The file is read and checked on a goroutine of its own while h is called
// on the caller's, in file order, one call at a time; h may keep what it is
// given. An error from h stops the reading, and Scan returns that error.
func Scan(r io.Reader, h Handler) error {
	return ScanContext(context.Background(), r, h)
}

// ScanContext is Scan that stops promptly once ctx is done, between reads
// and during a read that blocks (a stalled pipe), and returns ctx's error.
func ScanContext(ctx context.Context, r io.Reader, h Handler) error {
	r = ContextReader(ctx, r)
	tr := &trackingReader{r: r}
	b := &builder{in: newTokenReader(tr), v: newValidator()}
	b.v.allow = Allows(h)
	if h == nil {
		return read(b, tr)
	}
	p := &pipe{out: make(chan []record, 4)}
	b.pipe = p
	done := make(chan error, 1)
	go func() {
		err := read(b, tr)
		if err == nil {
			p.send()
		} else {
			p.failed.Store(true)
		}
		close(p.out)
		done <- err
	}()
	// Drain on the way out, also on a panic in h, so that the reading
	// goroutine always ends.
	defer func() {
		p.quit.Store(true)
		for range p.out {
		}
	}()
	var handlerErr error
	for batch := range p.out {
		for _, rec := range batch {
			if handlerErr != nil || p.failed.Load() {
				break
			}
			if handlerErr = rec(h); handlerErr != nil {
				p.quit.Store(true)
			}
		}
	}
	if err := <-done; err != nil && !errors.Is(err, errQuit) {
		return err
	}
	return handlerErr
}

// read reads the whole file and returns its problems, each placed at a
// line and column, or the reader's error.
func read(b *builder, tr *trackingReader) error {
	if err := b.file(); err != nil {
		var p *problemError
		if !errors.As(err, &p) {
			return err // the reader's own error, or errQuit
		}
		b.v.add(tr.place(p.offset), "%s", p.msg)
		return &InvalidError{Problems: b.v.problems}
	}
	b.v.finish()
	if !b.v.ok() {
		return &InvalidError{Problems: b.v.problems}
	}
	return nil
}

// pipe carries records from the goroutine that reads and checks a file to
// the one that calls the handler, so that decoding the JSON overlaps with
// what the handler does with it: for an import into SQLite on two cores,
// most of the reading's time. Records go in batches, so that the two
// goroutines meet once per batch rather than once per record.
type pipe struct {
	out    chan []record
	batch  []record
	failed atomic.Bool // the file has a problem: call the handler no more
	quit   atomic.Bool // the handler failed or is gone: stop reading
}

// record is one call to the handler.
type record func(Handler) error

// batchSize is how many records go in a batch.
const batchSize = 256

// errQuit stops the reading once the handler has failed.
var errQuit = errors.New("dataset: the handler failed")

func (p *pipe) send() {
	if len(p.batch) > 0 {
		p.out <- p.batch
		p.batch = make([]record, 0, batchSize)
	}
}

// Read reads and validates a whole file into memory. For large files, use Scan.
func Read(r io.Reader) (*timeline.Dataset, error) {
	c := &Collector{}
	if err := Scan(r, c); err != nil {
		return nil, err
	}
	return &c.Dataset, nil
}

// Collector is a Handler that keeps in memory what it is handed, taking
// what Allow allows: for a whole file read at once, and for tests.
type Collector struct {
	timeline.Dataset
	Allow timeline.Allowance
}

func (c *Collector) Story(slug, title, description string) error {
	c.Slug, c.Title, c.Description = slug, title, description
	return nil
}
func (c *Collector) Actor(a timeline.Actor) error   { c.Actors = append(c.Actors, a); return nil }
func (c *Collector) Source(s timeline.Source) error { c.Sources = append(c.Sources, s); return nil }
func (c *Collector) Event(e *timeline.Event) error  { c.Events = append(c.Events, *e); return nil }

// Allowed is Allow (see Allower).
func (c *Collector) Allowed() timeline.Allowance { return c.Allow }

// ContextReader returns a reader of r that stops promptly once ctx is done,
// also during a read that blocks, with ctx's error; for a caller that reads
// the start of a file (to tell its format) before it is scanned.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	if _, ok := r.(*contextReader); ok || ctx.Done() == nil {
		return r
	}
	return &contextReader{ctx: ctx, r: r}
}

// contextReader reads from r until ctx is done. Each read runs on a
// goroutine of its own, so that a read that blocks does not hold up the
// end: it is left behind, and its bytes are never looked at.
type contextReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	pending chan readResult // the read under way, or nil
}

type readResult struct {
	n   int
	err error
}

func (c *contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if c.pending == nil {
		if cap(c.buf) < len(p) {
			c.buf = make([]byte, len(p))
		}
		buf, done := c.buf[:len(p)], make(chan readResult, 1)
		go func() {
			n, err := c.r.Read(buf)
			done <- readResult{n, err}
		}()
		c.pending = done
	}
	select {
	case res := <-c.pending:
		c.pending = nil
		return copy(p, c.buf[:res.n]), res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
