package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/timelinenews/timeline/internal/timeline"
)

// actorColumns are the columns of actors (as a) that scanActor reads.
const actorColumns = `a.id, a.slug, a.name, a.kind, a.country, a.description, a.event_count`

// scanActor scans actorColumns, after the prefix destinations.
func scanActor(rows interface{ Scan(...any) error }, prefix []any) (timeline.Actor, error) {
	var a timeline.Actor
	err := rows.Scan(append(prefix, &a.ID, &a.Slug, &a.Name, &a.Kind, &a.Country, &a.Description, &a.EventCount)...)
	return a, err
}

// FindActors returns every actor, grouped by kind, most active first.
func (db *DB) FindActors(ctx context.Context) (_ []timeline.Actor, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	var actors []timeline.Actor
	err = eachRow(ctx, rd, `SELECT `+actorColumns+` FROM actors a ORDER BY a.kind, a.event_count DESC, a.name`, nil, func(rows *sql.Rows) error {
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
func (db *DB) FindActor(ctx context.Context, slug string) (_ *timeline.Actor, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	a, err := scanActor(rd.QueryRowContext(ctx, `SELECT `+actorColumns+` FROM actors a WHERE a.slug = ?`, slug), nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no actor %q.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find actor %s: %w", slug, err)
	}
	return &a, nil
}

// FindTopActors returns, for each kind of actor, the perKind actors in the
// most events: what a filter form can list when there are thousands. Each
// kind is one short range scan of the (kind, event_count) index.
func (db *DB) FindTopActors(ctx context.Context, perKind int) (_ []timeline.Actor, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	var actors []timeline.Actor
	for _, kind := range timeline.ActorKinds {
		err := eachRow(ctx, rd, `SELECT `+actorColumns+` FROM actors a WHERE a.kind = ? ORDER BY a.event_count DESC, a.name LIMIT ?`,
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
func (db *DB) SearchActors(ctx context.Context, q string, limit int) (_ []timeline.Actor, err error) {
	var terms []string
	for _, word := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		// Each word as a quoted FTS5 string with a prefix star: no query
		// syntax reaches the engine from the reader.
		terms = append(terms, `"`+strings.ReplaceAll(word, `"`, `""`)+`"*`)
	}
	if len(terms) == 0 {
		return nil, nil
	}
	rd := db.reader(ctx)
	defer rd.done(&err)
	var actors []timeline.Actor
	err = eachRow(ctx, rd, `SELECT `+actorColumns+` FROM actor_search s JOIN actors a ON a.id = s.rowid
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
