package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

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

// Import applies a validated dataset in one transaction; see Importer.
func (db *DB) Import(ctx context.Context, ds *timeline.Dataset) (ImportResult, error) {
	im, err := db.BeginImport(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.Rollback()
	if err := im.apply(ds); err != nil {
		return ImportResult{}, err
	}
	return im.Commit()
}

// apply gives the importer every record of ds.
func (im *Importer) apply(ds *timeline.Dataset) error {
	if err := im.Story(ds.Title, ds.Description); err != nil {
		return err
	}
	for _, a := range ds.Actors {
		if err := im.Actor(a); err != nil {
			return err
		}
	}
	for _, s := range ds.Sources {
		if err := im.Source(s); err != nil {
			return err
		}
	}
	for i := range ds.Events {
		if err := im.Event(&ds.Events[i]); err != nil {
			return err
		}
	}
	return nil
}

// Importer applies records, as they are read, inside one transaction:
// actors, sources and events are created or updated in place by slug, and
// an event whose former slugs name an existing event renames it. Unchanged
// records are not written, so importing the same file twice changes
// nothing, not even the data version. Readers see the state before or
// after, never between. Actors and sources come before the events that name
// them; an answer may name an event that comes later.
//
// Each record is written as it comes; what needs the whole file waits for
// Commit, which runs the finishingSteps. An import into a database with no
// events runs in bulk mode (see startBulk).
type Importer struct {
	db   *DB
	conn *sql.Conn
	tx   *sql.Tx
	// ctx runs every statement: the caller's context without its
	// cancellation, because the driver watches a cancellable context with a
	// goroutine per statement, a large share of a big import's time.
	// Instead, callerErr (the caller's ctx.Err) is asked where stopping is
	// safe: every cancelCheck records, and before each finishing step.
	ctx       context.Context
	callerErr func() error
	records   int // records so far, for cancelCheck
	stmts     importStatements
	done      bool // committed or rolled back
	res       ImportResult

	// eventActorRows, eventSourceRows and answerRows insert rows of those
	// tables, which outnumber the events, many at a time in bulk mode.
	eventActorRows, eventSourceRows, answerRows *batch
	// hashBuf is eventHash's scratch space.
	hashBuf []byte

	// What the finishing steps need.
	title, description string
	storyChanged       bool
	actorIDs           map[string]int64
	sourceIDs          map[string]int64
	pendingVias        []timeline.Source // every source's via, by key
	pendingAnswers     []pendingAnswer   // the answers of the events written
	written            []int64           // the events written, for their search rows

	// bulk is set when the import began on a database with no events.
	bulk    bool
	indexes []index  // the indexes bulk mode dropped, built again at commit
	restore []string // the pragmas that put back what bulk mode changed
}

// pendingAnswer is an answer of an event written, held until Commit
// because the event it answers may come later in the file.
type pendingAnswer struct {
	from     int64
	fromSlug string
	to       string
	typ      timeline.AnswerType
	position int
}

// BeginImport starts an import. Call Commit to apply it, or Rollback (safe
// after Commit) to discard it.
func (db *DB) BeginImport(ctx context.Context) (*Importer, error) {
	if db.readOnly {
		return nil, timeline.Errorf(timeline.ECONFLICT, "the database is open read-only")
	}
	// A connection of its own, so that bulk mode's settings can be put back
	// on it however the transaction ends.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	// The transaction ends with the caller's context: database/sql rolls it
	// back when that is cancelled, at the cost of one goroutine an import.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	im := &Importer{db: db, conn: conn, tx: tx, ctx: context.WithoutCancel(ctx), callerErr: ctx.Err,
		actorIDs: map[string]int64{}, sourceIDs: map[string]int64{}}
	if err := im.startBulk(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := im.prepareStatements(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	return im, nil
}

// Rollback discards the import.
func (im *Importer) Rollback() error {
	if im.done {
		return nil
	}
	im.done = true
	im.stmts.close()
	err := im.tx.Rollback()
	im.release()
	return err
}

// Commit runs the finishing steps and commits.
func (im *Importer) Commit() (ImportResult, error) {
	if err := im.finish(); err != nil {
		im.Rollback()
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	im.done = true
	im.stmts.close()
	err := im.tx.Commit()
	im.release()
	im.db.storyGen.Add(1) // even a failed commit: whatever it left, read it afresh
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: commit: %w", err)
	}
	return im.res, nil
}

// cancelCheck is how many records pass between checks of cancellation.
const cancelCheck = 1024

// nextRecord counts a record and, every cancelCheck records, reports the
// caller's cancellation.
func (im *Importer) nextRecord() error {
	im.records++
	if im.records%cancelCheck == 0 {
		return im.callerErr()
	}
	return nil
}

// Story sets the story's title and description.
func (im *Importer) Story(title, description string) error {
	im.title, im.description = title, description
	return nil
}

// Actor creates or updates an actor.
func (im *Importer) Actor(a timeline.Actor) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	r, err := im.stmts.upsertActor.ExecContext(im.ctx, a.Slug, a.Name, a.Kind, a.Country, a.Description)
	if err != nil {
		return fmt.Errorf("import actor %s: %w", a.Slug, err)
	}
	n, _ := r.RowsAffected()
	im.res.ActorsChanged += int(n)
	var id int64
	if err := im.stmts.actorID.QueryRowContext(im.ctx, a.Slug).Scan(&id); err != nil {
		return fmt.Errorf("import actor %s: %w", a.Slug, err)
	}
	im.actorIDs[a.Slug] = id
	return nil
}

// Source creates or updates a source. Its via may name a later source, and
// is set at commit.
func (im *Importer) Source(s timeline.Source) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	r, err := im.stmts.upsertSource.ExecContext(im.ctx, s.Key, s.Outlet, s.URL, s.Title, s.Published)
	if err != nil {
		return fmt.Errorf("import source %s: %w", s.Key, err)
	}
	n, _ := r.RowsAffected()
	im.res.SourcesChanged += int(n)
	var id int64
	if err := im.stmts.sourceID.QueryRowContext(im.ctx, s.Key).Scan(&id); err != nil {
		return fmt.Errorf("import source %s: %w", s.Key, err)
	}
	im.sourceIDs[s.Key] = id
	im.pendingVias = append(im.pendingVias, timeline.Source{Key: s.Key, Via: s.Via})
	return nil
}

