package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// ImportResult says what an import changed.
type ImportResult struct {
	ActorsChanged  int
	SourcesChanged int
	EventsChanged  int
	EventsSame     int
	DataVersion    int64
}

// Changed reports whether the import changed anything.
func (r ImportResult) Changed() bool {
	return r.ActorsChanged+r.SourcesChanged+r.EventsChanged > 0
}

// Import applies a validated dataset in one transaction: actors, sources and
// events are created or updated in place by slug; an event whose former slugs
// name an existing event renames it. Unchanged records are not written, so
// importing the same file twice changes nothing, not even the data version.
// Readers see the state before or after, never between.
func (db *DB) Import(ctx context.Context, ds *timeline.Dataset) (ImportResult, error) {
	var res ImportResult
	if db.readOnly {
		return res, timeline.Errorf(timeline.ECONFLICT, "the database is open read-only")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import: begin: %w", err)
	}
	defer tx.Rollback()
	im := &importer{tx: tx, res: &res}
	if err := im.run(ctx, ds); err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("import: commit: %w", err)
	}
	return res, nil
}

type importer struct {
	tx        *sql.Tx
	res       *ImportResult
	actorIDs  map[string]int64
	sourceIDs map[string]int64
	eventIDs  map[string]int64
}

func (im *importer) run(ctx context.Context, ds *timeline.Dataset) error {
	tx := im.tx
	r, err := tx.ExecContext(ctx, `UPDATE story SET title = ?, description = ? WHERE id = 1 AND (title <> ? OR description <> ?)`,
		ds.Title, ds.Description, ds.Title, ds.Description)
	if err != nil {
		return fmt.Errorf("story: %w", err)
	}
	storyChanged, _ := r.RowsAffected()

	if err := im.actors(ctx, ds.Actors); err != nil {
		return err
	}
	if err := im.sources(ctx, ds.Sources); err != nil {
		return err
	}
	changed, err := im.eventRows(ctx, ds.Events)
	if err != nil {
		return err
	}
	if err := im.eventLinks(ctx, changed); err != nil {
		return err
	}
	if im.res.EventsChanged > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE actors SET event_count = (SELECT count(DISTINCT event_id) FROM event_actors WHERE actor_id = actors.id)`); err != nil {
			return fmt.Errorf("count actor events: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE events SET in_dispute = d.v FROM (
				SELECT e.id, (EXISTS (SELECT 1 FROM relations r WHERE r.to_event_id = e.id AND r.type IN ('denies', 'disputes', 'doubts'))
					OR EXISTS (SELECT 1 FROM relations r WHERE r.from_event_id = e.id AND r.type IN ('denies', 'disputes', 'doubts'))) AS v
				FROM events e
			) AS d WHERE events.id = d.id AND events.in_dispute <> d.v`); err != nil {
			return fmt.Errorf("mark disputes: %w", err)
		}
	}
	if storyChanged > 0 || im.res.Changed() {
		if _, err := tx.ExecContext(ctx, `UPDATE story SET data_version = data_version + 1 WHERE id = 1`); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT data_version FROM story WHERE id = 1`).Scan(&im.res.DataVersion); err != nil {
		return fmt.Errorf("read data version: %w", err)
	}
	return nil
}

func (im *importer) actors(ctx context.Context, actors []timeline.Actor) error {
	upsert, err := im.tx.PrepareContext(ctx, `
		INSERT INTO actors (slug, name, kind, country, description) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, country = excluded.country, description = excluded.description
		WHERE name <> excluded.name OR kind <> excluded.kind OR country <> excluded.country OR description <> excluded.description`)
	if err != nil {
		return fmt.Errorf("actors: %w", err)
	}
	defer upsert.Close()
	im.actorIDs = make(map[string]int64, len(actors))
	for _, a := range actors {
		r, err := upsert.ExecContext(ctx, a.Slug, a.Name, a.Kind, a.Country, a.Description)
		if err != nil {
			return fmt.Errorf("actor %s: %w", a.Slug, err)
		}
		n, _ := r.RowsAffected()
		im.res.ActorsChanged += int(n)
		var id int64
		if err := im.tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, a.Slug).Scan(&id); err != nil {
			return fmt.Errorf("actor %s: %w", a.Slug, err)
		}
		im.actorIDs[a.Slug] = id
	}
	return nil
}

func (im *importer) sources(ctx context.Context, sources []timeline.Source) error {
	upsert, err := im.tx.PrepareContext(ctx, `
		INSERT INTO sources (key, outlet, url, title, published) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET outlet = excluded.outlet, url = excluded.url, title = excluded.title, published = excluded.published
		WHERE outlet <> excluded.outlet OR url <> excluded.url OR title <> excluded.title OR published <> excluded.published`)
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	defer upsert.Close()
	im.sourceIDs = make(map[string]int64, len(sources))
	for _, s := range sources {
		r, err := upsert.ExecContext(ctx, s.Key, s.Outlet, s.URL, s.Title, s.Published)
		if err != nil {
			return fmt.Errorf("source %s: %w", s.Key, err)
		}
		n, _ := r.RowsAffected()
		im.res.SourcesChanged += int(n)
		var id int64
		if err := im.tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE key = ?`, s.Key).Scan(&id); err != nil {
			return fmt.Errorf("source %s: %w", s.Key, err)
		}
		im.sourceIDs[s.Key] = id
	}
	// Via links point at other sources, so they are set once all exist.
	for _, s := range sources {
		var via sql.NullInt64
		if s.Via != "" {
			id, ok := im.sourceIDs[s.Via]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "source %s: via names unknown source %q", s.Key, s.Via)
			}
			via = sql.NullInt64{Int64: id, Valid: true}
		}
		r, err := im.tx.ExecContext(ctx, `UPDATE sources SET via_id = ? WHERE id = ? AND via_id IS NOT ?`, via, im.sourceIDs[s.Key], via)
		if err != nil {
			return fmt.Errorf("source %s: via: %w", s.Key, err)
		}
		if n, _ := r.RowsAffected(); n > 0 && s.Via != "" {
			im.res.SourcesChanged++
		}
	}
	return nil
}

