package sqlite

import (
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// The finishing steps that are a story's: withdrawing the events its file
// no longer lists, and keeping what the front page and the story's pages
// read (its lists of actors and sources, counts, span).

// idList is ids as a JSON array, for json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// withdrawEvents withdraws, from each story imported, the events its file
// no longer lists: their slugs and former slugs become tombstones (never
// used again; the permalink answers 410), and the rows go with their
// links. An event of a story not in the import that answers one of them
// would be left answering nothing, so the import is refused, naming both.
// In bulk mode no story had events before.
func (im *Importer) withdrawEvents() error {
	if im.bulk {
		return nil
	}
	var problems []string
	for _, st := range im.stories {
		var gone []int64
		err := eachRow(im.ctx, im.tx, `SELECT id FROM events WHERE story_id = ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY sort_unix, id`,
			[]any{st.id, idList(st.kept)}, func(rows *sql.Rows) error {
				var id int64
				err := rows.Scan(&id)
				gone = append(gone, id)
				return err
			})
		if err != nil {
			return fmt.Errorf("story %s: withdraw: %w", st.slug, err)
		}
		st.kept = nil
		if len(gone) == 0 {
			continue
		}
		list := idList(gone)
		err = eachRow(im.ctx, im.tx, `SELECT f.slug, fs.slug, t.slug FROM answers a
			JOIN events t ON t.id = a.to_event_id JOIN events f ON f.id = a.from_event_id JOIN stories fs ON fs.id = f.story_id
			WHERE a.to_event_id IN (SELECT value FROM json_each(?)) AND f.story_id <> ? ORDER BY t.slug, f.slug`,
			[]any{list, st.id}, func(rows *sql.Rows) error {
				var from, fromStory, to string
				if err := rows.Scan(&from, &fromStory, &to); err != nil {
					return err
				}
				problems = append(problems, fmt.Sprintf("event %s of story %s answers event %s of story %s, which the file no longer lists: keep %s in the file, or remove the answer from story %s first",
					from, fromStory, to, st.slug, to, fromStory))
				return nil
			})
		if err != nil {
			return fmt.Errorf("story %s: withdraw: %w", st.slug, err)
		}
		if len(problems) > 0 {
			continue
		}
		for _, id := range gone {
			// What a withdrawn event answered loses an answer: stampAnswered
			// stamps it, as for an answer taken out of a record.
			if err := im.noteFormerAnswers(id); err != nil {
				return fmt.Errorf("story %s: withdraw: %w", st.slug, err)
			}
		}
		for _, q := range []string{
			`INSERT INTO withdrawn_events (slug, story_id, title)
				SELECT slug, story_id, title FROM events WHERE id IN (SELECT value FROM json_each(?1))
				UNION ALL SELECT r.slug, e.story_id, e.title FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.event_id IN (SELECT value FROM json_each(?1))`,
			`DELETE FROM event_search WHERE rowid IN (SELECT value FROM json_each(?1))`,
			`DELETE FROM events WHERE id IN (SELECT value FROM json_each(?1))`,
		} {
			if _, err := im.tx.ExecContext(im.ctx, q, list); err != nil {
				return fmt.Errorf("story %s: withdraw: %w", st.slug, err)
			}
		}
		im.res.EventsWithdrawn += len(gone)
		st.changed = true
	}
	if len(problems) > 0 {
		return timeline.Errorf(timeline.EINVALID, "%s", strings.Join(problems, "\n  "))
	}
	return nil
}

// writeStories keeps, for each story imported, the actors and sources its
// file lists (so that it exports as it was written), and, when anything of
// it changed, its counts, its span and its actors' counts within it. An
// actor's kind, copied for the busiest actors of each kind, follows an
// edit that any story's file made.
func (im *Importer) writeStories() error {
	for _, st := range im.stories {
		for _, list := range []struct {
			table, column string
			ids           []int64
		}{{"story_actors", "actor_id", st.actors}, {"story_sources", "source_id", st.sources}} {
			changed, err := im.writeStoryList(st, list.table, list.column, list.ids)
			if err != nil {
				return err
			}
			st.changed = st.changed || changed
		}
		if !st.changed {
			continue
		}
		claims := make([]string, len(timeline.ClaimKinds))
		for i, k := range timeline.ClaimKinds {
			claims[i] = "'" + string(k) + "'"
		}
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE stories SET
			event_count = (SELECT count(*) FROM events WHERE story_id = ?1),
			claim_count = (SELECT count(*) FROM events WHERE story_id = ?1 AND kind IN (`+strings.Join(claims, ", ")+`)),
			first_when = coalesce((SELECT when_text FROM events WHERE story_id = ?1 ORDER BY sort_unix, id LIMIT 1), ''),
			first_zone = coalesce((SELECT zone FROM events WHERE story_id = ?1 ORDER BY sort_unix, id LIMIT 1), ''),
			last_when = coalesce((SELECT when_text FROM events WHERE story_id = ?1 ORDER BY sort_unix DESC, id DESC LIMIT 1), ''),
			last_zone = coalesce((SELECT zone FROM events WHERE story_id = ?1 ORDER BY sort_unix DESC, id DESC LIMIT 1), '')
			WHERE id = ?1`, st.id); err != nil {
			return fmt.Errorf("story %s: counts: %w", st.slug, err)
		}
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE story_actors SET event_count = (
			SELECT count(DISTINCT ea.event_id) FROM event_actors ea WHERE ea.story_id = story_actors.story_id AND ea.actor_id = story_actors.actor_id)
			WHERE story_id = ?`, st.id); err != nil {
			return fmt.Errorf("story %s: actor counts: %w", st.slug, err)
		}
	}
	if im.res.ActorsChanged > 0 {
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE story_actors SET kind = a.kind FROM actors a WHERE a.id = story_actors.actor_id AND story_actors.kind <> a.kind`); err != nil {
			return fmt.Errorf("story actors: kinds: %w", err)
		}
	}
	return nil
}

// writeStoryList replaces a story's list of actors or sources when the
// file's differs, reporting whether it did.
func (im *Importer) writeStoryList(st *storyImport, table, column string, ids []int64) (bool, error) {
	var old []int64
	err := eachRow(im.ctx, im.tx, `SELECT `+column+` FROM `+table+` WHERE story_id = ? ORDER BY position`, []any{st.id}, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		old = append(old, id)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("story %s: %s: %w", st.slug, table, err)
	}
	if slices.Equal(old, ids) {
		return false, nil
	}
	if _, err := im.tx.ExecContext(im.ctx, `DELETE FROM `+table+` WHERE story_id = ?`, st.id); err != nil {
		return false, fmt.Errorf("story %s: %s: %w", st.slug, table, err)
	}
	insert := `INSERT INTO story_sources (story_id, position, source_id) SELECT ?, j.key, j.value FROM json_each(?) j`
	if table == "story_actors" {
		insert = `INSERT INTO story_actors (story_id, position, actor_id, kind) SELECT ?, j.key, j.value, a.kind FROM json_each(?) j JOIN actors a ON a.id = j.value`
	}
	if _, err := im.tx.ExecContext(im.ctx, insert, st.id, idList(ids)); err != nil {
		return false, fmt.Errorf("story %s: %s: %w", st.slug, table, err)
	}
	return true, nil
}

// storiesChanged reports whether any story of the import changed.
func (im *Importer) storiesChanged() bool {
	return slices.ContainsFunc(im.stories, func(st *storyImport) bool { return st.changed })
}