// Event creates, updates or renames an event, unless it is unchanged.
func (im *Importer) Event(e *timeline.Event) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	hash := eventHash(e, &im.hashBuf)
	id, oldHash, err := im.findEvent(e)
	args := []any{e.Slug, e.Title, e.Summary, e.Body, e.Kind, e.When.Text(), e.Until.Text(), e.When.Zone(), e.When.SortKey(), e.Location, e.AccordingTo.Slug, e.WhenInferred, e.WhenNote, hash}
	isNew := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := im.stmts.insertEvent.ExecContext(im.ctx, args...)
		if err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
		if id, err = r.LastInsertId(); err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
		isNew = true
	case err != nil:
		return fmt.Errorf("import event %s: %w", e.Slug, err)
	case oldHash == hash:
		im.res.EventsSame++
		return nil
	default:
		if _, err := im.stmts.updateEvent.ExecContext(im.ctx, append(args, id)...); err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
	}
	im.res.EventsChanged++
	return im.writeEventRows(id, e, isNew)
}

// findEvent finds the stored event that e is a record of, by its slug or,
// for a renamed event, by a former slug, which may still be a live row or
// already a redirect. It returns sql.ErrNoRows for a new event; in bulk mode
// every event is new.
func (im *Importer) findEvent(e *timeline.Event) (id int64, hash string, err error) {
	if im.bulk {
		return 0, "", sql.ErrNoRows
	}
	err = im.stmts.findEvent.QueryRowContext(im.ctx, e.Slug).Scan(&id, &hash)
	for _, former := range e.FormerSlugs {
		if !errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err = im.stmts.findEvent.QueryRowContext(im.ctx, former).Scan(&id, &hash); errors.Is(err, sql.ErrNoRows) {
			err = im.stmts.findMovedEvent.QueryRowContext(im.ctx, former).Scan(&id, &hash)
		}
	}
	return id, hash, err
}

