package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/timelinenews/timeline/internal/timeline"
)

// finishingSteps are what Commit does, in order, once every record is in:
// what had to wait for the whole file, and the counts the pages read.
var finishingSteps = []func(*Importer) error{
	(*Importer).flushEventRows,
	(*Importer).withdrawEvents, // before writeAnswers, so that no answer is written to a withdrawn event
	(*Importer).widenSearchHash,
	(*Importer).writeSearchRows, // reads the quotes in event_sources
	(*Importer).narrowSearchHash,
	(*Importer).linkVias,
	(*Importer).buildSlugIndex, // for writeAnswers
	(*Importer).writeAnswers,
	(*Importer).stampAnswered, // reads what writeAnswers consumed
	(*Importer).markDisputes,  // reads answers
	// The other indexes come after markDisputes: events_dispute_order,
	// for one, would have had to move every event it marks.
	(*Importer).buildIndexes,
	(*Importer).countActorEvents,
	(*Importer).countOverviewDays, // after withdrawEvents and writeAnswers, whose results it counts
	(*Importer).writeStories,      // after the indexes, which its counts read
	(*Importer).buildStoryIndexes, // after writeStories fills the story lists
	(*Importer).bumpDataVersion,   // after every step that may change something
}

// finish runs the finishing steps, stopping first if the caller has
// cancelled.
func (im *Importer) finish() error {
	for _, step := range finishingSteps {
		if err := im.callerErr(); err != nil {
			return err
		}
		if err := step(im); err != nil {
			return err
		}
	}
	return nil
}

// flushEventRows inserts the rows of event_actors and event_sources still
// waiting in their batches.
func (im *Importer) flushEventRows() error {
	if err := im.eventActorRows.flush(im.ctx); err != nil {
		return err
	}
	return im.eventSourceRows.flush(im.ctx)
}

// writeSearchRows writes the search rows of the events written, and of
// the events of actors changed (a name is searched with its events), in
// one statement. Row by row, they would cost more than the rest of the
// import: a statement that may fail part way, as an INSERT of many rows of
// event_actors does, makes FTS5 write out the terms it has gathered so
// far, so that it kept writing tiny segments and merging them.
func (im *Importer) writeSearchRows() error {
	if len(im.changedActors) > 0 && !im.bulk { // in bulk, every event is written
		err := eachRow(im.ctx, im.tx, `SELECT DISTINCT event_id FROM event_actors WHERE actor_id IN (SELECT value FROM json_each(?))`,
			[]any{idList(im.changedActors)}, func(rows *sql.Rows) error {
				var id int64
				err := rows.Scan(&id)
				im.written = append(im.written, id)
				return err
			})
		if err != nil {
			return fmt.Errorf("search index: events of changed actors: %w", err)
		}
	}
	slices.Sort(im.written)
	im.written = slices.Compact(im.written) // an event given twice is written twice
	ids := idList(im.written)
	if !im.bulk {
		if _, err := im.tx.ExecContext(im.ctx, `DELETE FROM event_search WHERE rowid IN (SELECT value FROM json_each(?))`, ids); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if _, err := im.tx.ExecContext(im.ctx, `
		INSERT INTO event_search (rowid, title, summary, body, quotes, actors)
		SELECT e.id, e.title, e.summary, e.body, `+searchQuotes+`, `+searchActors+`
		FROM json_each(?) AS w JOIN events e ON e.id = w.value`, ids); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	im.written, im.changedActors = nil, nil
	return nil
}

// searchQuotes and searchActors are the search row's columns of quotes and
// of actors' names for the event e, as migrations/0009 first wrote them.
const (
	searchQuotes = `coalesce((SELECT group_concat(quote, char(10) ORDER BY position) FROM event_sources WHERE event_id = e.id), '')`
	searchActors = `coalesce((SELECT group_concat(a.name, char(10) ORDER BY ea.position) FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id), '')`
)

// linkVias sets each source's via, which may name a source that came
// after it, and clears a via the file no longer gives.
func (im *Importer) linkVias() error {
	for _, key := range slices.Sorted(maps.Keys(im.pendingVias)) {
		s := timeline.Source{Key: key, Via: im.pendingVias[key]}
		var via sql.NullInt64
		if s.Via != "" {
			id, ok := im.sourceIDs[s.Via]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "source %s: via names unknown source %q", s.Key, s.Via)
			}
			via = sql.NullInt64{Int64: id, Valid: true}
		}
		r, err := im.stmts.setVia.ExecContext(im.ctx, via, im.sourceIDs[s.Key], via)
		if err != nil {
			return fmt.Errorf("source %s: via: %w", s.Key, err)
		}
		if n, _ := r.RowsAffected(); n > 0 && s.Via != "" {
			im.res.SourcesChanged++
		}
	}
	return nil
}

// buildSlugIndex builds the index that writeAnswers finds events by, in
// bulk mode.
func (im *Importer) buildSlugIndex() error {
	return im.buildIndex("events_slug")
}

