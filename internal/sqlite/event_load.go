package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// parseWhen reads a stored time; an empty one is the zero When.
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
// page shows of them: at most seven queries, whatever the number of events.
// unixTime is a stamp of the importer's, the zero time for none.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func loadEvents(ctx context.Context, q querier, ids []int64) ([]timeline.Event, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := "(" + placeholders(len(ids)) + ")"
	args := int64Args(ids)
	byID := make(map[int64]*timeline.Event, len(ids))
	events := make([]timeline.Event, 0, len(ids))

	err := eachRow(ctx, q, `SELECT e.id, e.slug, coalesce(e.first_slug, e.slug), e.title, e.summary, e.body, e.kind, e.when_text, e.until_text, e.zone, e.location, e.according_to, e.when_inferred, e.when_note, e.display_date, e.unsourced, e.unattributed, e.added_unix, e.changed_unix, s.slug, s.title
		FROM events e JOIN stories s ON s.id = e.story_id WHERE e.id IN `+in, args, func(rows *sql.Rows) error {
		var e timeline.Event
		var whenText, untilText, zone string
		var added, changed int64
		if err := rows.Scan(&e.ID, &e.Slug, &e.FirstSlug, &e.Title, &e.Summary, &e.Body, &e.Kind, &whenText, &untilText, &zone, &e.Location, &e.AccordingTo.Slug, &e.WhenInferred, &e.WhenNote, &e.DisplayDate, &e.Unsourced, &e.Unattributed, &added, &changed, &e.Story.Slug, &e.Story.Title); err != nil {
			return err
		}
		e.Added, e.Changed = unixTime(added), unixTime(changed)
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
		if e.AccordingTo.Slug == a.Slug {
			e.AccordingTo = a // the import keeps it among the event's actors
		}
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

	// Former slugs oldest first, as an export lists them and an import of a
	// new event reads them: the first slug, then the rest in the order they
	// were made (those from before migrations/0014 kept it, in slug order).
	err = eachRow(ctx, q, `SELECT r.event_id, r.slug FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.event_id IN `+in+`
		ORDER BY r.event_id, r.slug IS NOT e.first_slug, r.position, r.slug`, args, func(rows *sql.Rows) error {
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
		coalesce((SELECT quote FROM event_sources WHERE event_id = o.id ORDER BY position LIMIT 1), ''),
		(SELECT slug FROM stories WHERE id = o.story_id), (SELECT title FROM stories WHERE id = o.story_id)`
	scanLink := func(incoming bool) func(*sql.Rows) error {
		return func(rows *sql.Rows) error {
			var l link
			var whenText, zone string
			ref := &l.rel.Event
			if err := rows.Scan(&l.eventID, &l.rel.Type, &ref.ID, &ref.Slug, &ref.Title, &ref.Kind, &whenText, &zone, &ref.Quote, &ref.Story.Slug, &ref.Story.Title); err != nil {
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
