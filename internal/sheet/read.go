package sheet

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// maxProblems bounds the problems listed, as the dataset package does.
const maxProblems = 1000

// ScanCSV reads the template as CSV into h, as dataset.Scan reads a story
// file, with the same checks and guarantees: every problem at once, each
// placed by row and column, and h called only for a sheet with none.
func ScanCSV(r io.Reader, h dataset.Handler) error {
	sheet, err := cells.ReadCSV(r)
	if err != nil {
		return err
	}
	return ScanBook([]cells.Sheet{*sheet}, h)
}

// ScanXLSX is ScanCSV for the template as an XLSX workbook, placing
// problems by sheet too.
func ScanXLSX(r io.Reader, h dataset.Handler) error {
	book, err := cells.ReadXLSX(r)
	if err != nil {
		return err
	}
	return ScanBook(book, h)
}

// ScanBook is ScanXLSX for a workbook already read. A row with an empty
// Sources cell is refused unless h takes events with no source, and one
// with an empty Actors cell unless h takes events naming no actor
// (dataset.Allows); then it is marked so.
func ScanBook(book []cells.Sheet, h dataset.Handler) error {
	var converted bytes.Buffer
	at, err := convert(book, &converted, dataset.Allows(h))
	if err != nil {
		return err
	}
	return dataset.ScanPlaced(&converted, h, at)
}

// Convert writes the template's tables to w as a story file, and returns
// where each actor, source and event came from, keyed by the Where the
// dataset package gives their problems ("event SLUG"). A sheet with
// problems writes nothing and returns a *dataset.InvalidError listing
// every one. A row with no source or no actor is one of them.
func Convert(book []cells.Sheet, w io.Writer) (map[string]string, error) {
	return convert(book, w, timeline.Allowance{})
}

func convert(book []cells.Sheet, w io.Writer, allow timeline.Allowance) (map[string]string, error) {
	c := &converter{at: map[string]string{}, allow: allow}
	ds := c.dataset(book)
	if len(c.problems) > 0 {
		if c.more > 0 {
			c.problems = append(c.problems, dataset.Problem{Where: "file", Message: fmt.Sprintf("and %d more problems", c.more)})
		}
		return nil, &dataset.InvalidError{Problems: c.problems}
	}
	return c.at, dataset.Write(w, ds)
}

type converter struct {
	problems []dataset.Problem
	more     int
	at       map[string]string // "event SLUG" → "row 7"
	// allow is what the import takes that it refuses by default: a row
	// with no source, or naming no actor, marked so.
	allow timeline.Allowance

	actors        map[string]bool     // the slugs of the Actors table
	actorsByName  map[string][]string // name, in lower case → slugs
	sources       map[string]bool     // the keys of the Sources table
	sourcesByName map[string][]string // outlet, in lower case → keys
}

