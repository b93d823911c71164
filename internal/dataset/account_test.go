package dataset_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
)

// withClaim replaces the first event's opening line in the valid file with
// fields of the test's.
func withClaim(fields string) string {
	return strings.Replace(valid, `"slug": "claim",`, `"slug": "claim", `+fields+`,`, 1)
}

// TestAccountAndInferredDate: an event known only through one party's
// account names that party, and a date the sources imply says so; both
// come back out of the writer as they went in.
func TestAccountAndInferredDate(t *testing.T) {
	in := withClaim(`"according_to": "kremlin", "when_inferred": true, "when_note": "The article dates the statement to Wednesday only by its own date line."`)
	ds, err := dataset.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	e := ds.Events[0]
	if e.AccordingTo.Slug != "kremlin" || !e.WhenInferred || !strings.HasPrefix(e.WhenNote, "The article dates") {
		t.Fatalf("read according to %q, inferred %v, note %q", e.AccordingTo.Slug, e.WhenInferred, e.WhenNote)
	}
	var out bytes.Buffer
	if err := dataset.Write(&out, ds); err != nil {
		t.Fatal(err)
	}
	again, err := dataset.Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	if a := again.Events[0]; a.AccordingTo.Slug != e.AccordingTo.Slug || a.WhenInferred != e.WhenInferred || a.WhenNote != e.WhenNote {
		t.Errorf("after a round trip: %q %v %q", a.AccordingTo.Slug, a.WhenInferred, a.WhenNote)
	}
	if ds.Events[1].AccordingTo.Slug != "" || ds.Events[1].WhenInferred {
		t.Error("an event without the fields has them")
	}
}

func TestAccountAndInferredDateProblems(t *testing.T) {
	tests := []struct {
		name, fields, want string
	}{
		{"AccountNotAnActorOfTheEvent", `"according_to": "someone-else"`, `according_to "someone-else" is not among the event's actors`},
		{"NoteWithoutInference", `"when_note": "a note"`, "set when_inferred to true"},
		{"InferenceWithoutNote", `"when_inferred": true`, "when_note is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.Read(strings.NewReader(withClaim(tt.fields)))
			var invalid *dataset.InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("err = %v, want an InvalidError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}
