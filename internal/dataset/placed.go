package dataset

import (
	"errors"
	"io"
)

// ScanPlaced is Scan for a story file converted from another format (a
// TimelineJS file, a sheet): a problem the checks find in an event is
// placed where the event came from as well, by at, which maps an event
// problem's Where ("event SLUG") to its place there ("row 7").
func ScanPlaced(r io.Reader, h Handler, at map[string]string) error {
	err := Scan(r, h)
	var invalid *InvalidError
	if errors.As(err, &invalid) {
		for i, p := range invalid.Problems {
			if place, ok := at[p.Where]; ok {
				invalid.Problems[i].Where = place + " (" + p.Where + ")"
			}
		}
	}
	return err
}
