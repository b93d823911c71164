package follow

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// The bounds of a configuration.
const (
	// MaxSheets bounds the sheets one server follows: each is fetched in
	// turn, and each is a label value of the metrics.
	MaxSheets = 100
	// MinInterval is the shortest interval between two fetches of a
	// sheet: kinder to the sheet's host than an editor's wish for speed.
	MinInterval = time.Minute
	// maxConfig bounds the configuration file.
	maxConfig = 1 << 20
)

// Sheet is one followed sheet: a story's file at an address, fetched every
// Interval, imported into Story.
type Sheet struct {
	Story    string
	URL      string
	Interval time.Duration
	// AllowUnsourced takes rows with no source, marked unsourced, and
	// AllowUnattributed rows naming no actor, marked unattributed, as
	// timeline import --allow-unsourced and --allow-unattributed do.
	AllowUnsourced, AllowUnattributed bool
}

type sheetJSON struct {
	Story             string `json:"story"`
	URL               string `json:"url"`
	Interval          string `json:"interval"`
	AllowUnsourced    bool   `json:"allow_unsourced"`
	AllowUnattributed bool   `json:"allow_unattributed"`
}

// ReadConfig reads a configuration: a JSON list of sheets,
//
//	[{"story": "drones", "url": "https://…/pub?output=csv", "interval": "5m", "allow_unsourced": false}]
//
// and reports every problem in it at once.
func ReadConfig(r io.Reader) ([]Sheet, error) {
	dec := json.NewDecoder(io.LimitReader(r, maxConfig))
	dec.DisallowUnknownFields()
	var list []sheetJSON
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("follow: the configuration is not a JSON list of sheets ({\"story\", \"url\", \"interval\", \"allow_unsourced\"}): %w", err)
	}
	var problems []string
	add := func(i int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("sheet #%d: ", i+1)+fmt.Sprintf(format, args...))
	}
	if len(list) > MaxSheets {
		problems = append(problems, fmt.Sprintf("%d sheets: a server follows at most %d", len(list), MaxSheets))
		list = list[:MaxSheets]
	}
	sheets := make([]Sheet, 0, len(list))
	stories := map[string]bool{}
	for i, s := range list {
		if !timeline.ValidSlug(s.Story) {
			add(i, "story %q must be a story's slug: lowercase letters, digits and single hyphens", s.Story)
		} else if stories[s.Story] {
			add(i, "story %q is followed twice: a story has one sheet", s.Story)
		}
		stories[s.Story] = true
		if !timeline.WebURL(s.URL) {
			add(i, "url must be an absolute http or https address")
		}
		interval, err := time.ParseDuration(s.Interval)
		switch {
		case err != nil:
			add(i, "interval %q is not a duration such as \"5m\" or \"1h\"", s.Interval)
		case interval < MinInterval:
			add(i, "interval %s is shorter than the shortest, %s", interval, MinInterval)
		}
		sheets = append(sheets, Sheet{Story: s.Story, URL: s.URL, Interval: interval, AllowUnsourced: s.AllowUnsourced, AllowUnattributed: s.AllowUnattributed})
	}
	if len(problems) > 0 {
		return nil, errors.New("follow: the configuration has problems:\n  " + strings.Join(problems, "\n  "))
	}
	return sheets, nil
}
