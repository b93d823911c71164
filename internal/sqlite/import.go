package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// ImportResult says what an import changed.
type ImportResult struct {
	ActorsChanged  int
	SourcesChanged int
	EventsChanged  int
	EventsSame     int
	// EventsWithdrawn are the events of the stories imported that their
	// files no longer list.
	EventsWithdrawn int
	// Stories are the slugs of the stories the import touched, in file order.
	Stories     []string
	DataVersion int64
}

// Changed reports whether the import changed anything.
func (r ImportResult) Changed() bool {
	return r.ActorsChanged+r.SourcesChanged+r.EventsChanged+r.EventsWithdrawn > 0
}

// Import applies a validated dataset in one transaction; see Importer.
func (db *DB) Import(ctx context.Context, ds *timeline.Dataset) (ImportResult, error) {
	im, err := db.BeginImport(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.Rollback()
	if err := im.Apply(ds); err != nil {
		return ImportResult{}, err
	}
	return im.Commit()
}

// Apply gives the importer every record of ds.
func (im *Importer) Apply(ds *timeline.Dataset) error {
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
	if err := im.Story(ds.Slug, ds.Title, ds.Description); err != nil {
		return err
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
// an event whose former slugs name an existing event renames it. Each file
// is one story (Story comes after its actors and sources, before its
// events), and an import may hold several: a story becomes what its file
// says, and its events that the file no longer lists are withdrawn at
// Commit; other stories are not touched. Actors and sources are the
// archive's: one story's file that edits an actor edits it for all. Unchanged
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
	stories       []*storyImport // the stories of the files, in order
	cur           *storyImport   // the story whose events are coming
	listedActors  []int64        // the actors and sources of the file being read,
	listedSources []int64        // for its story, in file order
	anyWithdrawn  bool           // the archive has withdrawn events, whose slugs are refused
	v1Slug        string         // the story a file that names none goes into; see SetStory
	// allow is what the import takes that it refuses by default; see
	// SetAllowance.
	allow     timeline.Allowance
	actorIDs  map[string]int64
	sourceIDs map[string]int64
	// pendingVias is every source's via, by key: a source that many stories'
	// files list is linked once, as its last record says.
	pendingVias    map[string]string
	pendingAnswers []pendingAnswer // the answers of the events written
	// formerAnswers are what the events rewritten answered before, by row
	// id: an event whose answers change is stamped as changed (see
	// stampAnswered).
	formerAnswers map[int64]map[answerKey]bool
	// added are the events this import adds, by row id: the times the file
	// gives them are theirs already, answers included (stampAnswered).
	added map[int64]bool
	// at is the import's one clock reading, in Unix seconds: every event it
	// adds or changes is stamped with it (SetTime sets it).
	at      int64
	written []int64 // the events written, for their search rows
	// changedActors are actors whose events' search rows name them anew.
	changedActors []int64
	// lastActors and lastSources are the records sent to SQLite, so that
	// one repeated by a later file is not sent again.
	lastActors  lastWritten[timeline.Actor]
	lastSources lastWritten[timeline.Source]

	// bulk is set when the import began on a database with no events.
	bulk    bool
	indexes []index  // the indexes bulk mode dropped, built again at commit
	restore []string // the pragmas that put back what bulk mode changed
	// searchHashWas is the search index's own hashsize, if it had one,
	// which widenSearchHash changed and narrowSearchHash puts back.
	searchHashWas sql.NullInt64
}

// storyImport is one story of an import, as its file gives it.
type storyImport struct {
	id      int64
	slug    string
	actors  []int64 // listed by the file, in its order
	sources []int64
	kept    []int64 // the file's events, by row id, for withdrawing the others
	changed bool    // anything of the story's changed: it moves up the front page
	// fromTitle is set when the file named no story and none was given:
	// the slug was made from its title, which an editor may have changed.
	fromTitle bool
}

// answerKey is one answer of an event: the event it answers, and how.
type answerKey struct {
	to  int64
	typ timeline.AnswerType
}

// pendingAnswer is an answer of an event written, held until Commit
// because the event it answers may come later in the file.
type pendingAnswer struct {
	from     int64
	fromSlug string
	to       string
	typ      timeline.AnswerType
	position int
	toID     int64 // set by writeAnswers
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
		actorIDs: map[string]int64{}, sourceIDs: map[string]int64{}, pendingVias: map[string]string{},
		lastActors: lastWritten[timeline.Actor]{}, lastSources: lastWritten[timeline.Source]{},
		formerAnswers: map[int64]map[answerKey]bool{}, added: map[int64]bool{}, at: time.Now().Unix()}
	if err := im.startBulk(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := im.prepareStatements(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := im.tx.QueryRowContext(im.ctx, `SELECT EXISTS (SELECT 1 FROM withdrawn_events)`).Scan(&im.anyWithdrawn); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	return im, nil
}

// SetTime sets the time the import stamps on the events it adds or
// changes, which is otherwise when it began.
func (im *Importer) SetTime(at time.Time) { im.at = at.Unix() }

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
	im.db.archiveGen.Add(1) // even a failed commit: whatever it left, read it afresh
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

// SetStory names the story that a file in the first format, which names
// none, goes into; without it, that story's slug is derived from the
// file's title (timeline.SlugOf). A file that names another story is
// refused.
func (im *Importer) SetStory(slug string) error {
	if !timeline.ValidSlug(slug) {
		return timeline.Errorf(timeline.EINVALID, "story %q must be lowercase letters, digits and single hyphens", slug)
	}
	im.v1Slug = slug
	return nil
}

// SetAllowance lets the import take events with no source, or naming no
// actor, each marked so, which are refused otherwise: the editor's
// explicit choice (timeline import --allow-unsourced, --allow-unattributed).
// The readers of the formats ask it through Allowed (see dataset.Allower).
func (im *Importer) SetAllowance(allow timeline.Allowance) { im.allow = allow }

// Allowed is what the import takes that it refuses by default.
func (im *Importer) Allowed() timeline.Allowance { return im.allow }

// Story begins a story: the events that follow are its, and the actors and
// sources since the last story are those its file lists. A story new to
// the archive is created; its title and description are set.
func (im *Importer) Story(slug, title, description string) error {
	fromTitle := false
	switch {
	case slug == "" && im.v1Slug != "":
		slug = im.v1Slug
	case slug == "":
		slug, fromTitle = timeline.SlugOf(title), true
	case im.v1Slug != "" && slug != im.v1Slug:
		return timeline.Errorf(timeline.EINVALID, "the file is story %q, not %q", slug, im.v1Slug)
	}
	for _, st := range im.stories {
		if st.slug == slug {
			return timeline.Errorf(timeline.EINVALID, "story %s: given twice in one import", slug)
		}
	}
	st := &storyImport{slug: slug, actors: im.listedActors, sources: im.listedSources, fromTitle: fromTitle}
	im.listedActors, im.listedSources = nil, nil
	r, err := im.tx.ExecContext(im.ctx, `INSERT INTO stories (slug, title, description) VALUES (?, ?, ?) ON CONFLICT (slug) DO UPDATE
		SET title = excluded.title, description = excluded.description WHERE title <> excluded.title OR description <> excluded.description`, slug, title, description)
	if err != nil {
		return fmt.Errorf("import story %s: %w", slug, err)
	}
	if n, _ := r.RowsAffected(); n > 0 {
		st.changed = true
	}
	if err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM stories WHERE slug = ?`, slug).Scan(&st.id); err != nil {
		return fmt.Errorf("import story %s: %w", slug, err)
	}
	im.stories = append(im.stories, st)
	im.cur = st
	im.res.Stories = append(im.res.Stories, slug)
	return nil
}

// Actor creates or updates an actor.
func (im *Importer) Actor(a timeline.Actor) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	if im.lastActors.repeats(a.Slug, a) {
		im.listedActors = append(im.listedActors, im.actorIDs[a.Slug])
		return nil
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
	im.lastActors[a.Slug] = a
	if n > 0 {
		im.changedActors = append(im.changedActors, id)
	}
	im.listedActors = append(im.listedActors, id)
	return nil
}

// Source creates or updates a source. Its via may name a later source, and
// is set at commit.
func (im *Importer) Source(s timeline.Source) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	if im.lastSources.repeats(s.Key, s) {
		im.listedSources = append(im.listedSources, im.sourceIDs[s.Key])
		return nil // its via is pending already
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
	im.lastSources[s.Key] = s
	im.listedSources = append(im.listedSources, id)
	im.pendingVias[s.Key] = s.Via
	return nil
}

// Event creates, updates or renames an event, unless it is unchanged.
func (im *Importer) Event(e *timeline.Event) error {
	if err := im.nextRecord(); err != nil {
		return err
	}
	st := im.cur
	if st == nil {
		return fmt.Errorf("import event %s: an event before its story", e.Slug)
	}
	if err := im.refuseWithdrawn(e); err != nil {
		return err
	}
	if !timeline.SourcingOf(e).Acceptable(im.allow.Unsourced) {
		return timeline.Errorf(timeline.EINVALID, "import event %s: an event cites at least one source, or, where unsourced events are allowed, none and is marked unsourced", e.Slug)
	}
	hash := eventHash(e, &im.hashBuf)
	id, storyID, oldHash, err := im.findEvent(e)
	if err == nil && storyID != st.id {
		return im.otherStory(e, storyID)
	}
	args := []any{e.Slug, e.Title, e.Summary, e.Body, e.Kind, e.When.Text(), e.Until.Text(), e.When.Zone(), e.When.SortKey(), e.Location, e.AccordingTo.Slug, e.WhenInferred, e.WhenNote, e.DisplayDate, e.Unsourced, e.Unattributed, hash, st.id}
	isNew := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// A new event with former slugs was renamed where it comes from,
		// whose export lists its first slug first (see loadEvents): its
		// feed entries keep their id.
		var firstSlug sql.NullString
		if len(e.FormerSlugs) > 0 {
			firstSlug = sql.NullString{String: e.FormerSlugs[0], Valid: true}
		}
		added, changed := im.stamps(e)
		r, err := im.stmts.insertEvent.ExecContext(im.ctx, append(args, added, changed, firstSlug)...)
		if err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
		if id, err = r.LastInsertId(); err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
		isNew = true
		if !im.bulk { // in bulk mode no answer is stamped
			im.added[id] = true
		}
	case err != nil:
		return fmt.Errorf("import event %s: %w", e.Slug, err)
	case oldHash == hash:
		im.res.EventsSame++
		st.kept = append(st.kept, id)
		return nil
	default:
		if _, err := im.stmts.updateEvent.ExecContext(im.ctx, append(args, im.at, id)...); err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
	}
	im.res.EventsChanged++
	st.changed = true
	if !im.bulk { // in bulk mode there is nothing to withdraw
		st.kept = append(st.kept, id)
	}
	return im.writeEventRows(id, e, isNew)
}

// stamps is when an event this import adds was added and last changed:
// as the file says, where it comes from an export (the one time it gives
// standing for both where it gives one), else this import's time. A time
// after the import (the clock of the machine it was exported on ahead of
// this one's) is the import's, so that no feed dates an entry in the
// future. An event the archive has is changed now, whatever the file says.
func (im *Importer) stamps(e *timeline.Event) (added, changed int64) {
	at := func(t, or time.Time) int64 {
		if t.IsZero() {
			t = or
		}
		if t.IsZero() {
			return im.at
		}
		return min(t.Unix(), im.at)
	}
	return at(e.Added, e.Changed), at(e.Changed, e.Added)
}

// refuseWithdrawn refuses an event whose slug, or a former slug, is that of
// a withdrawn event: a slug is never used again.
func (im *Importer) refuseWithdrawn(e *timeline.Event) error {
	if !im.anyWithdrawn {
		return nil
	}
	for _, slug := range append([]string{e.Slug}, e.FormerSlugs...) {
		var story string
		err := im.stmts.findWithdrawn.QueryRowContext(im.ctx, slug).Scan(&story)
		if err == nil {
			return timeline.Errorf(timeline.EINVALID, "event %s: %q is the slug of an event withdrawn from story %s, and a slug is never used again: give the event a new one", e.Slug, slug, story)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
	}
	return nil
}

// otherStory is the error for an event of the file that is another story's.
func (im *Importer) otherStory(e *timeline.Event, storyID int64) error {
	var other string
	if err := im.tx.QueryRowContext(im.ctx, `SELECT slug FROM stories WHERE id = ?`, storyID).Scan(&other); err != nil {
		return fmt.Errorf("import event %s: %w", e.Slug, err)
	}
	if im.cur.fromTitle {
		// Most likely the story's title was edited in a file that does not
		// name its story: say how to keep it the same story.
		return timeline.Errorf(timeline.EINVALID, "event %s: the slug belongs to an event of story %s, not %s, the story made from this file's title: "+
			"a file that names no story goes into the story its title makes; to import it into %s, give --story %s or name the story in the file",
			e.Slug, other, im.cur.slug, other, other)
	}
	return timeline.Errorf(timeline.EINVALID, "event %s: the slug belongs to an event of story %s, not %s: an event is in one story", e.Slug, other, im.cur.slug)
}

// findEvent finds the stored event that e is a record of, by its slug or,
// for a renamed event, by a former slug, which may still be a live row or
// already a redirect. It returns sql.ErrNoRows for a new event; in bulk mode
// every event is new.
func (im *Importer) findEvent(e *timeline.Event) (id, storyID int64, hash string, err error) {
	if im.bulk {
		return 0, 0, "", sql.ErrNoRows
	}
	err = im.stmts.findEvent.QueryRowContext(im.ctx, e.Slug).Scan(&id, &storyID, &hash)
	for _, former := range e.FormerSlugs {
		if !errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err = im.stmts.findEvent.QueryRowContext(im.ctx, former).Scan(&id, &storyID, &hash); errors.Is(err, sql.ErrNoRows) {
			err = im.stmts.findMovedEvent.QueryRowContext(im.ctx, former).Scan(&id, &storyID, &hash)
		}
	}
	return id, storyID, hash, err
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
		if err := im.noteFormerAnswers(id); err != nil {
			return fail(err)
		}
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
		if err := im.eventActorRows.add(im.ctx, e.Slug, a.Actor.Slug, id, actorID, a.Role, i, e.When.SortKey(), im.cur.id); err != nil {
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
	if err := im.writeFormerSlugs(id, e, isNew); err != nil {
		return fail(err)
	}
	im.written = append(im.written, id)
	for i, a := range e.Answers {
		im.pendingAnswers = append(im.pendingAnswers, pendingAnswer{from: id, fromSlug: e.Slug, to: a.Event.Slug, typ: a.Type, position: i})
	}
	return nil
}

// writeFormerSlugs keeps an event's former slugs, which redirect to it,
// each new one placed after those it had, so that they read back in the
// order they were made (see loadEvents). A new event has none yet.
func (im *Importer) writeFormerSlugs(id int64, e *timeline.Event, isNew bool) error {
	if len(e.FormerSlugs) == 0 {
		return nil
	}
	next := 0
	if !isNew {
		if err := im.stmts.nextRedirectPosition.QueryRowContext(im.ctx, id).Scan(&next); err != nil {
			return fmt.Errorf("former slugs: %w", err)
		}
	}
	for _, former := range e.FormerSlugs {
		if _, err := im.stmts.upsertRedirect.ExecContext(im.ctx, former, id, next); err != nil {
			return fmt.Errorf("former slug %s: %w", former, err)
		}
		next++
	}
	return nil
}

// noteFormerAnswers keeps what an event about to be rewritten answered, for
// stampAnswered. An event given twice in one import keeps its first.
func (im *Importer) noteFormerAnswers(id int64) error {
	if _, ok := im.formerAnswers[id]; ok {
		return nil
	}
	rows, err := im.stmts.eventAnswers.QueryContext(im.ctx, id)
	if err != nil {
		return fmt.Errorf("former answers: %w", err)
	}
	defer rows.Close()
	former := map[answerKey]bool{}
	for rows.Next() {
		var k answerKey
		if err := rows.Scan(&k.to, &k.typ); err != nil {
			return fmt.Errorf("former answers: %w", err)
		}
		former[k] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("former answers: %w", err)
	}
	im.formerAnswers[id] = former
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
	if e.DisplayDate != "" {
		b.field("display date", e.DisplayDate)
	}
	if e.Unsourced {
		b.field("unsourced")
	}
	if e.Unattributed {
		b.field("unattributed")
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