// eventRows creates or updates each event's own row and returns the events
// whose content changed, whose links must be rewritten.
func (im *importer) eventRows(ctx context.Context, events []timeline.Event) ([]*timeline.Event, error) {
	find, err := im.tx.PrepareContext(ctx, `SELECT id, content_hash FROM events WHERE slug = ?`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer find.Close()
	findMoved, err := im.tx.PrepareContext(ctx, `SELECT e.id, e.content_hash FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ?`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer findMoved.Close()
	insert, err := im.tx.PrepareContext(ctx, `
		INSERT INTO events (slug, title, summary, body, kind, when_text, until_text, zone, start_unix, location, content_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer insert.Close()
	update, err := im.tx.PrepareContext(ctx, `
		UPDATE events SET slug = ?, title = ?, summary = ?, body = ?, kind = ?, when_text = ?, until_text = ?, zone = ?, start_unix = ?, location = ?, content_hash = ?
		WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer update.Close()

	im.eventIDs = make(map[string]int64, len(events))
	var changed []*timeline.Event
	for i := range events {
		e := &events[i]
		hash := eventHash(e)
		var id int64
		var oldHash string
		err := find.QueryRowContext(ctx, e.Slug).Scan(&id, &oldHash)
		for _, former := range e.FormerSlugs {
			if !errors.Is(err, sql.ErrNoRows) {
				break
			}
			// The event may exist under a slug it has since left: a
			// renamed event, or the old slug still as a live row.
			if err = find.QueryRowContext(ctx, former).Scan(&id, &oldHash); errors.Is(err, sql.ErrNoRows) {
				err = findMoved.QueryRowContext(ctx, former).Scan(&id, &oldHash)
			}
		}
		args := []any{e.Slug, e.Title, e.Summary, e.Body, e.Kind, e.When.Text(), e.Until.Text(), e.When.Zone(), e.When.Start.Unix(), e.Location, hash}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := insert.QueryRowContext(ctx, args...).Scan(&id); err != nil {
				return nil, fmt.Errorf("event %s: %w", e.Slug, err)
			}
		case err != nil:
			return nil, fmt.Errorf("event %s: %w", e.Slug, err)
		case oldHash == hash:
			im.eventIDs[e.Slug] = id
			im.res.EventsSame++
			continue
		default:
			if _, err := update.ExecContext(ctx, append(args, id)...); err != nil {
				return nil, fmt.Errorf("event %s: %w", e.Slug, err)
			}
		}
		im.eventIDs[e.Slug] = id
		im.res.EventsChanged++
		changed = append(changed, e)
	}
	return changed, nil
}

// eventLinks rewrites the actors, sources, relations, former slugs and
// search row of each changed event.
func (im *importer) eventLinks(ctx context.Context, changed []*timeline.Event) error {
	if len(changed) == 0 {
		return nil
	}
	stmts := map[string]string{
		"clearActors":    `DELETE FROM event_actors WHERE event_id = ?`,
		"clearSources":   `DELETE FROM event_sources WHERE event_id = ?`,
		"clearRelations": `DELETE FROM relations WHERE from_event_id = ?`,
		"clearSearch":    `DELETE FROM event_search WHERE rowid = ?`,
		"actor":          `INSERT INTO event_actors (event_id, actor_id, role, position, start_unix) VALUES (?, ?, ?, ?, ?)`,
		"source":         `INSERT INTO event_sources (event_id, position, source_id, quote) VALUES (?, ?, ?, ?)`,
		"relation":       `INSERT INTO relations (from_event_id, to_event_id, type, position) VALUES (?, ?, ?, ?)`,
		"redirect":       `INSERT INTO event_redirects (slug, event_id) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET event_id = excluded.event_id`,
		"search":         `INSERT INTO event_search (rowid, title, summary, body, quotes) VALUES (?, ?, ?, ?, ?)`,
	}
	prepared := make(map[string]*sql.Stmt, len(stmts))
	for name, q := range stmts {
		st, err := im.tx.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", name, err)
		}
		defer st.Close()
		prepared[name] = st
	}
	exec := func(name string, args ...any) error {
		_, err := prepared[name].ExecContext(ctx, args...)
		return err
	}
	for _, e := range changed {
		id := im.eventIDs[e.Slug]
		if err := firstError(
			exec("clearActors", id), exec("clearSources", id), exec("clearRelations", id), exec("clearSearch", id),
		); err != nil {
			return fmt.Errorf("event %s: clear links: %w", e.Slug, err)
		}
		for i, a := range e.Actors {
			actorID, ok := im.actorIDs[a.Actor.Slug]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "event %s: unknown actor %q", e.Slug, a.Actor.Slug)
			}
			if err := exec("actor", id, actorID, a.Role, i, e.When.Start.Unix()); err != nil {
				return fmt.Errorf("event %s: actor %s: %w", e.Slug, a.Actor.Slug, err)
			}
		}
		quotes := make([]string, 0, len(e.Sources))
		for i, c := range e.Sources {
			sourceID, ok := im.sourceIDs[c.Source.Key]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "event %s: unknown source %q", e.Slug, c.Source.Key)
			}
			if err := exec("source", id, i, sourceID, c.Quote); err != nil {
				return fmt.Errorf("event %s: source %s: %w", e.Slug, c.Source.Key, err)
			}
			quotes = append(quotes, c.Quote)
		}
		for i, r := range e.Answers {
			target, ok := im.eventIDs[r.Event.Slug]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "event %s: answers unknown event %q", e.Slug, r.Event.Slug)
			}
			if err := exec("relation", id, target, r.Type, i); err != nil {
				return fmt.Errorf("event %s: answers %s: %w", e.Slug, r.Event.Slug, err)
			}
		}
		for _, former := range e.FormerSlugs {
			if err := exec("redirect", former, id); err != nil {
				return fmt.Errorf("event %s: former slug %s: %w", e.Slug, former, err)
			}
		}
		if err := exec("search", id, e.Title, e.Summary, e.Body, strings.Join(quotes, "\n")); err != nil {
			return fmt.Errorf("event %s: search index: %w", e.Slug, err)
		}
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// eventHash fingerprints everything an import writes for an event.
func eventHash(e *timeline.Event) string {
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			io.WriteString(h, strconv.Itoa(len(p)))
			io.WriteString(h, ":")
			io.WriteString(h, p)
		}
		io.WriteString(h, ";")
	}
	field(e.Slug, e.Title, e.Summary, e.Body, string(e.Kind), e.When.Text(), e.Until.Text(), e.When.Zone(), e.Location)
	field(e.FormerSlugs...)
	for _, a := range e.Actors {
		field("actor", a.Actor.Slug, string(a.Role))
	}
	for _, c := range e.Sources {
		field("source", c.Source.Key, c.Quote)
	}
	for _, r := range e.Answers {
		field("answers", r.Event.Slug, string(r.Type))
	}
	return hex.EncodeToString(h.Sum(nil))
}
