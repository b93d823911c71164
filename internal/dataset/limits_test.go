package dataset_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
)

// problems reads file and returns its problems, failing if it has none.
func problems(t *testing.T, r io.Reader) []dataset.Problem {
	t.Helper()
	_, err := dataset.Read(r)
	var invalid *dataset.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v, want *InvalidError", err)
	}
	return invalid.Problems
}

// hasProblem checks that one problem is at where (if not empty) and says message.
func hasProblem(t *testing.T, got []dataset.Problem, where, message string) {
	t.Helper()
	for _, p := range got {
		if (where == "" || p.Where == where) && strings.Contains(p.Message, message) {
			return
		}
	}
	t.Errorf("missing problem %s: %s; got:", where, message)
	for _, p := range got {
		t.Logf("  %.300s", p)
	}
}

// withEvent is valid with its first event's fields replaced: old → new.
func withEvent(old, new string) string {
	if !strings.Contains(valid, old) {
		panic("withEvent: no " + old)
	}
	return strings.Replace(valid, old, new, 1)
}

const claimActors = `"actors": [{"actor": "kremlin", "role": "speaker"}, {"actor": "ukraine", "role": "target"}]`

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestReadBounds: a file may not hold more per event, or per field, or per
// record, than the bounds, and the reader refuses a record that passes
// the record bound without reading it whole (issue #17, finding 2).
func TestReadBounds(t *testing.T) {
	t.Run("TooManyActors", func(t *testing.T) {
		many := strings.Repeat(`{"actor": "kremlin", "role": "speaker"}, `, 50) + `{"actor": "ukraine", "role": "target"}`
		got := problems(t, strings.NewReader(withEvent(claimActors, `"actors": [`+many+`]`)))
		hasProblem(t, got, "event claim", "has 51 actors: an event names at most 50")
	})
	t.Run("TooManySources", func(t *testing.T) {
		many := strings.Repeat(`{"source": "guardian"}, `, 20) + `{"source": "article"}`
		got := problems(t, strings.NewReader(withEvent(`"sources": [{"source": "guardian", "quote": "an attempt on the president's life"}]`, `"sources": [`+many+`]`)))
		hasProblem(t, got, "event claim", "has 21 sources: an event cites at most 20")
	})
	t.Run("TooManyAnswers", func(t *testing.T) {
		var many []string
		for i := range 51 {
			many = append(many, fmt.Sprintf(`{"event": "claim", "type": "t%d"}`, i))
		}
		got := problems(t, strings.NewReader(strings.Replace(valid, `{"event": "claim", "type": "denies"}`, strings.Join(many, ", "), 1)))
		hasProblem(t, got, "event denial", "has 51 answers: an event answers at most 50")
	})
	t.Run("LongTitle", func(t *testing.T) {
		got := problems(t, strings.NewReader(withEvent(`"title": "Kremlin claims an attack"`, `"title": "`+strings.Repeat("é", 301)+`"`)))
		hasProblem(t, got, "event claim", "title is longer than 300 characters")
	})
	t.Run("LongURL", func(t *testing.T) {
		got := problems(t, strings.NewReader(strings.Replace(valid, `"outlet": "An outlet",`, `"outlet": "An outlet", "url": "https://example.com/`+strings.Repeat("x", 2000)+`",`, 1)))
		hasProblem(t, got, "source article", "url is longer than 2000 characters")
	})
	// A million actors on one event: the record passes its bound long
	// before the array ends, and the rest is never read.
	t.Run("MillionActors", func(t *testing.T) {
		many := strings.Repeat(`{"actor": "kremlin", "role": "speaker"}, `, 1_000_000)
		file := withEvent(claimActors, `"actors": [`+many+`{"actor": "ukraine", "role": "target"}]`)
		in := &countingReader{r: strings.NewReader(file)}
		got := problems(t, in)
		hasProblem(t, got, "line 13, column 5", "events[0]: more than 1024 KiB without the value ending")
		if in.n > 2<<20 {
			t.Errorf("read %d bytes of a %d-byte file, want at most a record's bound and a buffer", in.n, len(file))
		}
	})
	t.Run("HugeString", func(t *testing.T) {
		file := withEvent(`"title": "Kremlin claims an attack"`, `"title": "`+strings.Repeat("x", 64<<20)+`"`)
		in := &countingReader{r: strings.NewReader(file)}
		got := problems(t, in)
		hasProblem(t, got, "line 13, column 5", "more than 1024 KiB")
		if in.n > 2<<20 {
			t.Errorf("read %d bytes of a %d-byte file", in.n, len(file))
		}
	})
	t.Run("HugeHeaderString", func(t *testing.T) {
		file := strings.Replace(valid, `"title": "Test"`, `"title": "`+strings.Repeat("x", 8<<20)+`"`, 1)
		hasProblem(t, problems(t, strings.NewReader(file)), "line 3, column 10", "title: more than 1024 KiB")
	})
}

