package timelinejs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
)

// FuzzConvert: whatever a TimelineJS file or sheet holds, converting it
// either refuses it with problems or writes a story file that the story
// format's own checks read, and never panics.
func FuzzConvert(f *testing.F) {
	for _, name := range []string{"testdata/kremlin-drones.json", "testdata/kremlin-drones.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(slideFile(`"start_date": {"year": "2023", "month": 2, "day": "29", "hour": -1}`))
	f.Add([]byte(header + `2023,5,3,25:00 PM,,,,,,<a href="x">,"=1",,@x,,,era,,` + "\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, convert := range []func(io.Reader, io.Writer) error{Convert, ConvertCSV} {
			var out bytes.Buffer
			err := convert(bytes.NewReader(src), &out)
			var invalid *dataset.InvalidError
			switch {
			case errors.As(err, &invalid):
				if out.Len() != 0 {
					t.Fatalf("a refused file wrote %q", out.String())
				}
			case err != nil:
				t.Fatalf("not a list of problems: %v", err)
			default:
				if err := dataset.Scan(&out, nil); err != nil && !errors.As(err, &invalid) {
					t.Fatalf("the converted file: %v", err)
				}
			}
		}
	})
}
