package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// textProblem is a problem with the text of a value, at a byte offset.
type textProblem struct {
	offset int64
	msg    string
}

// multiLine are the fields whose text may hold line breaks and tabs; in
// any other, a control character is refused.
var multiLine = map[string]bool{"body": true, "summary": true, "description": true, "quote": true, "when_note": true}

// maxTextProblems bounds the text problems reported for one value.
const maxTextProblems = 10

// checkText checks the text of one JSON value as the file spells it, raw:
// the decoder replaces invalid UTF-8 and unpaired surrogates with U+FFFD
// and keeps the last of a repeated key, silently. It refuses those, and
// control characters (NUL, escape codes…) other than line breaks and tabs
// in the fields that may span lines. raw is valid JSON, perhaps after a
// separator; it starts at file offset base, and where is its path ("events[3]",
// or "title" for a field of the story).
func checkText(raw []byte, base int64, where string) []textProblem {
	c := checkers.Get().(*textChecker)
	defer checkers.Put(c)
	*c = textChecker{raw: raw, base: base, where: where, stack: c.stack[:0]}
	c.run()
	return c.problems
}

// checkers keep their stacks from one record to the next.
var checkers = sync.Pool{New: func() any { return new(textChecker) }}

type textChecker struct {
	raw      []byte
	base     int64
	where    string
	stack    []frame
	problems []textProblem
}

// frame is an object or array being read.
type frame struct {
	object    bool
	expectKey bool
	key       []byte   // an object's member being read
	index     int      // an array's element being read
	seen      [][]byte // an object's keys so far
}

func (c *textChecker) add(at int, format string, args ...any) {
	if len(c.problems) < maxTextProblems {
		c.problems = append(c.problems, textProblem{c.base + int64(at), c.path() + ": " + fmt.Sprintf(format, args...)})
	}
}

// path is where the checker is, as events[3].actors[2].role.
func (c *textChecker) path() string {
	var b strings.Builder
	b.WriteString(c.where)
	for _, f := range c.stack {
		switch {
		case !f.object:
			fmt.Fprintf(&b, "[%d]", f.index)
		case len(f.key) > 0:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.Write(f.key)
		}
	}
	return b.String()
}

func (c *textChecker) top() *frame {
	if len(c.stack) == 0 {
		return nil
	}
	return &c.stack[len(c.stack)-1]
}

// push starts an object or array, reusing the room an earlier one had.
func (c *textChecker) push(f frame) {
	if n := len(c.stack); n < cap(c.stack) {
		c.stack = c.stack[:n+1]
		f.seen = c.stack[n].seen[:0]
		c.stack[n] = f
		return
	}
	c.stack = append(c.stack, f)
}

// value notes that a value starts, an element of the array being read.
func (c *textChecker) value() {
	if f := c.top(); f != nil && !f.object {
		f.index++
	}
}

func (c *textChecker) run() {
	raw := c.raw
	for i := 0; i < len(raw); i++ {
		switch b := raw[i]; b {
		case '{':
			c.value()
			c.push(frame{object: true, expectKey: true})
		case '[':
			c.value()
			c.push(frame{index: -1})
		case '}', ']':
			if len(c.stack) > 0 {
				c.stack = c.stack[:len(c.stack)-1]
			}
		case ',':
			if f := c.top(); f != nil && f.object {
				f.expectKey = true
			}
		case '"':
			f := c.top()
			if f != nil && f.object && f.expectKey {
				end := c.str(i, false, false)
				c.key(f, i, raw[i:end])
				i = end - 1
				continue
			}
			c.value()
			lines := multiLine[c.where] // a field of the story, read alone
			if f != nil {
				lines = multiLine[string(f.key)]
			}
			i = c.str(i, true, lines) - 1
		default:
			if b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != ':' {
				c.value()
				for i+1 < len(raw) && !strings.ContainsRune(" \t\r\n,]}", rune(raw[i+1])) {
					i++
				}
			}
		}
	}
}

// key notes an object's key, refusing one it has already (as the decoder
// matches keys to fields, ignoring case).
func (c *textChecker) key(f *frame, at int, quoted []byte) {
	k := quoted[1 : len(quoted)-1]
	var unquoted string
	if bytes.IndexByte(quoted, '\\') >= 0 && json.Unmarshal(quoted, &unquoted) == nil {
		k = []byte(unquoted)
	}
	f.key, f.expectKey = nil, false
	for _, s := range f.seen {
		if bytes.EqualFold(s, k) {
			c.add(at, "the key %s appears twice: a field is given once", quote(string(k)))
			break
		}
	}
	f.key, f.seen = k, append(f.seen, k)
}

// str reads the string starting at raw[i], the quote, and returns the
// offset just past its end. When check is set it refuses invalid UTF-8,
// unpaired surrogates and control characters, all but line breaks and
// tabs when lines is set.
func (c *textChecker) str(i int, check, lines bool) int {
	raw := c.raw
	for j := i + 1; j < len(raw); {
		b := raw[j]
		switch {
		case b == '"':
			return j + 1
		case b == '\\':
			if j+1 >= len(raw) {
				return len(raw)
			}
			if raw[j+1] != 'u' {
				if check {
					c.control(j, escaped(raw[j+1]), lines)
				}
				j += 2
				continue
			}
			r, n := unicodeEscape(raw[j:])
			if check {
				if r == utf8.RuneError {
					c.add(j, "an unpaired surrogate %s is no character", quote(string(raw[j:j+n])))
				} else {
					c.control(j, r, lines)
				}
			}
			j += n
		case b < utf8.RuneSelf:
			if check {
				c.control(j, rune(b), lines)
			}
			j++
		default:
			r, n := utf8.DecodeRune(raw[j:])
			if check {
				if r == utf8.RuneError && n == 1 {
					c.add(j, "the text is not valid UTF-8 (byte 0x%02x): save the file as UTF-8", b)
				} else {
					c.control(j, r, lines)
				}
			}
			j += n
		}
	}
	return len(raw)
}

// control refuses a control character, but for line breaks and tabs where
// lines may be.
func (c *textChecker) control(at int, r rune, lines bool) {
	isControl := r < 0x20 || (r >= 0x7f && r < 0xa0)
	if !isControl || (lines && (r == '\n' || r == '\t' || r == '\r')) {
		return
	}
	what := "a control character " + strconv.QuoteRune(r)
	if r == 0 {
		what = `a NUL character ("\u0000")`
	}
	if r == '\n' || r == '\t' || r == '\r' {
		c.add(at, "%s is not allowed in this field: it is one line of text", what)
		return
	}
	c.add(at, "%s is not allowed in text", what)
}

// escaped is the character a JSON escape other than \u stands for.
func escaped(b byte) rune {
	switch b {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return rune(b)
}

// unicodeEscape reads \uXXXX, or a surrogate pair of two, at the start of
// s: the character, or utf8.RuneError for an unpaired surrogate, and the
// bytes read.
func unicodeEscape(s []byte) (rune, int) {
	r := hex4(s)
	if r < 0xd800 || r >= 0xe000 {
		return r, 6
	}
	if r < 0xdc00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if lo := hex4(s[6:]); lo >= 0xdc00 && lo < 0xe000 {
			return (r-0xd800)<<10 | (lo - 0xdc00) + 0x10000, 12
		}
	}
	return utf8.RuneError, 6
}

func hex4(s []byte) rune {
	if len(s) < 6 {
		return utf8.RuneError
	}
	v, err := strconv.ParseUint(string(s[2:6]), 16, 32)
	if err != nil {
		return utf8.RuneError
	}
	return rune(v)
}
