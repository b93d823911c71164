// Package timelinejs reads and writes Knight Lab's TimelineJS 3 JSON, the
// format of the most used newsroom timeline tool. Reading turns a
// TimelineJS file into a story file of Timeline's own format, which the
// dataset package then validates and imports as any other: every problem at
// once, nothing written on error, the same file twice changing nothing.
// The problems only a TimelineJS file can have (an impossible date, a slide
// with no source) are found here and placed by their JSON path.
package timelinejs

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The TimelineJS 3 JSON format, as its documentation defines it
// (timeline.knightlab.com/docs/json-format.html). Fields Timeline has no
// place for (background, autolink, scale) are read and ignored.
type file struct {
	Title  *slide  `json:"title,omitempty"`
	Events []slide `json:"events"`
	Eras   []era   `json:"eras,omitempty"`
}

type slide struct {
	StartDate   *date  `json:"start_date,omitempty"`
	EndDate     *date  `json:"end_date,omitempty"`
	Text        *text  `json:"text,omitempty"`
	Media       *media `json:"media,omitempty"`
	Group       string `json:"group,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
	UniqueID    string `json:"unique_id,omitempty"`
}

type era struct {
	StartDate *date `json:"start_date"`
	EndDate   *date `json:"end_date"`
	Text      *text `json:"text,omitempty"`
}

type text struct {
	Headline string `json:"headline,omitempty"`
	Text     string `json:"text,omitempty"`
}

// media's url is always written, "" for a source known by its outlet
// alone: TimelineJS's documentation makes it required, and TimelineJS 3.9
// stops drawing the timeline at a media object without one.
type media struct {
	URL       string `json:"url"`
	Caption   string `json:"caption,omitempty"`
	Credit    string `json:"credit,omitempty"`
	Thumbnail string `json:"thumbnail,omitempty"`
}

// date is a TimelineJS date: each part is a number, or a string of one as
// files made from sheets have it; a part not given is nil.
type date struct {
	Year        *part  `json:"year,omitempty"`
	Month       *part  `json:"month,omitempty"`
	Day         *part  `json:"day,omitempty"`
	Hour        *part  `json:"hour,omitempty"`
	Minute      *part  `json:"minute,omitempty"`
	Second      *part  `json:"second,omitempty"`
	Millisecond *part  `json:"millisecond,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
}

// part is one part of a date, kept as written so that a wrong one is
// reported as the file has it.
type part struct{ raw string }

func (p *part) UnmarshalJSON(b []byte) error {
	if s, err := strconv.Unquote(string(b)); err == nil {
		p.raw = strings.TrimSpace(s)
		return nil
	}
	p.raw = string(b)
	return nil
}

func (p *part) MarshalJSON() ([]byte, error) {
	if n, err := strconv.Atoi(p.raw); err == nil {
		return []byte(strconv.Itoa(n)), nil
	}
	return json.Marshal(p.raw)
}

// given reports whether the part is there and not blank.
func (p *part) given() bool { return p != nil && p.raw != "" && p.raw != "null" }

func num(n int) *part { return &part{raw: strconv.Itoa(n)} }

// Detect reports whether the start of a JSON file is TimelineJS rather than
// Timeline's own format: its top-level keys are TimelineJS's ("events",
// "eras", "scale", or a "title" that is an object), with none of ours
// ("format", "actors", "sources") before them. head may be cut anywhere.
func Detect(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := tok.(string)
		switch key {
		case "format", "actors", "sources", "story":
			return false
		case "events", "eras", "scale":
			return true
		case "title":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return false
			}
			if len(raw) > 0 && raw[0] == '{' {
				return true
			}
			continue
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// quote quotes a value in a message, cut short.
func quote(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return strconv.Quote(s)
}
