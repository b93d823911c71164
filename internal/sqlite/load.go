package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/timelinenews/timeline/internal/timeline"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// eachRow runs a query and calls scan for every row, closing the rows and
// checking their error.
func eachRow(ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

const actorColumns = `a.id, a.slug, a.name, a.kind, a.country, a.description, a.event_count`

func scanActor(rows interface{ Scan(...any) error }, prefix []any) (timeline.Actor, error) {
	var a timeline.Actor
	err := rows.Scan(append(prefix, &a.ID, &a.Slug, &a.Name, &a.Kind, &a.Country, &a.Description, &a.EventCount)...)
	return a, err
}

func parseWhen(whenText, zone string) (timeline.When, error) {
	if whenText == "" {
		return timeline.When{}, nil
	}
	w, err := timeline.ParseWhen(whenText, zone)
	if err != nil {
		return timeline.When{}, fmt.Errorf("stored time: %w", err)
	}
	return w, nil
}

// loadEvents loads the events with the ids, in that order, with everything a
// page shows of them: six queries, whatever the number of events.
func loadEvents(ctx context.Context, q querier, ids []int64) ([]timeline.Event, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := "(" + placeholders(len(ids)) + ")"
	args := int64Args(ids)
	byID := make(map[int64]*timeline.Event, len(ids))
	events := make([]timeline.Event, 0, len(ids))

	err := eachRow(ctx, q, `SELECT id, slug, title, summary, body, kind, when_text, until_text, zone, location FROM events WHERE id IN `+in, args, func(rows *sql.Rows) error {
		var e timeline.Event
		var whenText, untilText, zone string
		if err := rows.Scan(&e.ID, &e.Slug, &e.Title, &e.Summary, &e.Body, &e.Kind, &whenText, &untilText, &zone, &e.Location); err != nil {
			return err
		}
		var err error
		if e.When, err = parseWhen(whenText, zone); err != nil {
			return fmt.Errorf("event %s: %w", e.Slug, err)
		}
		if e.Until, err = parseWhen(untilText, zone); err != nil {
			return fmt.Errorf("event %s: %w", e.Slug, err)
		}
		events = append(events, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	// Put them in the order asked for, then index them.
	order := make(map[int64]int, len(ids))
	for i, id := range ids {
		order[id] = i
	}
	sorted := make([]timeline.Event, len(ids))
	for _, e := range events {
		sorted[order[e.ID]] = e
	}
	events = sorted[:0]
	for _, e := range sorted {
		if e.ID != 0 {
			events = append(events, e)
		}
	}
	for i := range events {
		byID[events[i].ID] = &events[i]
	}

	err = eachRow(ctx, q, `SELECT ea.event_id, ea.role, `+actorColumns+` FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id IN `+in+` ORDER BY ea.event_id, ea.position`, args, func(rows *sql.Rows) error {
		var eventID int64
		var role timeline.Role
		a, err := scanActor(rows, []any{&eventID, &role})
		if err != nil {
			return err
		}
		e := byID[eventID]
		e.Actors = append(e.Actors, timeline.EventActor{Actor: a, Role: role})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load event actors: %w", err)
	}

	err = eachRow(ctx, q, `
		SELECT es.event_id, es.quote, s.id, s.key, s.outlet, s.url, s.title, s.published, coalesce(v.key, ''), coalesce(v.outlet, '')
		FROM event_sources es JOIN sources s ON s.id = es.source_id LEFT JOIN sources v ON v.id = s.via_id
		WHERE es.event_id IN `+in+` ORDER BY es.event_id, es.position`, args, func(rows *sql.Rows) error {
		var eventID int64
		var c timeline.Citation
		s := &c.Source
		if err := rows.Scan(&eventID, &c.Quote, &s.ID, &s.Key, &s.Outlet, &s.URL, &s.Title, &s.Published, &s.Via, &s.ViaOutlet); err != nil {
			return err
		}
		e := byID[eventID]
		e.Sources = append(e.Sources, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load event sources: %w", err)
	}

	err = eachRow(ctx, q, `SELECT event_id, slug FROM event_redirects WHERE event_id IN `+in+` ORDER BY event_id, slug`, args, func(rows *sql.Rows) error {
		var eventID int64
		var slug string
		if err := rows.Scan(&eventID, &slug); err != nil {
			return err
		}
		e := byID[eventID]
		e.FormerSlugs = append(e.FormerSlugs, slug)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load former slugs: %w", err)
	}

	if err := loadAnswers(ctx, q, in, args, byID); err != nil {
		return nil, err
	}
	return events, nil
}

// loadAnswers fills Answers and AnsweredBy, with the speakers of the events
// on the other side.
func loadAnswers(ctx context.Context, q querier, in string, args []any, byID map[int64]*timeline.Event) error {
	type link struct {
		eventID  int64
		incoming bool
		rel      timeline.Answer
	}
	var links []link
	refCols := `o.id, o.slug, o.title, o.kind, o.when_text, o.zone,
		coalesce((SELECT quote FROM event_sources WHERE event_id = o.id ORDER BY position LIMIT 1), '')`
	scanLink := func(incoming bool) func(*sql.Rows) error {
		return func(rows *sql.Rows) error {
			var l link
			var whenText, zone string
			ref := &l.rel.Event
			if err := rows.Scan(&l.eventID, &l.rel.Type, &ref.ID, &ref.Slug, &ref.Title, &ref.Kind, &whenText, &zone, &ref.Quote); err != nil {
				return err
			}
			var err error
			if ref.When, err = parseWhen(whenText, zone); err != nil {
				return fmt.Errorf("event %s: %w", ref.Slug, err)
			}
			l.incoming = incoming
			links = append(links, l)
			return nil
		}
	}
	err := eachRow(ctx, q, `SELECT r.from_event_id, r.type, `+refCols+` FROM answers r JOIN events o ON o.id = r.to_event_id WHERE r.from_event_id IN `+in+` ORDER BY r.from_event_id, r.position`, args, scanLink(false))
	if err != nil {
		return fmt.Errorf("load answers: %w", err)
	}
	err = eachRow(ctx, q, `SELECT r.to_event_id, r.type, `+refCols+` FROM answers r JOIN events o ON o.id = r.from_event_id WHERE r.to_event_id IN `+in+` ORDER BY r.to_event_id, o.sort_unix, o.id`, args, scanLink(true))
	if err != nil {
		return fmt.Errorf("load answers: %w", err)
	}
	if len(links) == 0 {
		return nil
	}
	var refIDs []int64
	seen := map[int64]bool{}
	for _, l := range links {
		if !seen[l.rel.Event.ID] {
			seen[l.rel.Event.ID] = true
			refIDs = append(refIDs, l.rel.Event.ID)
		}
	}
	speakers, err := loadSpeakers(ctx, q, refIDs)
	if err != nil {
		return err
	}
	for _, l := range links {
		l.rel.Event.Speakers = speakers[l.rel.Event.ID]
		e := byID[l.eventID]
		if l.incoming {
			e.AnsweredBy = append(e.AnsweredBy, l.rel)
		} else {
			e.Answers = append(e.Answers, l.rel)
		}
	}
	return nil
}

func loadSpeakers(ctx context.Context, q querier, ids []int64) (map[int64][]timeline.Actor, error) {
	speakers := make(map[int64][]timeline.Actor, len(ids))
	if len(ids) == 0 {
		return speakers, nil
	}
	err := eachRow(ctx, q, `SELECT ea.event_id, `+actorColumns+` FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
		WHERE ea.role = 'speaker' AND ea.event_id IN (`+placeholders(len(ids))+`) ORDER BY ea.event_id, ea.position`, int64Args(ids), func(rows *sql.Rows) error {
		var eventID int64
		a, err := scanActor(rows, []any{&eventID})
		if err != nil {
			return err
		}
		speakers[eventID] = append(speakers[eventID], a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load speakers: %w", err)
	}
	return speakers, nil
}

// FindEvent returns the event with the slug. A former slug gives an error
// with code EMOVED naming the current slug.
func (db *DB) FindEvent(ctx context.Context, slug string) (*timeline.Event, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT e.slug FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ?`, slug).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no event %q.", slug)
		} else if err != nil {
			return nil, fmt.Errorf("find event %s: %w", slug, err)
		}
		return nil, &timeline.Error{Code: timeline.EMOVED, Message: "This event has moved.", Slug: current}
	} else if err != nil {
		return nil, fmt.Errorf("find event %s: %w", slug, err)
	}
	events, err := loadEvents(ctx, tx, []int64{id})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// FindNeighbours returns the events just before and after e in the whole
// timeline, nil at either end.
func (db *DB) FindNeighbours(ctx context.Context, e *timeline.Event) (prev, next *timeline.EventRef, err error) {
	c := timeline.CursorOf(e)
	find := func(cmp, dir string) (*timeline.EventRef, error) {
		var ref timeline.EventRef
		var whenText, zone string
		err := db.read.QueryRowContext(ctx, `SELECT id, slug, title, kind, when_text, zone FROM events
			WHERE (sort_unix, id) `+cmp+` (?, ?) ORDER BY sort_unix `+dir+`, id `+dir+` LIMIT 1`, c.Start, c.ID).
			Scan(&ref.ID, &ref.Slug, &ref.Title, &ref.Kind, &whenText, &zone)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("find neighbour of %s: %w", e.Slug, err)
		}
		if ref.When, err = parseWhen(whenText, zone); err != nil {
			return nil, err
		}
		return &ref, nil
	}
	if prev, err = find("<", "DESC"); err != nil {
		return nil, nil, err
	}
	if next, err = find(">", "ASC"); err != nil {
		return nil, nil, err
	}
	return prev, next, nil
}

// FindStory returns the story's title, description and data version, as
// of at most storyMaxAge ago, or of this DB's last commit if that is newer.
func (db *DB) FindStory(ctx context.Context) (timeline.Story, error) {
	gen := db.storyGen.Load()
	if c := db.story.Load(); c != nil && c.gen == gen && time.Since(c.at) < storyMaxAge {
		return c.story, nil
	}
	at := time.Now()
	var s timeline.Story
	err := db.read.QueryRowContext(ctx, `SELECT title, description, data_version FROM story WHERE id = 1`).Scan(&s.Title, &s.Description, &s.DataVersion)
	if err != nil {
		return s, fmt.Errorf("find story: %w", err)
	}
	db.story.Store(&cachedStory{story: s, at: at, gen: gen})
	return s, nil
}

// FindActors returns every actor, grouped by kind, most active first.
func (db *DB) FindActors(ctx context.Context) ([]timeline.Actor, error) {
	var actors []timeline.Actor
	err := eachRow(ctx, db.read, `SELECT `+actorColumns+` FROM actors a ORDER BY a.kind, a.event_count DESC, a.name`, nil, func(rows *sql.Rows) error {
		a, err := scanActor(rows, nil)
		actors = append(actors, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find actors: %w", err)
	}
	return actors, nil
}

// FindActor returns the actor with the slug.
func (db *DB) FindActor(ctx context.Context, slug string) (*timeline.Actor, error) {
	a, err := scanActor(db.read.QueryRowContext(ctx, `SELECT `+actorColumns+` FROM actors a WHERE a.slug = ?`, slug), nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no actor %q.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find actor %s: %w", slug, err)
	}
	return &a, nil
}

// MaxThread bounds how many events one exchange shows.
const MaxThread = 500

// FindThread returns the whole exchange an event belongs to: every event
// linked to it by answers, in either direction and at any depth, once each,
// in time order. Following links to events already reached is what ends a
// loop in the data.
func (db *DB) FindThread(ctx context.Context, slug string) ([]timeline.Event, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find thread: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no event %q.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find thread %s: %w", slug, err)
	}
	var ids []int64
	err = eachRow(ctx, tx, `
		WITH RECURSIVE thread(id) AS (
			SELECT ?
			UNION
			SELECT r.to_event_id FROM answers r JOIN thread t ON r.from_event_id = t.id
			UNION
			SELECT r.from_event_id FROM answers r JOIN thread t ON r.to_event_id = t.id
			LIMIT ?
		)
		SELECT e.id FROM thread JOIN events e ON e.id = thread.id ORDER BY e.sort_unix, e.id`,
		[]any{id, MaxThread}, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find thread %s: %w", slug, err)
	}
	return loadEvents(ctx, tx, ids)
}

// FindTopActors returns, for each kind of actor, the perKind actors in the
// most events: what a filter form can list when there are thousands. Each
// kind is one short range scan of the (kind, event_count) index.
func (db *DB) FindTopActors(ctx context.Context, perKind int) ([]timeline.Actor, error) {
	var actors []timeline.Actor
	for _, kind := range timeline.ActorKinds {
		err := eachRow(ctx, db.read, `SELECT `+actorColumns+` FROM actors a WHERE a.kind = ? ORDER BY a.event_count DESC, a.name LIMIT ?`,
			[]any{string(kind), perKind}, func(rows *sql.Rows) error {
				a, err := scanActor(rows, nil)
				actors = append(actors, a)
				return err
			})
		if err != nil {
			return nil, fmt.Errorf("find top actors: %w", err)
		}
	}
	return actors, nil
}

// SearchActors finds actors whose name or description has words starting
// with each word of q, busiest first.
func (db *DB) SearchActors(ctx context.Context, q string, limit int) ([]timeline.Actor, error) {
	var terms []string
	for _, word := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		// Each word as a quoted FTS5 string with a prefix star: no query
		// syntax reaches the engine from the reader.
		terms = append(terms, `"`+strings.ReplaceAll(word, `"`, `""`)+`"*`)
	}
	if len(terms) == 0 {
		return nil, nil
	}
	var actors []timeline.Actor
	err := eachRow(ctx, db.read, `SELECT `+actorColumns+` FROM actor_search s JOIN actors a ON a.id = s.rowid
		WHERE actor_search MATCH ? ORDER BY a.event_count DESC, a.name LIMIT ?`,
		[]any{strings.Join(terms, " "), limit}, func(rows *sql.Rows) error {
			a, err := scanActor(rows, nil)
			actors = append(actors, a)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("search actors: %w", err)
	}
	return actors, nil
}
