package sheet

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
)

// FuzzConvert: whatever a sheet holds, converting it either refuses it with
// problems, writing nothing, or writes a story file whose checks, placed
// back in the sheet, give problems or nothing; it never panics.
func FuzzConvert(f *testing.F) {
	src, err := os.ReadFile("testdata/small.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	f.Add([]byte("Event,Title\nx,\"a\nb\"\nActor,Name\n,\nEvent,x\n"))
	f.Add([]byte("Source,Outlet\nk,K\nEvent,Sources,Actors,Answers,When,Zone\ne,\"k:\nk: q\n\nmore\",(,( speaker),2023-02-29T25,Europe/Nowhere\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sheet, err := cells.ReadCSV(bytes.NewReader(src))
		var invalid *dataset.InvalidError
		if err != nil {
			if !errors.As(err, &invalid) {
				t.Fatalf("not a list of problems: %v", err)
			}
			return
		}
		var out bytes.Buffer
		at, err := Convert([]cells.Sheet{*sheet}, &out)
		switch {
		case errors.As(err, &invalid):
			if out.Len() != 0 {
				t.Fatalf("a refused sheet wrote %q", out.String())
			}
		case err != nil:
			t.Fatalf("not a list of problems: %v", err)
		default:
			if err := dataset.ScanPlaced(&out, nil, at); err != nil && !errors.As(err, &invalid) {
				t.Fatalf("the converted file: %v", err)
			}
		}
	})
}
