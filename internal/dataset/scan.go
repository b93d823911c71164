package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Handler receives a file's records as Scan reads them, in file order.
type Handler interface {
	Story(title, description string) error
	Actor(timeline.Actor) error
	Source(timeline.Source) error
	Event(*timeline.Event) error
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
	tr := &trackingReader{r: r}
	dec := json.NewDecoder(bufio.NewReaderSize(tr, 256<<10))
	dec.DisallowUnknownFields()
	s := &scanner{dec: dec, tr: tr, v: newValidator()}
	if h == nil {
		return s.read()
	}
	p := &pipe{out: make(chan []record, 4)}
	s.pipe = p
	read := make(chan error, 1)
	go func() {
		err := s.read()
		if err == nil {
			p.send()
		} else {
			p.failed.Store(true)
		}
		close(p.out)
		read <- err
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
	if err := <-read; err != nil && !errors.Is(err, errQuit) {
		return err
	}
	return handlerErr
}

// read reads the whole file and returns its problems, or the reader's error.
func (s *scanner) read() error {
	if err := s.file(); err != nil {
		var p *problemError
		if !errors.As(err, &p) {
			return err // the reader's own error, or errQuit
		}
		s.v.add(p.where, "%s", p.msg)
		return &InvalidError{Problems: s.v.problems}
	}
	s.v.finish()
	if !s.v.ok() {
		return &InvalidError{Problems: s.v.problems}
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
	c := &collector{}
	if err := Scan(r, c); err != nil {
		return nil, err
	}
	return &c.ds, nil
}

type collector struct{ ds timeline.Dataset }

func (c *collector) Story(title, description string) error {
	c.ds.Title, c.ds.Description = title, description
	return nil
}
func (c *collector) Actor(a timeline.Actor) error { c.ds.Actors = append(c.ds.Actors, a); return nil }
func (c *collector) Source(s timeline.Source) error {
	c.ds.Sources = append(c.ds.Sources, s)
	return nil
}
func (c *collector) Event(e *timeline.Event) error { c.ds.Events = append(c.ds.Events, *e); return nil }

// problemError is a problem that stops the scan: the JSON is broken.
type problemError struct{ where, msg string }

func (p *problemError) Error() string { return p.where + ": " + p.msg }

type scanner struct {
	dec  *json.Decoder
	tr   *trackingReader
	v    *validator
	pipe *pipe    // nil when only validating
	f    fileJSON // the header fields
	// start is the offset where the value being read began, from which a
	// syntax error is found again to give its exact position.
	start int64
}

// handle passes a record on while the file is still free of problems.
func (s *scanner) handle(rec record) error {
	switch {
	case s.pipe == nil:
		return nil
	case s.pipe.quit.Load():
		return errQuit
	case !s.v.ok():
		s.pipe.failed.Store(true)
		return nil
	}
	s.pipe.batch = append(s.pipe.batch, rec)
	if len(s.pipe.batch) == batchSize {
		s.pipe.send()
	}
	return nil
}

func (s *scanner) broken(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &problemError{s.tr.position(s.tr.syntaxOffset(s.start)), "not valid JSON: " + syntax.Error()}
	case errors.As(err, &typ):
		// The decoder's offset is not a file position: point at the value
		// that holds the field.
		return &problemError{s.tr.position(s.start), fmt.Sprintf("%s must be a %s, not a %s", typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &problemError{"file", "empty or cut short: expected a JSON object"}
	}
	var readErr *readError
	if errors.As(err, &readErr) {
		return readErr.err
	}
	// Unknown fields come back as a plain error naming the field.
	return &problemError{s.tr.position(s.dec.InputOffset()), err.Error()[len("json: "):]}
}

// token reads the next token, noting where it began.
func (s *scanner) token() (json.Token, error) {
	s.start = s.dec.InputOffset()
	return s.dec.Token()
}

// decode reads the next value into v, noting where it began.
func (s *scanner) decode(v any) error {
	s.start = s.dec.InputOffset()
	return s.dec.Decode(v)
}

func (s *scanner) expect(want json.Delim, what string) error {
	tok, err := s.token()
	if err != nil {
		return s.broken(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &problemError{s.tr.position(s.dec.InputOffset() - 1), fmt.Sprintf("expected %s", what)}
	}
	return nil
}

func (s *scanner) file() error {
	if err := s.expect('{', "a JSON object"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for s.dec.More() {
		tok, err := s.token()
		if err != nil {
			return s.broken(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return &problemError{s.tr.position(s.dec.InputOffset()), fmt.Sprintf("%q appears twice", key)}
		}
		seen[key] = true
		var decodeErr error
		switch key {
		case "format":
			decodeErr = s.decode(&s.f.Format)
		case "title":
			decodeErr = s.decode(&s.f.Title)
		case "description":
			decodeErr = s.decode(&s.f.Description)
		case "actors":
			decodeErr = s.array("actors", func() error {
				var a actorJSON
				if err := s.decode(&a); err != nil {
					return err
				}
				actor := s.v.actor(&a)
				return s.handle(func(h Handler) error { return h.Actor(actor) })
			})
		case "sources":
			if !seen["actors"] {
				return &problemError{s.tr.position(s.dec.InputOffset()), `"sources" must come after "actors"`}
			}
			decodeErr = s.array("sources", func() error {
				var src sourceJSON
				if err := s.decode(&src); err != nil {
					return err
				}
				source := s.v.source(&src)
				return s.handle(func(h Handler) error { return h.Source(source) })
			})
		case "events":
			if !seen["actors"] || !seen["sources"] {
				return &problemError{s.tr.position(s.dec.InputOffset()), `"events" must come after "actors" and "sources"`}
			}
			s.v.header(&s.f)
			title, description := s.f.Title, s.f.Description
			if err := s.handle(func(h Handler) error { return h.Story(title, description) }); err != nil {
				return err
			}
			decodeErr = s.array("events", func() error {
				var e eventJSON
				if err := s.decode(&e); err != nil {
					return err
				}
				event := s.v.event(&e)
				return s.handle(func(h Handler) error { return h.Event(event) })
			})
		default:
			return &problemError{s.tr.position(s.dec.InputOffset()), fmt.Sprintf("unknown field %q", key)}
		}
		if decodeErr != nil {
			var p *problemError
			if errors.As(decodeErr, &p) {
				return p
			}
			if errors.Is(decodeErr, errQuit) {
				return errQuit
			}
			return s.broken(decodeErr)
		}
	}
	if err := s.expect('}', "the end of the object"); err != nil {
		return err
	}
	if tok, err := s.token(); err != io.EOF {
		at := s.dec.InputOffset()
		if _, delim := tok.(json.Delim); delim {
			at--
		}
		return &problemError{s.tr.position(at), "unexpected data after the top-level object"}
	}
	if !seen["events"] {
		s.v.header(&s.f)
		if !seen["actors"] || !seen["sources"] {
			s.v.add("file", `a file has "actors", "sources" and "events" arrays`)
		} else {
			s.v.add("file", `"events" is missing`)
		}
	}
	return nil
}

// array reads a JSON array, calling each for every element.
func (s *scanner) array(name string, each func() error) error {
	if err := s.expect('[', fmt.Sprintf("%q to be an array", name)); err != nil {
		return err
	}
	for s.dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	_, err := s.token() // ']'
	return err
}

// readError marks a failure of the underlying reader, as opposed to bad JSON.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// trackingReader remembers the most recent bytes read and how many lines
// came before them, so that a problem at a byte offset can be given as a
// line and column without keeping the whole file.
type trackingReader struct {
	r      io.Reader
	chunks []chunk
	kept   int
	lines  int    // newlines before the first kept chunk
	total  int64  // bytes read
	spare  []byte // a dropped chunk's buffer, to copy the next read into
}

type chunk struct {
	start int64
	data  []byte
}

// keepBytes bounds the bytes kept for positions; the JSON decoder never
// needs to point further back than the value it is decoding.
const keepBytes = 8 << 20

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.chunks = append(t.chunks, chunk{start: t.total, data: append(t.spare[:0], p[:n]...)})
		t.spare = nil
		t.kept += n
		t.total += int64(n)
		for len(t.chunks) > 2 && t.kept-len(t.chunks[0].data) > keepBytes {
			t.lines += bytes.Count(t.chunks[0].data, []byte("\n"))
			t.kept -= len(t.chunks[0].data)
			// Reusing the buffer spares the garbage collector a copy of the whole file.
			t.spare = t.chunks[0].data
			t.chunks = t.chunks[1:]
		}
	}
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// position is the 1-based line and column of a byte offset, or the offset
// itself when it is no longer among the bytes kept.
func (t *trackingReader) position(offset int64) string {
	if len(t.chunks) == 0 || offset < t.chunks[0].start {
		return fmt.Sprintf("byte %d", offset)
	}
	line, lineStart := t.lines+1, t.chunks[0].start
	for _, c := range t.chunks {
		end := min(int64(len(c.data)), offset-c.start)
		if end <= 0 {
			break
		}
		seg := c.data[:end]
		if n := bytes.Count(seg, []byte("\n")); n > 0 {
			line += n
			lineStart = c.start + int64(bytes.LastIndexByte(seg, '\n')) + 1
		}
	}
	if line == t.lines+1 && t.lines > 0 {
		return fmt.Sprintf("line %d", line) // the line began before the bytes kept
	}
	return fmt.Sprintf("line %d, column %d", line, offset-lineStart+1)
}

// syntaxOffset finds the offset of the first syntax error at or after start
// by reading the kept bytes again: the decoder's own error offsets are not
// absolute positions in the file.
func (t *trackingReader) syntaxOffset(start int64) int64 {
	if len(t.chunks) == 0 || start < t.chunks[0].start {
		return start
	}
	var kept []byte
	for _, c := range t.chunks {
		kept = append(kept, c.data...)
	}
	before, rest := kept[:start-t.chunks[0].start], kept[start-t.chunks[0].start:]
	// The decoder starts a value at the comma or colon before it; that is
	// no part of the value, unless it follows no value (as in "[,").
	value := bytes.TrimLeft(rest, " \t\r\n")
	before = bytes.TrimRight(before, " \t\r\n")
	if len(value) > 0 && (value[0] == ',' || value[0] == ':') &&
		len(before) > 0 && !bytes.ContainsAny(before[len(before)-1:], "[{,:") {
		start += int64(len(rest) - len(value) + 1)
		rest = value[1:]
	}
	var v any
	var syntax *json.SyntaxError
	if err := json.Unmarshal(rest, &v); errors.As(err, &syntax) {
		// Offset counts the offending byte itself.
		return start + syntax.Offset - 1
	}
	return start
}