// writeEventRows rewrites an event's actors, sources and former slugs, and
// holds its answers, whose events may not exist yet, and its search row
// for the finishing steps. Its errors name their event: one from a batch of
// rows may be an earlier event's.
func (im *Importer) writeEventRows(id int64, e *timeline.Event, isNew bool) error {
	fail := func(err error) error { return fmt.Errorf("import event %s: %w", e.Slug, err) }
	if !isNew && !im.bulk {
		// Outside bulk mode no row waits in a batch: a row of this event's
		// from an earlier record of it is in the table.
		for _, clear := range []struct {
			name string
			st   *sql.Stmt
		}{{"clearActors", im.stmts.clearEventActors}, {"clearSources", im.stmts.clearEventSources}, {"clearAnswers", im.stmts.clearAnswers}} {
			if _, err := clear.st.ExecContext(im.ctx, id); err != nil {
				return fail(fmt.Errorf("%s: %w", clear.name, err))
			}
		}
	}
	for i, a := range e.Actors {
		actorID, ok := im.actorIDs[a.Actor.Slug]
		if !ok {
			return fail(timeline.Errorf(timeline.EINVALID, "event %s: unknown actor %q", e.Slug, a.Actor.Slug))
		}
		if err := im.eventActorRows.add(im.ctx, e.Slug, a.Actor.Slug, id, actorID, a.Role, i, e.When.SortKey()); err != nil {
			return err
		}
	}
	for i, c := range e.Sources {
		sourceID, ok := im.sourceIDs[c.Source.Key]
		if !ok {
			return fail(timeline.Errorf(timeline.EINVALID, "event %s: unknown source %q", e.Slug, c.Source.Key))
		}
		if err := im.eventSourceRows.add(im.ctx, e.Slug, c.Source.Key, id, i, sourceID, c.Quote); err != nil {
			return err
		}
	}
	for _, former := range e.FormerSlugs {
		if _, err := im.stmts.upsertRedirect.ExecContext(im.ctx, former, id); err != nil {
			return fail(fmt.Errorf("former slug %s: %w", former, err))
		}
	}
	im.written = append(im.written, id)
	for i, a := range e.Answers {
		im.pendingAnswers = append(im.pendingAnswers, pendingAnswer{from: id, fromSlug: e.Slug, to: a.Event.Slug, typ: a.Type, position: i})
	}
	return nil
}

// eventHash fingerprints everything an import writes for an event. buf is
// scratch space, kept by the caller from one event to the next.
func eventHash(e *timeline.Event, buf *[]byte) string {
	b := hashInput((*buf)[:0])
	b.field(e.Slug, e.Title, e.Summary, e.Body, string(e.Kind), e.When.Text(), e.Until.Text(), e.When.Zone(), e.Location)
	if e.AccordingTo.Slug != "" || e.WhenInferred || e.WhenNote != "" {
		// Only where set, so that events without them keep their hash.
		b.field("account", e.AccordingTo.Slug, strconv.FormatBool(e.WhenInferred), e.WhenNote)
	}
	b.field(e.FormerSlugs...)
	for _, a := range e.Actors {
		b.field("actor", a.Actor.Slug, string(a.Role))
	}
	for _, c := range e.Sources {
		b.field("source", c.Source.Key, c.Quote)
	}
	for _, a := range e.Answers {
		b.field("answers", a.Event.Slug, string(a.Type))
	}
	*buf = b
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hashInput is what eventHash hashes: each part behind its length, so that
// no two different events give the same bytes.
type hashInput []byte

func (b *hashInput) field(parts ...string) {
	for _, p := range parts {
		*b = strconv.AppendInt(*b, int64(len(p)), 10)
		*b = append(*b, ':')
		*b = append(*b, p...)
	}
	*b = append(*b, ';')
}