// writeAnswers writes the pending answers, now that every event they may
// answer is in.
func (im *Importer) writeAnswers() error {
	for i, a := range im.pendingAnswers {
		var to int64
		if err := im.stmts.eventID.QueryRowContext(im.ctx, a.to).Scan(&to); errors.Is(err, sql.ErrNoRows) {
			var story string
			if im.stmts.findWithdrawn.QueryRowContext(im.ctx, a.to).Scan(&story) == nil {
				return timeline.Errorf(timeline.EINVALID, "event %s: answers event %q, which is withdrawn from story %s", a.fromSlug, a.to, story)
			}
			return timeline.Errorf(timeline.EINVALID, "event %s: answers unknown event %q", a.fromSlug, a.to)
		} else if err != nil {
			return fmt.Errorf("event %s: answers %s: %w", a.fromSlug, a.to, err)
		}
		if err := im.answerRows.add(im.ctx, a.fromSlug, a.to, a.from, to, a.typ, a.position); err != nil {
			return err
		}
		im.pendingAnswers[i].toID = to
	}
	return im.answerRows.flush(im.ctx)
}

// stampAnswered stamps as changed, at the import's time, every event that
// gained or lost an answer, so that its feed entry is sent again: a claim
// that someone now denies is news, though its own record is unchanged. In
// bulk mode every event is new, and already stamped.
func (im *Importer) stampAnswered() error {
	if im.bulk {
		return nil
	}
	var touched []int64
	for _, a := range im.pendingAnswers {
		k := answerKey{to: a.toID, typ: a.typ}
		if former := im.formerAnswers[a.from]; former[k] {
			delete(former, k) // still answered so: not news; what is left was dropped
			continue
		}
		if !im.added[a.toID] {
			touched = append(touched, a.toID)
		}
	}
	for _, former := range im.formerAnswers {
		for k := range former {
			touched = append(touched, k.to)
		}
	}
	slices.Sort(touched)
	for _, id := range slices.Compact(touched) {
		if _, err := im.stmts.stampAnswered.ExecContext(im.ctx, im.at, id); err != nil {
			return fmt.Errorf("stamp answered event: %w", err)
		}
	}
	im.pendingAnswers, im.formerAnswers, im.added = nil, nil, nil
	return nil
}

// markDisputes marks the events in dispute, those at either end of a
// contesting answer, and unmarks the others, when any event changed.
func (im *Importer) markDisputes() error {
	if im.res.EventsChanged+im.res.EventsWithdrawn == 0 {
		return nil
	}
	// Look up only the events at either end of a contesting answer, rather
	// than every event for its answers. The + keeps SQLite from scanning
	// events_dispute_order for in_dispute = 0.
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE events SET in_dispute = 1 WHERE +in_dispute = 0 AND id IN (`+disputedEvents()+`)`); err != nil {
		return fmt.Errorf("mark disputes: %w", err)
	}
	// In bulk mode no event was in dispute before, nor is there the index
	// that would find one without reading every event.
	if im.bulk {
		return nil
	}
	if _, err := im.tx.ExecContext(im.ctx, `UPDATE events SET in_dispute = 0 WHERE in_dispute = 1 AND id NOT IN (`+disputedEvents()+`)`); err != nil {
		return fmt.Errorf("mark disputes: %w", err)
	}
	return nil
}

// disputedEvents are the events at either end of a contesting answer, as SQL.
func disputedEvents() string {
	return `SELECT from_event_id FROM answers WHERE type IN ` + contestingTypes() +
		` UNION ALL SELECT to_event_id FROM answers WHERE type IN ` + contestingTypes()
}

// countActorEvents updates each actor's count of events, when any event
// changed.
func (im *Importer) countActorEvents() error {
	if im.res.EventsChanged+im.res.EventsWithdrawn == 0 {
		return nil
	}
	if _, err := im.tx.ExecContext(im.ctx, `
		UPDATE actors SET event_count = c.n FROM (
			SELECT a.id, (SELECT count(DISTINCT event_id) FROM event_actors WHERE actor_id = a.id) AS n FROM actors a
		) AS c WHERE actors.id = c.id AND actors.event_count <> c.n`); err != nil {
		return fmt.Errorf("count actor events: %w", err)
	}
	return nil
}

// bumpDataVersion moves the data version on if the import changed
// anything, so that pages cached under the old one are not served again,
// and notes the version in the result.
func (im *Importer) bumpDataVersion() error {
	if im.storiesChanged() || im.res.Changed() {
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE story SET data_version = data_version + 1 WHERE id = 1`); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
	}
	if err := im.tx.QueryRowContext(im.ctx, `SELECT data_version FROM story WHERE id = 1`).Scan(&im.res.DataVersion); err != nil {
		return fmt.Errorf("read data version: %w", err)
	}
	for _, st := range im.stories {
		if st.changed {
			if _, err := im.tx.ExecContext(im.ctx, `UPDATE stories SET updated_version = ? WHERE id = ?`, im.res.DataVersion, st.id); err != nil {
				return fmt.Errorf("story %s: %w", st.slug, err)
			}
		}
	}
	return nil
}