// TestReadSpace: a long run of space is refused once it passes the record
// bound, from a pipe as from a file, without being read whole: it took
// time quadratic in its length from a pipe (issue #17, finding 6).
func TestReadSpace(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		chunk := []byte(strings.Repeat(" ", 4096)) // a pipe's small reads
		for i := 0; i < (256<<20)/len(chunk); i++ {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	defer pr.Close()
	in := &countingReader{r: pr}
	hasProblem(t, problems(t, in), "line 1, column 1", "more than 1024 KiB without the value ending")
	if in.n > 2<<20 {
		t.Errorf("read %d bytes of space, want at most a record's bound and a buffer", in.n)
	}
}

// TestReadText: text stays what the file says. What the decoder would
// change or keep silently is refused, where it is (issue #17, finding 8).
func TestReadText(t *testing.T) {
	tests := []struct {
		name, file, where, message string
	}{
		{"InvalidUTF8", withEvent(`"an attempt on`, "\"an \xff attempt on"), "line 21, column 55", `events[0].sources[0].quote: the text is not valid UTF-8 (byte 0xff)`},
		{"InvalidUTF8InTheStory", strings.Replace(valid, `"Test"`, "\"T\xc3\x28est\"", 1), "line 3, column 14", `title: the text is not valid UTF-8`},
		{"UnpairedSurrogate", withEvent(`"Kremlin claims`, `"Kremlin \ud800 claims`), "line 15, column 25", `events[0].title: an unpaired surrogate "\\ud800"`},
		{"NUL", withEvent(`"Kremlin claims`, `"Kremlin \u0000 claims`), "line 15, column 25", `events[0].title: a NUL character`},
		{"EscapeCode", withEvent(`"The Kremlin said`, `"The Kremlin \u001b[2J said`), "line 16, column 31", `events[0].summary: a control character '\x1b' is not allowed in text`},
		{"RawDEL", withEvent(`"Kremlin claims`, "\"Kremlin \x7f claims"), "line 15, column 25", `a control character '\x7f'`},
		{"NewlineInATitle", withEvent(`"Kremlin claims`, `"Kremlin\nclaims`), "line 15, column 24", `events[0].title: a control character '\n' is not allowed in this field: it is one line of text`},
		{"RepeatedKey", withEvent(`"kind": "claim",`, `"kind": "claim", "kind": "denial",`), "line 17, column 24", `events[0]: the key "kind" appears twice`},
		{"RepeatedKeyInAnotherCase", withEvent(`"kind": "claim",`, `"kind": "claim", "Kind": "denial",`), "line 17, column 24", `the key "Kind" appears twice`},
		{"RepeatedKeyNested", withEvent(`{"actor": "ukraine", "role": "target"}`, `{"actor": "ukraine", "role": "target", "role": "speaker"}`), "", `events[0].actors[1]: the key "role" appears twice`},
		{"ByteOrderMark", "\uFEFF" + valid, "line 1, column 1", "the file starts with a byte-order mark: save it as UTF-8 without one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hasProblem(t, problems(t, strings.NewReader(tt.file)), tt.where, tt.message)
		})
	}
	t.Run("LinesInABody", func(t *testing.T) {
		file := withEvent(`"kind": "claim",`, `"kind": "claim", "body": "One.\n\n\tTwo.\r\n",`)
		if _, err := dataset.Read(strings.NewReader(file)); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReadMessages: values in messages are quoted, escaped and cut short;
// messages name the field and say what was expected in words (issue #17,
// finding 9).
func TestReadMessages(t *testing.T) {
	t.Run("EscapeCodesInASlug", func(t *testing.T) {
		got := problems(t, strings.NewReader(strings.Replace(valid, `"slug": "ukraine"`, `"slug": "\u001b[2J\u001b[Hx"`, 1)))
		hasProblem(t, got, "actor #2", `slug "\x1b[2J\x1b[Hx" must be lowercase letters`)
		for _, p := range got {
			if strings.ContainsRune(p.String(), 0x1b) {
				t.Errorf("problem %q holds a raw escape code", p)
			}
		}
	})
	t.Run("LongSlugIsCut", func(t *testing.T) {
		got := problems(t, strings.NewReader(strings.Replace(valid, `"slug": "ukraine"`, `"slug": "`+strings.Repeat("X", 500_000)+`"`, 1)))
		hasProblem(t, got, "actor #2", `slug "XXXX`)
		for _, p := range got {
			if len(p.String()) > 300 {
				t.Errorf("a %d-byte problem: %.100s…", len(p.String()), p)
			}
		}
	})
	t.Run("NoGoTypes", func(t *testing.T) {
		got := problems(t, strings.NewReader(withEvent(claimActors, `"actors": {"actor": "kremlin"}`)))
		hasProblem(t, got, "line 13, column 5", "events[0].actors must be a list of actors, not an object")
		for _, p := range got {
			if strings.Contains(p.Message, "dataset.") || strings.Contains(p.Message, "a object") {
				t.Errorf("problem %q names a Go type or says \"a object\"", p)
			}
		}
	})
	t.Run("FieldOfTheStoryNamed", func(t *testing.T) {
		got := problems(t, strings.NewReader(strings.Replace(valid, `"title": "Test"`, `"title": 10`, 1)))
		hasProblem(t, got, "line 3, column 10", "title must be text, not a number")
	})
	t.Run("UnknownFieldQuoted", func(t *testing.T) {
		got := problems(t, strings.NewReader(withEvent(`"kind": "claim",`, `"kind": "claim", "col\u001bour": 1,`)))
		hasProblem(t, got, "", `events[0]: unknown field "col\x1bour"`)
	})
}
