// Package dataset reads and writes the editorial file format: one JSON
// document holding a story's actors, sources and events, written by hand or
// exported from a database. Read reports every problem in a file at once.
package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Format is the value of the "format" key this package writes: one story,
// named by the "story" key.
const Format = "timeline/v2"

// FormatV1 is the first format, which this package still reads: a file of
// one story that does not name it (Handler.Story gets slug "").
const FormatV1 = "timeline/v1"

type fileJSON struct {
	Format      string       `json:"format"`
	Story       string       `json:"story,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Actors      []actorJSON  `json:"actors"`
	Sources     []sourceJSON `json:"sources"`
	Events      []eventJSON  `json:"events"`
}

type actorJSON struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Country     string `json:"country,omitempty"`
	Description string `json:"description,omitempty"`
}

type sourceJSON struct {
	Key       string `json:"key"`
	Outlet    string `json:"outlet"`
	URL       string `json:"url,omitempty"`
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	Via       string `json:"via,omitempty"`
}

// eventJSON is an event of the file. Its former slugs are oldest first, as
// an export writes them: an import that adds the event takes the first as
// the slug it was first published under, the id of its feed entries.
type eventJSON struct {
	Slug        string           `json:"slug"`
	FormerSlugs []string         `json:"former_slugs,omitempty"`
	Title       string           `json:"title"`
	Summary     string           `json:"summary"`
	Body        string           `json:"body,omitempty"`
	Kind        string           `json:"kind"`
	When        string           `json:"when"`
	Until       string           `json:"until,omitempty"`
	Zone        string           `json:"zone"`
	Location    string           `json:"location,omitempty"`
	AccordingTo string           `json:"according_to,omitempty"`
	WhenInfer   bool             `json:"when_inferred,omitempty"`
	WhenNote    string           `json:"when_note,omitempty"`
	DisplayDate string           `json:"display_date,omitempty"`
	Actors      []eventActorJSON `json:"actors"`
	Sources     []citationJSON   `json:"sources"`
	// Unsourced marks an event imported with no source, Unattributed one
	// naming no actor (see Allower): a file that holds one imports only
	// where such events are allowed.
	Unsourced    bool         `json:"unsourced,omitempty"`
	Unattributed bool         `json:"unattributed,omitempty"`
	Answers      []answerJSON `json:"answers,omitempty"`
	// Added and Changed are when the archive the file was exported from
	// first had the event and last changed it (RFC 3339, UTC), so that an
	// archive moved by export and import keeps its feeds' dates.
	Added   string `json:"added,omitempty"`
	Changed string `json:"changed,omitempty"`
}

// stampLayout is the written form of Added and Changed.
const stampLayout = time.RFC3339

// stamp is t in its written form; "" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(stampLayout)
}

type eventActorJSON struct {
	Actor string `json:"actor"`
	Role  string `json:"role"`
}

type citationJSON struct {
	Source string `json:"source"`
	Quote  string `json:"quote,omitempty"`
}

type answerJSON struct {
	Event string `json:"event"`
	Type  string `json:"type"`
}

// Problem is one thing wrong with a file: where it is and what is wrong.
type Problem struct {
	Where   string // "event kirby-ludicrous", "actor #3", "line 12, column 5"
	Message string
}

func (p Problem) String() string { return p.Where + ": " + p.Message }

// InvalidError lists every problem found in a file.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the file has %d problem(s):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Write writes ds in the file format.
func Write(w io.Writer, ds *timeline.Dataset) error {
	sw := NewWriter(w)
	if err := sw.Story(ds.Slug, ds.Title, ds.Description); err != nil {
		return err
	}
	for _, a := range ds.Actors {
		if err := sw.Actor(a); err != nil {
			return err
		}
	}
	for _, s := range ds.Sources {
		if err := sw.Source(s); err != nil {
			return err
		}
	}
	for i := range ds.Events {
		if err := sw.Event(&ds.Events[i]); err != nil {
			return err
		}
	}
	return sw.Close()
}

// Writer writes a file one record at a time, so that a large export or a
// generated archive never has to sit in memory whole. Records go in the
// file's order: the story, actors, sources, events. A Writer is a Handler,
// so what Scan reads can be written back as it is read. The output has two-space
// indents and fields in a fixed order, so that it is stable and diffs well.
type Writer struct {
	bw      *bufio.Writer
	scratch bytes.Buffer
	enc     *json.Encoder // encodes into scratch
	section int           // index in sections of the array being written, -1 before the first
	first   bool          // no element written yet in the current array
	started bool          // the header is written
	err     error
}

// sections are the file's arrays, in the order they are written.
var sections = []string{"actors", "sources", "events"}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer {
	sw := &Writer{bw: bufio.NewWriterSize(w, 64<<10), section: -1}
	sw.enc = json.NewEncoder(&sw.scratch)
	sw.enc.SetEscapeHTML(false)
	sw.enc.SetIndent("    ", "  ")
	return sw
}

// Story writes the file's header; it comes first, or not at all for a
// story with no slug, title or description. A story without a slug is
// written in the first format, which does not name it.
func (sw *Writer) Story(slug, title, description string) error {
	if sw.started {
		return fmt.Errorf("write dataset: the story is written once, first")
	}
	sw.started = true
	sw.write("{\n  \"format\": ")
	if slug == "" {
		sw.value(FormatV1) // a story without a slug is written as it was read
	} else {
		sw.value(Format)
		sw.write(",\n  \"story\": ")
		sw.value(slug)
	}
	if title != "" {
		sw.write(",\n  \"title\": ")
		sw.value(title)
	}
	if description != "" {
		sw.write(",\n  \"description\": ")
		sw.value(description)
	}
	return sw.err
}

func (sw *Writer) write(s string) {
	if sw.err == nil {
		_, sw.err = sw.bw.WriteString(s)
	}
}

// value writes v as JSON, with no trailing newline.
func (sw *Writer) value(v any) {
	if sw.err != nil {
		return
	}
	sw.scratch.Reset()
	if sw.err = sw.enc.Encode(v); sw.err == nil {
		_, sw.err = sw.bw.Write(bytes.TrimSuffix(sw.scratch.Bytes(), []byte("\n")))
	}
}

// enter moves on to the named array, closing the ones before it; an array
// with nothing in it is still written, as [].
func (sw *Writer) enter(section string) error {
	if !sw.started {
		sw.Story("", "", "")
	}
	target := slices.Index(sections, section)
	if target < sw.section {
		return fmt.Errorf("write dataset: %s written after %s", section, sections[sw.section])
	}
	for sw.section < target {
		if sw.section >= 0 {
			sw.closeArray()
		}
		sw.section++
		sw.write(",\n  \"" + sections[sw.section] + "\": [")
		sw.first = true
	}
	return sw.err
}

func (sw *Writer) closeArray() {
	if sw.first {
		sw.write("]")
	} else {
		sw.write("\n  ]")
	}
}

func (sw *Writer) element(section string, v any) error {
	if err := sw.enter(section); err != nil {
		return err
	}
	if sw.first {
		sw.write("\n    ")
	} else {
		sw.write(",\n    ")
	}
	sw.first = false
	sw.value(v)
	return sw.err
}

// Actor writes an actor.
func (sw *Writer) Actor(a timeline.Actor) error {
	return sw.element("actors", actorJSON{Slug: a.Slug, Name: a.Name, Kind: string(a.Kind), Country: a.Country, Description: a.Description})
}

// Source writes a source.
func (sw *Writer) Source(s timeline.Source) error {
	return sw.element("sources", sourceJSON{Key: s.Key, Outlet: s.Outlet, URL: s.URL, Title: s.Title, Published: s.Published, Via: s.Via})
}

// Event writes an event.
func (sw *Writer) Event(e *timeline.Event) error {
	ej := eventJSON{Slug: e.Slug, FormerSlugs: e.FormerSlugs, Title: e.Title, Summary: e.Summary, Body: e.Body,
		Kind: string(e.Kind), When: e.When.Text(), Until: e.Until.Text(), Zone: e.When.Zone(), Location: e.Location,
		AccordingTo: e.AccordingTo.Slug, WhenInfer: e.WhenInferred, WhenNote: e.WhenNote, DisplayDate: e.DisplayDate,
		Actors: []eventActorJSON{}, Sources: []citationJSON{}, Unsourced: e.Unsourced, Unattributed: e.Unattributed,
		Added: stamp(e.Added), Changed: stamp(e.Changed)}
	for _, a := range e.Actors {
		ej.Actors = append(ej.Actors, eventActorJSON{Actor: a.Actor.Slug, Role: string(a.Role)})
	}
	for _, c := range e.Sources {
		ej.Sources = append(ej.Sources, citationJSON{Source: c.Source.Key, Quote: c.Quote})
	}
	for _, r := range e.Answers {
		ej.Answers = append(ej.Answers, answerJSON{Event: r.Event.Slug, Type: string(r.Type)})
	}
	return sw.element("events", ej)
}

// Close ends the file and flushes it.
func (sw *Writer) Close() error {
	if err := sw.enter("events"); err != nil {
		return err
	}
	sw.closeArray()
	sw.write("\n}\n")
	if sw.err != nil {
		return fmt.Errorf("write dataset: %w", sw.err)
	}
	if err := sw.bw.Flush(); err != nil {
		return fmt.Errorf("write dataset: %w", err)
	}
	return nil
}
