package dataset_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
)

// FuzzRead feeds the reader arbitrary bytes: it must never panic, must
// answer a bad file with an *InvalidError, and what it accepts must survive
// a write and a second read unchanged.
func FuzzRead(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(`{"format": "timeline/v1", "actors": [], "sources": [], "events": []}`))
	f.Add([]byte(`{"format": "timeline/v1", "actors": [{"slug": "a"}], "sources": [], "events": [{"slug": "x", "answers": [{"event": "x"}]}]}`))
	f.Add([]byte("{\"format\": \"timeline/v1\", \"actors\": [,]\n}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := dataset.Read(bytes.NewReader(data))
		if err != nil {
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) || len(invalid.Problems) == 0 {
				t.Fatalf("a bad file gave %v, want an *InvalidError with problems", err)
			}
			return
		}
		var once, twice bytes.Buffer
		if err := dataset.Write(&once, ds); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.Read(bytes.NewReader(once.Bytes()))
		if err != nil {
			t.Fatalf("what Write wrote does not read back: %v\n%s", err, once.Bytes())
		}
		if err := dataset.Write(&twice, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("write → read → write changed the file:\n%s\n---\n%s", once.Bytes(), twice.Bytes())
		}
	})
}
