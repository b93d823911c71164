package sqlite

import (
	"database/sql"
	"fmt"
)

// importStatements are the statements an import runs for its records,
// prepared once by prepareStatements and closed once by close.
type importStatements struct {
	upsertActor, actorID   *sql.Stmt
	upsertSource, sourceID *sql.Stmt
	setVia                 *sql.Stmt
	findEvent              *sql.Stmt // by slug
	findMovedEvent         *sql.Stmt // by a former slug
	insertEvent            *sql.Stmt
	updateEvent            *sql.Stmt
	clearEventActors       *sql.Stmt
	clearEventSources      *sql.Stmt
	clearAnswers           *sql.Stmt
	eventAnswers           *sql.Stmt // what an event answered before its record changed
	stampAnswered          *sql.Stmt
	eventID                *sql.Stmt
	upsertRedirect         *sql.Stmt
	nextRedirectPosition   *sql.Stmt // where an event's next former slug goes
	findWithdrawn          *sql.Stmt // a withdrawn event's story, by slug

	prepared []*sql.Stmt // all of the above and the batches', to close
}

// prepareStatements prepares the record statements and the batches, which
// hold many rows a statement only in bulk mode (see batch).
func (im *Importer) prepareStatements() error {
	s := &im.stmts
	for _, p := range []struct {
		st          **sql.Stmt
		name, query string
	}{
		{&s.upsertActor, "actor", `INSERT INTO actors (slug, name, kind, country, description) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, country = excluded.country, description = excluded.description
			WHERE name <> excluded.name OR kind <> excluded.kind OR country <> excluded.country OR description <> excluded.description`},
		{&s.actorID, "actorID", `SELECT id FROM actors WHERE slug = ?`},
		{&s.upsertSource, "source", `INSERT INTO sources (key, outlet, url, title, published) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET outlet = excluded.outlet, url = excluded.url, title = excluded.title, published = excluded.published
			WHERE outlet <> excluded.outlet OR url <> excluded.url OR title <> excluded.title OR published <> excluded.published`},
		{&s.sourceID, "sourceID", `SELECT id FROM sources WHERE key = ?`},
		{&s.setVia, "via", `UPDATE sources SET via_id = ? WHERE id = ? AND via_id IS NOT ?`},
		{&s.findEvent, "find", `SELECT id, story_id, content_hash FROM events WHERE slug = ?`},
		{&s.findMovedEvent, "findMoved", `SELECT e.id, e.story_id, e.content_hash FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ?`},
		{&s.insertEvent, "insert", `INSERT INTO events (slug, title, summary, body, kind, when_text, until_text, zone, sort_unix, location, according_to, when_inferred, when_note, display_date, unsourced, unattributed, content_hash, story_id, added_unix, changed_unix, first_slug)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.updateEvent, "update", `UPDATE events SET first_slug = coalesce(first_slug, slug), slug = ?, title = ?, summary = ?, body = ?, kind = ?, when_text = ?, until_text = ?, zone = ?, sort_unix = ?, location = ?, according_to = ?, when_inferred = ?, when_note = ?, display_date = ?, unsourced = ?, unattributed = ?, content_hash = ?, story_id = ?, changed_unix = ?
			WHERE id = ?`},
		{&s.clearEventActors, "clearActors", `DELETE FROM event_actors WHERE event_id = ?`},
		{&s.clearEventSources, "clearSources", `DELETE FROM event_sources WHERE event_id = ?`},
		{&s.clearAnswers, "clearAnswers", `DELETE FROM answers WHERE from_event_id = ?`},
		{&s.eventAnswers, "eventAnswers", `SELECT to_event_id, type FROM answers WHERE from_event_id = ?`},
		{&s.stampAnswered, "stampAnswered", `UPDATE events SET changed_unix = ? WHERE id = ?`},
		{&s.eventID, "eventID", `SELECT id FROM events WHERE slug = ?`},
		// A former slug the event has already keeps its place; one that was
		// another event's moves to the end of this one's.
		{&s.upsertRedirect, "redirect", `INSERT INTO event_redirects (slug, event_id, position) VALUES (?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET event_id = excluded.event_id, position = excluded.position WHERE event_id <> excluded.event_id`},
		{&s.nextRedirectPosition, "redirectPosition", `SELECT coalesce(max(position) + 1, 0) FROM event_redirects WHERE event_id = ?`},
		{&s.findWithdrawn, "withdrawn", `SELECT s.slug FROM withdrawn_events w JOIN stories s ON s.id = w.story_id WHERE w.slug = ?`},
	} {
		st, err := im.prepare(p.query)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", p.name, err)
		}
		*p.st = st
	}
	rows := 1
	if im.bulk {
		rows = batchRows
	}
	var err error
	if im.eventActorRows, err = newBatch(im.prepare, "actor", "event_actors (event_id, actor_id, role, position, sort_unix, story_id)", 6, rows); err != nil {
		return err
	}
	if im.eventSourceRows, err = newBatch(im.prepare, "source", "event_sources (event_id, position, source_id, quote)", 4, rows); err != nil {
		return err
	}
	if im.answerRows, err = newBatch(im.prepare, "answer to", "answers (from_event_id, to_event_id, type, position)", 4, rows); err != nil {
		return err
	}
	return nil
}

// prepare prepares a statement of the import's, to be closed with the rest.
func (im *Importer) prepare(query string) (*sql.Stmt, error) {
	st, err := im.tx.PrepareContext(im.ctx, query)
	if err != nil {
		return nil, err
	}
	im.stmts.prepared = append(im.stmts.prepared, st)
	return st, nil
}

func (s *importStatements) close() {
	for _, st := range s.prepared {
		st.Close()
	}
	s.prepared = nil
}
