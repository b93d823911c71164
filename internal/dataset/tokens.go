package dataset

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// tokenReader reads a file's JSON a token or a whole value at a time. Its
// errors are problems at byte offsets in the file (*problemError), or the
// underlying reader's own.
type tokenReader struct {
	dec  *json.Decoder
	kept *trackingReader // what dec reads from, to read a broken value again
}

func newTokenReader(tr *trackingReader) *tokenReader {
	dec := json.NewDecoder(bufio.NewReaderSize(tr, 256<<10))
	dec.DisallowUnknownFields()
	return &tokenReader{dec: dec, kept: tr}
}

// offset is where the decoder is: just after the last token or value read.
func (t *tokenReader) offset() int64 { return t.dec.InputOffset() }

// more reports whether the array or object being read has another element.
func (t *tokenReader) more() bool { return t.dec.More() }

// token reads the next token.
func (t *tokenReader) token() (json.Token, error) {
	start := t.dec.InputOffset()
	tok, err := t.dec.Token()
	if err != nil {
		return nil, t.problem(err, start)
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

// decode reads the next value into v.
func (t *tokenReader) decode(v any) error {
	start := t.dec.InputOffset()
	if err := t.dec.Decode(v); err != nil {
		return t.problem(err, start)
	}
	return nil
}

// end checks that only space follows the top-level value.
func (t *tokenReader) end() error {
	tok, err := t.dec.Token()
	var readErr *readError
	switch {
	case err == io.EOF:
		return nil
	case errors.As(err, &readErr):
		return readErr.err
	}
	at := t.dec.InputOffset()
	if _, delim := tok.(json.Delim); delim {
		at--
	}
	return &problemError{at, "unexpected data after the top-level object"}
}

// problem turns the decoder's error into a problem at a byte offset, or
// returns the reader's own error. start is where the decoder was when it
// began the token or value that failed.
func (t *tokenReader) problem(err error, start int64) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var readErr *readError
	switch {
	case errors.As(err, &syntax):
		return &problemError{t.syntaxOffset(syntax), "not valid JSON: " + syntax.Error()}
	case errors.As(err, &typ):
		// Point at the value that holds the field, as a whole: a record is
		// small, and the message names the field.
		return &problemError{start, fmt.Sprintf("%s must be a %s, not a %s", typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &problemError{wholeFile, "empty or cut short: expected a JSON object"}
	case errors.As(err, &readErr):
		return readErr.err
	}
	// An unknown field, which the decoder names only in its message, found
	// once it has read the value that holds it.
	return &problemError{t.dec.InputOffset(), strings.TrimPrefix(err.Error(), "json: ")}
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