func (c *converter) add(where, format string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.more++
		return
	}
	c.problems = append(c.problems, dataset.Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

// row is one row of a table, with what places its cells.
type row struct {
	sheet  *cells.Sheet
	n      int // as a spreadsheet counts, from 1
	cells  []string
	header map[string]int
}

func (r row) cell(column string) string {
	i, ok := r.header[column]
	if !ok {
		return ""
	}
	return cells.Cell(r.cells, i)
}

func (r row) at(column string) string { return cells.Place(r.sheet.Name, r.n, column) }

// date is a cell's value as a date, where a spreadsheet program made one of
// what was typed (see cells.Sheet.Numbers).
func (r row) date(column string) (time.Time, bool) {
	i, ok := r.header[column]
	if !ok {
		return time.Time{}, false
	}
	return r.sheet.Date(r.n-1, i)
}

// lines are a cell's lines with something on them.
func lines(cell string) []string {
	var out []string
	for line := range strings.SplitSeq(cell, "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	return out
}

// tables sorts the rows of every sheet into the tables their headers start.
func (c *converter) tables(book []cells.Sheet) map[*table][]row {
	out := map[*table][]row{}
	seen := map[*table]string{}
	for s := range book {
		sheet := &book[s]
		var current *table
		var header map[string]int
		var outside []row // rows before the sheet's first table
		for i, cellsOf := range sheet.Rows {
			r := row{sheet: sheet, n: i + 1, cells: cellsOf}
			if cells.Empty(cellsOf) {
				continue
			}
			if t := headerOf(cellsOf); t != nil {
				if first, twice := seen[t]; twice {
					c.add(r.at(""), "starts a second %s table (the first starts at %s): a sheet has one", t.name, first)
				}
				seen[t] = r.at("")
				current, header = t, cells.Header(cellsOf)
				for _, name := range t.required {
					if _, ok := header[name]; !ok {
						c.add(r.at(""), "the %s table has no column %s: its header is %s", t.name, strconv.Quote(name), strings.Join(t.columns, ", "))
					}
				}
				continue
			}
			if current == nil {
				outside = append(outside, r)
				continue
			}
			r.header = header
			out[current] = append(out[current], r)
		}
		if len(outside) > 0 {
			more := ""
			switch n := len(outside) - 1; {
			case n == 1:
				more = " (nor is the row after it)"
			case n > 1:
				more = fmt.Sprintf(" (nor are the %d rows after it)", n)
			}
			c.add(outside[0].at(""), "is not in a table%s: a table starts with its header row, whose first cell is %s", more, firstColumns())
		}
	}
	if _, ok := seen[&eventTable]; !ok {
		c.add("file", "has no Events table: its header row starts with %s", strconv.Quote(colEvent))
	}
	return out
}

func firstColumns() string {
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = strconv.Quote(t.columns[0])
	}
	return strings.Join(names, ", ")
}

// dataset reads the tables into a story, the Actors and Sources tables
// before the events that name their rows.
func (c *converter) dataset(book []cells.Sheet) *timeline.Dataset {
	ds := &timeline.Dataset{}
	rows := c.tables(book)
	c.story(ds, rows[&storyTable])
	c.actorRows(ds, rows[&actorTable])
	c.sourceRows(ds, rows[&sourceTable])
	c.eventRows(ds, rows[&eventTable])
	return ds
}

func (c *converter) story(ds *timeline.Dataset, rows []row) {
	for i, r := range rows {
		if i > 0 {
			c.add(r.at(""), "is a second row of the Story table: it has one, for the story")
			continue
		}
		ds.Slug, ds.Title, ds.Description = r.cell(colStory), r.cell(colTitle), r.cell(colDescription)
		if ds.Slug != "" && !timeline.ValidSlug(ds.Slug) {
			c.add(r.at(colStory), "%s is not a slug: write the story's short name in lower-case letters, digits and single hyphens", quote(ds.Slug))
		}
	}
}

func (c *converter) actorRows(ds *timeline.Dataset, rows []row) {
	c.actors, c.actorsByName = map[string]bool{}, map[string][]string{}
	for _, r := range rows {
		a := timeline.Actor{Slug: r.cell(colActor), Name: r.cell(colName), Kind: timeline.ActorKind(r.cell(colKind)),
			Country: r.cell(colCountry), Description: r.cell(colDescription)}
		if c.slug(r, colActor, a.Slug, c.actors[a.Slug]) {
			c.at["actor "+a.Slug] = r.at("")
		}
		if a.Name == "" {
			c.add(r.at(colName), "is empty: every actor has a name")
		}
		if !a.Kind.Valid() {
			c.add(r.at(colKind), "%s is not a kind of actor (want one of %s)", quote(string(a.Kind)), list(timeline.ActorKinds))
		}
		ds.Actors = append(ds.Actors, a)
		c.actors[a.Slug] = true
		name := strings.ToLower(a.Name)
		c.actorsByName[name] = append(c.actorsByName[name], a.Slug)
	}
}

func (c *converter) sourceRows(ds *timeline.Dataset, rows []row) {
	c.sources, c.sourcesByName = map[string]bool{}, map[string][]string{}
	for _, r := range rows {
		s := timeline.Source{Key: r.cell(colSource), Outlet: r.cell(colOutlet), URL: r.cell(colURL), Title: r.cell(colTitle),
			Published: r.cell(colPublished), Via: r.cell(colVia)}
		// A date a spreadsheet program made of a typed one is a day, which
		// is what Published holds.
		if t, ok := r.date(colPublished); ok && t.Hour() == 0 && t.Minute() == 0 {
			s.Published = t.Format("2006-01-02")
		}
		if c.slug(r, colSource, s.Key, c.sources[s.Key]) {
			c.at["source "+s.Key] = r.at("")
		}
		if s.Outlet == "" {
			c.add(r.at(colOutlet), "is empty: every source has an outlet, who published it")
		}
		if s.URL != "" && !timeline.WebURL(s.URL) {
			c.add(r.at(colURL), "%s is not an http or https address", quote(s.URL))
		}
		if s.Published != "" {
			if _, err := time.Parse("2006-01-02", s.Published); err != nil {
				c.add(r.at(colPublished), "%s is not a date: write it as YYYY-MM-DD, such as 2023-05-04", quote(s.Published))
			}
		}
		ds.Sources = append(ds.Sources, s)
		c.sources[s.Key] = true
		outlet := strings.ToLower(s.Outlet)
		c.sourcesByName[outlet] = append(c.sourcesByName[outlet], s.Key)
	}
	for i, r := range rows {
		if via := ds.Sources[i].Via; via != "" && !c.sources[via] {
			c.add(r.at(colVia), "%s is not the key of a row of the Sources table", quote(via))
		}
	}
}

func (c *converter) eventRows(ds *timeline.Dataset, rows []row) {
	events := map[string]string{} // slug → its row
	var answers []answerAt
	for _, r := range rows {
		e, as := c.event(r, events)
		ds.Events = append(ds.Events, *e)
		answers = append(answers, as...)
	}
	if len(rows) == 0 && len(c.problems) == 0 {
		c.add("file", "has no events: a timeline needs at least one")
	}
	for _, a := range answers {
		if _, ok := events[a.event]; !ok {
			c.add(a.where, "%s is not the Event of any row: an answer names the event it answers by its slug", quote(a.event))
		}
	}
}

// answerAt is an answer's event, with where it is named, for the check
// that needs every row.
type answerAt struct{ event, where string }

// slug checks a row's slug or key and reports whether it is a good one.
func (c *converter) slug(r row, column, slug string, taken bool) bool {
	switch {
	case slug == "":
		c.add(r.at(column), "is empty: every row has a slug, its short name in lower-case letters, digits and hyphens")
	case !timeline.ValidSlug(slug):
		c.add(r.at(column), "%s is not a slug: use lower-case letters, digits and single hyphens, at most 120", quote(slug))
	case taken:
		c.add(r.at(column), "%s is used twice: each row's slug is its own", quote(slug))
	default:
		return true
	}
	return false
}

func (c *converter) event(r row, events map[string]string) (*timeline.Event, []answerAt) {
	e := &timeline.Event{Slug: r.cell(colEvent), Title: r.cell(colTitle), Summary: r.cell(colSummary), Body: r.cell(colBody),
		Kind: timeline.EventKind(r.cell(colKind)), Location: r.cell(colLocation), DisplayDate: r.cell(colDisplayDate),
		WhenNote: r.cell(colWhenNote), Actors: []timeline.EventActor{}, Sources: []timeline.Citation{}}
	if first, taken := events[e.Slug]; taken && e.Slug != "" {
		c.add(r.at(colEvent), "%s is used twice (first at %s): each event's slug is its own", quote(e.Slug), first)
	} else if c.slug(r, colEvent, e.Slug, false) {
		events[e.Slug] = r.at("")
		c.at["event "+e.Slug] = r.at("")
	}
	if e.Title == "" {
		c.add(r.at(colTitle), "is empty: every event has a title")
	}
	if e.Summary == "" {
		c.add(r.at(colSummary), "is empty: every event has a summary, shown under its title")
	}
	if !e.Kind.Valid() {
		c.add(r.at(colKind), "%s is not a kind of event (want one of %s)", quote(string(e.Kind)), list(timeline.EventKinds))
	}
	e.When, e.Until = c.when(r)
	switch inferred := strings.ToLower(r.cell(colWhenInferred)); inferred {
	case "yes", "true", "y", "x":
		e.WhenInferred = true
	case "", "no", "false", "n":
	default:
		c.add(r.at(colWhenInferred), "%s is neither yes nor no: write yes when the sources imply the date rather than state it, or leave it empty", quote(inferred))
	}
	e.FormerSlugs = lines(r.cell(colFormerSlugs))
	for i, s := range e.FormerSlugs {
		e.FormerSlugs[i] = strings.TrimSpace(s)
	}

	roles := map[string]bool{}
	for _, line := range lines(r.cell(colActors)) {
		line = strings.TrimSpace(line)
		if _, whole := c.actor(line, "", false); whole {
			c.add(r.at(colActors), "%s has no role: write it as %s (speaker), with one of %s", quote(line), line, list(timeline.Roles))
			continue
		}
		ref, role, ok := qualified(line)
		if !ok {
			c.add(r.at(colActors), "%s is not an actor of the Actors table with its role: write %s", quote(line), actorsNotation)
			continue
		}
		slug, found := c.actor(ref, r.at(colActors), true)
		if !timeline.Role(role).Valid() {
			c.add(r.at(colActors), "%s: %s is not a role (want one of %s)", quote(ref), quote(role), list(timeline.Roles))
		}
		if !found {
			continue
		}
		if roles[slug] {
			c.add(r.at(colActors), "%s is named twice: an actor has one role in an event", quote(ref))
		}
		roles[slug] = true
		e.Actors = append(e.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: timeline.Role(role)})
	}
	switch {
	case r.cell(colActors) != "":
	case c.allow.Unattributed:
		e.Unattributed = true
	default:
		c.add(r.at(colActors), "is empty: name who did or said it, %s; or import with --allow-unattributed to publish it marked as naming no one", actorsNotation)
	}
	if ref := r.cell(colAccordingTo); ref != "" {
		if slug, found := c.actor(ref, r.at(colAccordingTo), true); found {
			e.AccordingTo = timeline.Actor{Slug: slug}
			if !roles[slug] {
				c.add(r.at(colAccordingTo), "%s is not among the event's actors: name them in the Actors column too", quote(ref))
			}
		}
	}

	e.Sources = c.citations(r)
	switch {
	case r.cell(colSources) != "":
	case c.allow.Unsourced:
		e.Unsourced = true
	default:
		c.add(r.at(colSources), "is empty: every event needs a source; add one in the Sources column, %s; or import with --allow-unsourced to publish it marked unsourced", sourcesNotation)
	}

	var answers []answerAt
	for _, line := range lines(r.cell(colAnswers)) {
		ref, typ, ok := qualified(line)
		switch {
		case !ok:
			c.add(r.at(colAnswers), "%s has no type: write it as %s (denies), with one of %s", quote(ref), ref, list(timeline.AnswerTypes))
			continue
		case !timeline.AnswerType(typ).Valid():
			c.add(r.at(colAnswers), "%s: %s is not a type of answer (want one of %s)", quote(ref), quote(typ), list(timeline.AnswerTypes))
		}
		answers = append(answers, answerAt{event: ref, where: r.at(colAnswers)})
		e.Answers = append(e.Answers, timeline.Answer{Type: timeline.AnswerType(typ), Event: timeline.EventRef{Slug: ref}})
	}
	return e, answers
}

