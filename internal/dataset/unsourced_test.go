package dataset_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// permissive collects a file's records, taking events with no source and
// events naming no actor.
func permissive() *dataset.Collector {
	return &dataset.Collector{Allow: timeline.Allowance{Unsourced: true, Unattributed: true}}
}

// claimSources is the first event's sources in valid.
const claimSources = `"sources": [{"source": "guardian", "quote": "an attempt on the president's life"}]`

func TestUnsourced(t *testing.T) {
	noSource := strings.Replace(valid, claimSources, `"sources": []`, 1)
	marked := strings.Replace(valid, claimSources, `"sources": [], "unsourced": true`, 1)
	markedButSourced := strings.Replace(valid, claimSources, claimSources+`, "unsourced": true`, 1)
	if noSource == valid || marked == valid || markedButSourced == valid {
		t.Fatal("the test file did not change")
	}

	problemOf := func(t *testing.T, err error) string {
		t.Helper()
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || invalid.Problems[0].Where != "event claim" {
			t.Fatalf("err = %v, want one problem of event claim", err)
		}
		return invalid.Problems[0].Message
	}

	t.Run("RefusedByDefault", func(t *testing.T) {
		for name, file := range map[string]string{"NoSource": noSource, "Marked": marked} {
			_, err := dataset.Read(strings.NewReader(file))
			if msg := problemOf(t, err); !strings.Contains(msg, "--allow-unsourced") || !strings.Contains(msg, "add a source") && !strings.Contains(msg, "add one") {
				t.Errorf("%s: the problem %q does not say what to add or how to allow it", name, msg)
			}
		}
	})
	t.Run("AllowedAndMarked", func(t *testing.T) {
		for name, file := range map[string]string{"NoSource": noSource, "Marked": marked} {
			p := permissive()
			if err := dataset.Scan(strings.NewReader(file), p); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := p.Events[0]; !got.Unsourced || len(got.Sources) != 0 {
				t.Errorf("%s: event claim Unsourced = %v with %d sources, want marked with none", name, got.Unsourced, len(got.Sources))
			}
			if p.Events[1].Unsourced {
				t.Errorf("%s: the sourced event is marked unsourced", name)
			}
		}
	})
	t.Run("MarkedButSourcedRefusedEvenAllowed", func(t *testing.T) {
		err := dataset.Scan(strings.NewReader(markedButSourced), permissive())
		if msg := problemOf(t, err); !strings.Contains(msg, `drop "unsourced"`) {
			t.Errorf("problem %q", msg)
		}
	})
	// The mark travels with the data: written out, it is read back only
	// where unsourced events are allowed.
	t.Run("WrittenWithTheMark", func(t *testing.T) {
		p := permissive()
		if err := dataset.Scan(strings.NewReader(noSource), p); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := dataset.Write(&out, &p.Dataset); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out.String(), `"unsourced": true`); n != 1 {
			t.Fatalf("the export marks %d events unsourced, want 1:\n%s", n, out.String())
		}
		if _, err := dataset.Read(bytes.NewReader(out.Bytes())); err == nil {
			t.Error("the export with an unsourced event read back without permission")
		}
		again := permissive()
		if err := dataset.Scan(bytes.NewReader(out.Bytes()), again); err != nil || !again.Events[0].Unsourced {
			t.Errorf("read back with permission: err = %v, unsourced = %v", err, again.Events[0].Unsourced)
		}
	})
}

// TestUnattributed: an event naming no actor is refused, saying how to name
// one or to allow it; allowed, it is marked, and the mark is written back,
// so that the file imports again only with leave.
func TestUnattributed(t *testing.T) {
	named := `"actors": [{"actor": "kremlin", "role": "speaker"}, {"actor": "ukraine", "role": "target"}]`
	none := strings.Replace(valid, named, `"actors": []`, 1)
	marked := strings.Replace(valid, named, `"actors": [], "unattributed": true`, 1)
	markedButNamed := strings.Replace(valid, named, named+`, "unattributed": true`, 1)
	if none == valid || marked == valid || markedButNamed == valid {
		t.Fatal("the test file did not change")
	}
	for name, file := range map[string]string{"NoActor": none, "Marked": marked} {
		_, err := dataset.Read(strings.NewReader(file))
		var invalid *dataset.InvalidError
		if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || !strings.Contains(invalid.Problems[0].Message, "--allow-unattributed") {
			t.Errorf("%s without leave: %v, want one problem saying how to allow it", name, err)
		}
		p := permissive()
		if err := dataset.Scan(strings.NewReader(file), p); err != nil {
			t.Fatalf("%s with leave: %v", name, err)
		}
		e := p.Events[0]
		if !e.Unattributed || len(e.Actors) != 0 {
			t.Errorf("%s with leave: unattributed %v, actors %v, want marked with none", name, e.Unattributed, e.Actors)
		}
		var out bytes.Buffer
		if err := dataset.Write(&out, &p.Dataset); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"unattributed": true`) {
			t.Errorf("%s: the written file does not carry the mark:\n%s", name, out.String())
		}
	}
	if err := dataset.Scan(strings.NewReader(markedButNamed), permissive()); err == nil {
		t.Error("an event marked unattributed that names actors was taken")
	}
}
