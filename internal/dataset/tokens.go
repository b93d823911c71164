package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// tokenReader reads a file's JSON a token or a whole value at a time. Its
// errors are problems at byte offsets in the file (*problemError), or the
// underlying reader's own.
//
// The decoder holds a whole value, or a whole run of space, in memory
// before it hands it over, so what it may read is bounded: at most
// maxRecord bytes past where it stands before each token or value.
type tokenReader struct {
	dec   *json.Decoder
	kept  *trackingReader // what dec reads from, to read a broken value again
	bound *boundedReader
	start int64 // where the bound was last set
}

func newTokenReader(tr *trackingReader) *tokenReader {
	bound := &boundedReader{r: tr}
	dec := json.NewDecoder(bufio.NewReaderSize(bound, 256<<10))
	dec.DisallowUnknownFields()
	return &tokenReader{dec: dec, kept: tr, bound: bound}
}

// next bounds what the decoder may read for the next token or value.
func (t *tokenReader) next() int64 {
	t.start = t.dec.InputOffset()
	t.bound.limit = t.start + maxRecord
	return t.start
}

// offset is where the decoder is: just after the last token or value read.
func (t *tokenReader) offset() int64 { return t.dec.InputOffset() }

// more reports whether the array or object being read has another element.
func (t *tokenReader) more() bool {
	t.next()
	return t.dec.More()
}

// token reads the next token.
func (t *tokenReader) token() (json.Token, error) {
	start := t.next()
	tok, err := t.dec.Token()
	if err != nil {
		return nil, t.problem(err, start, "")
	}
	return tok, nil
}

// delim reads the next token, which must be want: what says what that is.
func (t *tokenReader) delim(want json.Delim, what string) error {
	tok, err := t.token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &problemError{t.dec.InputOffset() - 1, "expected " + what}
	}
	return nil
}

// decode reads the next value into v; where is its path in the file, such
// as "events[3]" or "title", for messages. The text in it is checked as the
// file spells it: the problems found are returned, for the validator.
func (t *tokenReader) decode(v any, where string) ([]textProblem, error) {
	start := t.next()
	if err := t.dec.Decode(v); err != nil {
		return nil, t.problem(err, start, where)
	}
	raw, ok := t.kept.span(start, t.dec.InputOffset())
	if !ok {
		return nil, nil // cannot happen: a record is far smaller than the bytes kept
	}
	return checkText(raw, start, where), nil
}

// end checks that only space follows the top-level value.
func (t *tokenReader) end() error {
	t.next()
	tok, err := t.dec.Token()
	var readErr *readError
	switch {
	case err == io.EOF:
		return nil
	case errors.As(err, &readErr):
		return readErr.err
	case errors.Is(err, errTooLarge):
		return t.problem(err, t.start, "")
	}
	at := t.dec.InputOffset()
	if _, delim := tok.(json.Delim); delim {
		at--
	}
	return &problemError{at, "unexpected data after the top-level object"}
}

// problem turns the decoder's error into a problem at a byte offset, or
// returns the reader's own error. start is where the decoder was when it
// began the token or value that failed, and where its path, if known.
func (t *tokenReader) problem(err error, start int64, where string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var readErr *readError
	prefix := ""
	if where != "" {
		prefix = where + ": "
	}
	switch {
	case errors.As(err, &syntax):
		at := t.syntaxOffset(syntax)
		if at == 0 && bytes.HasPrefix(t.kept.from(0), []byte(byteOrderMark)) {
			return &problemError{0, "the file starts with a byte-order mark: save it as UTF-8 without one"}
		}
		return &problemError{at, "not valid JSON: " + syntax.Error()}
	case errors.As(err, &typ):
		// Point at the value that holds the field, as a whole: a record is
		// small, and the message names the field.
		field := path(where, typ.Field)
		if field == "" {
			field = "the value"
		}
		return &problemError{start, fmt.Sprintf("%s must be %s, not %s", field, typeWords(typ.Type.String()), jsonWords(typ.Value))}
	case errors.Is(err, errTooLarge):
		return &problemError{start, fmt.Sprintf("%smore than %d KiB without the value ending: a record (an actor, a source, an event or a field of the story), with the space before it, holds at most %d KiB",
			prefix, maxRecord>>10, maxRecord>>10)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &problemError{wholeFile, "empty or cut short: expected a JSON object"}
	case errors.As(err, &readErr):
		return readErr.err
	}
	// An unknown field, which the decoder names only in its message, found
	// once it has read the value that holds it.
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if key, ok := strings.CutPrefix(msg, "unknown field "); ok {
		if unquoted, err := strconv.Unquote(key); err == nil {
			key = unquoted
		}
		msg = "unknown field " + quote(key)
	}
	return &problemError{t.dec.InputOffset(), prefix + msg}
}

// byteOrderMark is UTF-8's, which JSON forbids at the start of a file.
const byteOrderMark = "\uFEFF"

// errTooLarge is what boundedReader gives once the decoder would read past
// its bound.
var errTooLarge = errors.New("dataset: a record is too large")

// boundedReader stops the decoder reading more than a record's worth past
// where it stands, so that no value, and no run of space, is held whole
// in memory beyond maxRecord bytes. (A run of space is what the decoder
// holds longest: it scans it again after every read, and a pipe's reads
// are small, so an unbounded run from a pipe took time quadratic in its
// length.)
type boundedReader struct {
	r     *trackingReader
	limit int64 // the file offset it reads no further than
}

func (b *boundedReader) Read(p []byte) (int, error) {
	left := b.limit - b.r.total
	if left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	return b.r.Read(p)
}

// syntaxOffset is where in the file a syntax error lies.
//
// A token it refuses (a misplaced delimiter, a missing comma) the decoder
// places at its input offset, which is a file offset. A value it cannot
// scan it places by a count of the bytes its scanner has read, which leaves
// out what Token read (delimiters, separators and the space around them),
// so that is no file offset. But such an error stops the decoder for good,
// and at the start of the value, and the value's bytes scanned again alone
// place the error within it.
func (t *tokenReader) syntaxOffset(err *json.SyntaxError) int64 {
	at := t.dec.InputOffset()
	if t.dec.Decode(new(any)) != err {
		return err.Offset // a refused token: the decoder would go on
	}
	value := t.kept.from(at)
	var again *json.SyntaxError
	if value != nil && errors.As(json.Unmarshal(value, new(json.RawMessage)), &again) {
		return at + again.Offset - 1 // Offset counts the byte at fault
	}
	return at
}