// qualified splits "Name (role)" into its name and what the brackets hold.
func qualified(line string) (ref, qualifier string, ok bool) {
	line = strings.TrimSpace(line)
	open := strings.LastIndex(line, "(")
	if !strings.HasSuffix(line, ")") || open < 0 {
		return line, "", false
	}
	return strings.TrimSpace(line[:open]), strings.TrimSpace(line[open+1 : len(line)-1]), true
}

// actor finds the actor a cell names, by slug or else by name; report says
// whether one not found is a problem.
func (c *converter) actor(ref, where string, report bool) (string, bool) {
	if c.actors[ref] {
		return ref, true
	}
	switch slugs := c.actorsByName[strings.ToLower(ref)]; {
	case len(slugs) == 1:
		return slugs[0], true
	case len(slugs) > 1 && report:
		c.add(where, "%s is the name of %d actors (%s): write the slug of the one meant", quote(ref), len(slugs), strings.Join(slugs, ", "))
	case report:
		c.add(where, "%s is not an actor: add a row for it to the Actors table, or write the name or slug of one there", quote(ref))
	}
	return "", false
}

// source finds the source a reference names, by key or else by outlet,
// when only one source has that outlet.
func (c *converter) source(ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if c.sources[ref] {
		return ref, true
	}
	if keys := c.sourcesByName[strings.ToLower(ref)]; len(keys) == 1 {
		return keys[0], true
	}
	return "", false
}

