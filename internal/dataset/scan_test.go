package dataset_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
)

// recorder is a Handler that notes the events it is given and can fail.
type recorder struct {
	events []string
	failAt string // the event slug whose call fails
	err    error
}

func (r *recorder) Story(slug, title, description string) error { return nil }
func (r *recorder) Actor(timeline.Actor) error                  { return nil }
func (r *recorder) Source(timeline.Source) error                { return nil }
func (r *recorder) Event(e *timeline.Event) error {
	r.events = append(r.events, e.Slug)
	if e.Slug == r.failAt {
		return r.err
	}
	return nil
}

// bigFile is a synthetic file of n events, ev-0 … ev-(n-1), many batches
// long.
func bigFile(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inOrderBefore checks that the events handed over are ev-0, ev-1, … and
// stop before ev-stop.
func inOrderBefore(t *testing.T, got []string, stop int) {
	t.Helper()
	if len(got) >= stop+1 {
		t.Errorf("the handler got %d events, want at most %d", len(got), stop+1)
	}
	for i, slug := range got {
		if want := fmt.Sprintf("ev-%d", i); slug != want && i < stop {
			t.Fatalf("event %d handed over is %s, want %s", i, slug, want)
		}
	}
}

func TestScanHandler(t *testing.T) {
	const n = 3000
	file := bigFile(t, n)

	t.Run("EveryEventInOrder", func(t *testing.T) {
		var r recorder
		if err := dataset.Scan(bytes.NewReader(file), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.events) != n {
			t.Fatalf("the handler got %d events, want %d", len(r.events), n)
		}
		inOrderBefore(t, r.events, n)
	})

	t.Run("HandlerErrorIsReturnedAsIs", func(t *testing.T) {
		failure := errors.New("disk full")
		r := recorder{failAt: "ev-1000", err: fmt.Errorf("import event ev-1000: %w", failure)}
		err := dataset.Scan(bytes.NewReader(file), &r)
		if !errors.Is(err, failure) || err.Error() != "import event ev-1000: disk full" {
			t.Fatalf("err = %v, want the handler's own error", err)
		}
		if len(r.events) != 1001 {
			t.Errorf("the handler got %d events, want 1001: none after its failure", len(r.events))
		}
	})

	t.Run("NothingFromTheFirstProblemOn", func(t *testing.T) {
		broken := bytes.Replace(file, []byte(`"slug": "ev-2000",`), []byte(`"slug": "Ev-2000",`), 1)
		var r recorder
		err := dataset.Scan(bytes.NewReader(broken), &r)
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) {
			t.Fatalf("err = %v, want *InvalidError", err)
		}
		inOrderBefore(t, r.events, 2000)
	})

	t.Run("BrokenAtTheEnd", func(t *testing.T) {
		cut := file[:len(file)-len("  ]\n}\n")] // the events array is never closed
		broken := append(bytes.Clone(cut), []byte(",\n    {\"slug\": }\n  ]\n}\n")...)
		var r recorder
		err := dataset.Scan(bytes.NewReader(broken), &r)
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || len(invalid.Problems) != 1 {
			t.Fatalf("err = %v, want one problem", err)
		}
		lines := bytes.Count(broken, []byte("\n"))
		if p := invalid.Problems[0]; p.Where != fmt.Sprintf("line %d, column 14", lines-2) || !strings.Contains(p.Message, "not valid JSON") {
			t.Errorf("problem = %s, want not valid JSON at line %d, column 14", p, lines-2)
		}
		inOrderBefore(t, r.events, n)
	})
}

// TestScanPlacesBrokenJSON: a syntax error is placed at the byte at fault,
// whether the decoder refused a token there or could not scan the value
// around it, and however the file reaches the decoder.
func TestScanPlacesBrokenJSON(t *testing.T) {
	var actors strings.Builder
	for i := range 50 {
		fmt.Fprintf(&actors, "    {\"slug\": \"a%d\", \"name\": \"A\", \"kind\": \"state\"},\n", i)
	}
	head := "{\n  \"format\": \"timeline/v1\",\n  \"actors\": [\n" + actors.String()
	tests := []struct {
		name, file, where, message string
	}{
		{"MissingCommaBetweenElements", head + "    {\"slug\": \"b\", \"name\": \"B\", \"kind\": \"state\"}\n    {\"slug\": \"c\"}\n  ]\n}",
			"line 55, column 5", "expected comma after array element"},
		{"MissingCommaBetweenFields", `{"format": "timeline/v1" "title": "x"}`, "line 1, column 26", `invalid character '"' after object key:value pair`},
		{"MissingColon", "{\n  \"format\" \"timeline/v1\"\n}", "line 2, column 12", "expected colon after object key"},
		{"KeyNotAString", "{\n  [\n}", "line 2, column 3", "invalid character '['"},
		{"ControlCharacterInAKey", "{\"form\x01at\": 1}", "line 1, column 7", `invalid character '\x01' in string literal`},
		{"BrokenLiteral", "{\r\n  \"format\": tru\r\n}", "line 2, column 16", `invalid character '\r' in literal true`},
		{"ArrayClosedByABrace", `{"format": "timeline/v1", "actors": [}`, "line 1, column 38", "invalid character '}'"},
		// After many values the decoder's own count of what it has scanned
		// is far from the file offset.
		{"BadEscapeInALaterElement", head + "    {\"slug\": \"a\\q\"}\n  ]\n}", "line 54, column 17", "invalid character 'q' in string escape code"},
		{"BrokenValueInALaterElement", head + "    {\"slug\": \"x\", \"name\": nul}\n  ]\n}", "line 54, column 30", "invalid character '}' in literal null"},
	}
	readers := map[string]func(string) io.Reader{
		"Whole":   func(s string) io.Reader { return strings.NewReader(s) },
		"OneByte": func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
	}
	for _, tt := range tests {
		for how, reader := range readers {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				err := dataset.Scan(reader(tt.file), nil)
				var invalid *dataset.InvalidError
				if !errors.As(err, &invalid) || len(invalid.Problems) != 1 {
					t.Fatalf("err = %v, want one problem", err)
				}
				p := invalid.Problems[0]
				if p.Where != tt.where || !strings.Contains(p.Message, "not valid JSON: "+tt.message) {
					t.Errorf("problem = %q, want %q: not valid JSON: %s", p, tt.where, tt.message)
				}
			})
		}
	}
}

// stalled is a reader that never answers, as a pipe whose writer hangs.
type stalled struct{ unblock chan struct{} }

func (s stalled) Read([]byte) (int, error) { <-s.unblock; return 0, io.EOF }

// TestScanContextStops: a scan stops promptly once its context is done,
// also in the middle of a read that blocks (issue #17, finding 6).
func TestScanContextStops(t *testing.T) {
	s := stalled{unblock: make(chan struct{})}
	defer close(s.unblock)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	var r recorder
	err := dataset.ScanContext(ctx, io.MultiReader(strings.NewReader(`{"format": "timeline/v1", "actors": [`), s), &r)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the scan took %v to stop", d)
	}
}