// citations reads the Sources cell: a line that names a source, alone or
// before a colon and its quote, starts a citation; any other line goes on
// with the quote before it.
func (c *converter) citations(r row) []timeline.Citation {
	out := []timeline.Citation{}
	for line := range strings.SplitSeq(r.cell(colSources), "\n") {
		if key, ok := c.source(line); ok {
			out = append(out, timeline.Citation{Source: timeline.Source{Key: key}})
			continue
		}
		if key, quote, ok := c.sourceAndQuote(line); ok {
			out = append(out, timeline.Citation{Source: timeline.Source{Key: key}, Quote: quote})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].Quote += "\n" + line
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		ref, _, _ := strings.Cut(line, ":")
		c.add(r.at(colSources), "%s is not a source: write %s", quote(ref), sourcesNotation)
		return out
	}
	return out
}

// sourceAndQuote splits "key: quote" at the first colon after which the
// text before it names a source.
func (c *converter) sourceAndQuote(line string) (key, quote string, ok bool) {
	for i := 0; i < len(line); i++ {
		if line[i] != ':' {
			continue
		}
		if key, ok := c.source(line[:i]); ok {
			return key, strings.TrimPrefix(line[i+1:], " "), true
		}
	}
	return "", "", false
}

// when reads the When, Until and Zone cells, placing each problem at its
// cell and saying in words what is wrong with a date.
func (c *converter) when(r row) (when, until timeline.When) {
	zone := r.cell(colZone)
	if zone == "" {
		c.add(r.at(colZone), "is empty: give the time zone of the place where it happened, an IANA name such as Europe/Moscow (or UTC)")
		return
	}
	if _, err := timeline.ParseWhen("2000", zone); err != nil {
		c.add(r.at(colZone), "%s is not a time zone: give an IANA name such as Europe/Moscow (or UTC)", quote(zone))
		return
	}
	read := func(column string) (timeline.When, bool) {
		text := r.cell(column)
		w, err := timeline.ParseWhen(text, zone)
		if t, converted := r.date(column); err != nil && converted {
			// Its precision is lost: a month typed in became its first day.
			typed := t.Format("2006-01-02")
			if t.Hour() != 0 || t.Minute() != 0 {
				typed = t.Format("2006-01-02T15:04")
			}
			c.add(r.at(column), "%s is a date the spreadsheet program made of what was typed: format the %s column as text, and type the date as %s (or as %s or %s, when the sources say no more)",
				quote(text), column, typed, t.Format("2006-01"), t.Format("2006"))
			return w, false
		}
		if err != nil {
			c.add(r.at(column), "%s", dateWords(text, err))
			return w, false
		}
		return w, true
	}
	if r.cell(colWhen) == "" {
		c.add(r.at(colWhen), "is empty: every event has a date, at least its year (2023, 2023-05, 2023-05-03, 2023-05-03 early-hours, 2023-05-03T14:30)")
		return
	}
	when, ok := read(colWhen)
	if r.cell(colUntil) == "" || !ok {
		return when, until
	}
	if until, ok = read(colUntil); ok && (!until.Start.After(when.Start) || until.End().Before(when.End())) {
		c.add(r.at(colUntil), "%s is not after the When %s", quote(r.cell(colUntil)), quote(r.cell(colWhen)))
	}
	return when, until
}

// dateWords says what is wrong with a date that does not parse: a month
// of 13 or a 31 February in words, or else the parser's own message.
func dateWords(text string, err error) string {
	date, _, _ := strings.Cut(text, " ")
	date, _, _ = strings.Cut(date, "T")
	parts := strings.Split(date, "-")
	if len(parts) >= 2 && len(parts) <= 3 {
		year, errYear := strconv.Atoi(parts[0])
		month, errMonth := strconv.Atoi(parts[1])
		switch {
		case errYear == nil && errMonth == nil && (month < 1 || month > 12):
			return fmt.Sprintf("%s: there is no month %d (a month is 01 to 12)", quote(text), month)
		case errYear == nil && errMonth == nil && len(parts) == 3:
			day, errDay := strconv.Atoi(parts[2])
			if last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day(); errDay == nil && (day < 1 || day > last) {
				return fmt.Sprintf("%s: %s %d has no day %d (it has %d)", quote(text), time.Month(month), year, day, last)
			}
		}
	}
	return err.Error()
}

// quote quotes a cell's value in a message, cut short.
func quote(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return strconv.Quote(s)
}

func list[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}
