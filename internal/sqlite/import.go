package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
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
type Importer struct {
	// ctx runs the statements: the caller's context without its
	// cancellation, because the driver watches a cancellable context with a
	// goroutine per statement, which costs a third of a large import.
	// Cancellation is checked every cancelCheck records instead.
	ctx    context.Context
	parent context.Context
	db     *DB
	n      int
	conn   *sql.Conn
	tx     *sql.Tx
	res    ImportResult
	stmts  map[string]*sql.Stmt
	// hashBuf is eventHash's scratch space.
	hashBuf []byte
	// eventActors, eventSources and answerRows collect rows of those
	// tables, which outnumber the events, to insert many at a time.
	eventActors, eventSources, answerRows *batch
	// written are the events inserted or updated, whose search rows are
	// written at commit.
	written []int64

	title, description string
	actorIDs           map[string]int64
	sourceIDs          map[string]int64
	vias               []timeline.Source // sources with a via, linked at commit
	answers            []pendingAnswer   // answers of changed events, linked at commit
	done               bool
	// bulk is set when the import began on a database with no events: the
	// secondary indexes are dropped and built once at commit, which is far
	// faster than updating them row by row.
	bulk    bool
	indexes []index // the indexes to build again at commit
	// restore puts back the connection's settings that a bulk import changed.
	restore []string
}

type index struct{ name, create string }

type pendingAnswer struct {
	from     int64
	fromSlug string
	to       string
	typ      timeline.AnswerType
	position int
}

var importStatements = map[string]string{
	"actor": `INSERT INTO actors (slug, name, kind, country, description) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, country = excluded.country, description = excluded.description
		WHERE name <> excluded.name OR kind <> excluded.kind OR country <> excluded.country OR description <> excluded.description`,
	"actorID": `SELECT id FROM actors WHERE slug = ?`,
	"source": `INSERT INTO sources (key, outlet, url, title, published) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET outlet = excluded.outlet, url = excluded.url, title = excluded.title, published = excluded.published
		WHERE outlet <> excluded.outlet OR url <> excluded.url OR title <> excluded.title OR published <> excluded.published`,
	"sourceID":  `SELECT id FROM sources WHERE key = ?`,
	"via":       `UPDATE sources SET via_id = ? WHERE id = ? AND via_id IS NOT ?`,
	"find":      `SELECT id, content_hash FROM events WHERE slug = ?`,
	"findMoved": `SELECT e.id, e.content_hash FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ?`,
	"insert": `INSERT INTO events (slug, title, summary, body, kind, when_text, until_text, zone, sort_unix, location, content_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"update": `UPDATE events SET slug = ?, title = ?, summary = ?, body = ?, kind = ?, when_text = ?, until_text = ?, zone = ?, sort_unix = ?, location = ?, content_hash = ?
		WHERE id = ?`,
	"clearActors":  `DELETE FROM event_actors WHERE event_id = ?`,
	"clearSources": `DELETE FROM event_sources WHERE event_id = ?`,
	"clearAnswers": `DELETE FROM answers WHERE from_event_id = ?`,
	"eventID":      `SELECT id FROM events WHERE slug = ?`,
	"redirect":     `INSERT INTO event_redirects (slug, event_id) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET event_id = excluded.event_id`,
}

// BeginImport starts an import. Call Commit to apply it, or Rollback (safe
// after Commit) to discard it.
func (db *DB) BeginImport(ctx context.Context) (*Importer, error) {
	if db.readOnly {
		return nil, timeline.Errorf(timeline.ECONFLICT, "the database is open read-only")
	}
	// A connection of its own, so that a bulk import's settings can be put
	// back on it however the transaction ends.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("import: begin: %w", err)
	}
	im := &Importer{ctx: context.WithoutCancel(ctx), parent: ctx, db: db, conn: conn, tx: tx, stmts: map[string]*sql.Stmt{}, actorIDs: map[string]int64{}, sourceIDs: map[string]int64{}}
	if err := im.startBulk(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	for name, q := range importStatements {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			im.Rollback()
			return nil, fmt.Errorf("import: prepare %s: %w", name, err)
		}
		im.stmts[name] = st
	}
	if im.eventActors, err = im.newBatch("actor", "event_actors (event_id, actor_id, role, position, sort_unix)", 5); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	if im.eventSources, err = im.newBatch("source", "event_sources (event_id, position, source_id, quote)", 4); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	if im.answerRows, err = im.newBatch("answer to", "answers (from_event_id, to_event_id, type, position)", 4); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("import: %w", err)
	}
	return im, nil
}

// batch inserts rows into one table many to a statement. Most of the cost
// of a small row's INSERT is the statement's trip through database/sql and
// cgo, which a statement of batchRows rows makes once: 2.3 µs a row one at
// a time, 1.1 µs in statements of 32 rows.
//
// Only a bulk import batches. Into tables with their indexes, a statement
// of many rows has SQLite keep a statement journal of every index page it
// touches, which costs more than it saves: re-importing a million events,
// each edited, took 155 s in batches and 123 s row by row.
type batch struct {
	what   string    // what a row links its event to, for errors: "actor"
	one    *sql.Stmt // one row, for a part batch and to find a failing row
	many   *sql.Stmt // batchRows rows, in a bulk import
	width  int       // values a row
	rows   int       // rows a statement: batchRows, or 1 if not a bulk import
	args   []any
	events []string // each row's event slug and linked key, for errors
	keys   []string
}

const batchRows = 32

func (im *Importer) newBatch(what, table string, width int) (*batch, error) {
	b := &batch{what: what, width: width, rows: 1}
	row := "(" + placeholders(width) + ")"
	var err error
	if b.one, err = im.tx.PrepareContext(im.ctx, "INSERT INTO "+table+" VALUES "+row); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", table, err)
	}
	im.stmts[table] = b.one // closed with the others
	if !im.bulk {
		return b, nil
	}
	if b.many, err = im.tx.PrepareContext(im.ctx, "INSERT INTO "+table+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", batchRows), ", ")); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", table, err)
	}
	im.stmts[table+" many"] = b.many
	b.rows = batchRows
	return b, nil
}

// add queues a row of event's, linking it to key, and inserts the batch
// once it is full.
func (b *batch) add(ctx context.Context, event, key string, args ...any) error {
	b.args = append(b.args, args...)
	b.events = append(b.events, event)
	b.keys = append(b.keys, key)
	if len(b.events) == b.rows {
		return b.flush(ctx)
	}
	return nil
}

// flush inserts the rows queued. An error names the row's event and key.
func (b *batch) flush(ctx context.Context) error {
	defer func() {
		b.args, b.events, b.keys = b.args[:0], b.events[:0], b.keys[:0]
	}()
	if b.many != nil && len(b.events) == batchRows {
		if _, err := b.many.ExecContext(ctx, b.args...); err == nil {
			return nil
		}
		// A failed statement leaves nothing behind: go row by row to
		// find the one at fault.
	}
	for i := range b.events {
		if _, err := b.one.ExecContext(ctx, b.args[i*b.width:(i+1)*b.width]...); err != nil {
			return fmt.Errorf("import event %s: %s %s: %w", b.events[i], b.what, b.keys[i], err)
		}
	}
	return nil
}

// flush inserts every row still queued.
func (im *Importer) flush() error {
	if err := im.eventActors.flush(im.ctx); err != nil {
		return err
	}
	return im.eventSources.flush(im.ctx)
}

// bulkTables are the tables whose indexes a bulk import builds at the end.
var bulkTables = []string{"events", "event_actors", "event_sources", "event_redirects", "answers"}

// startBulk drops the event tables' indexes when there are no events yet.
// Dropping is part of the transaction: a rollback brings them back.
func (im *Importer) startBulk() error {
	if err := im.tx.QueryRowContext(im.ctx, `SELECT NOT EXISTS (SELECT 1 FROM events)`).Scan(&im.bulk); err != nil {
		return err
	}
	if !im.bulk {
		return nil
	}
	err := eachRow(im.ctx, im.tx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+placeholders(len(bulkTables))+`) ORDER BY name`,
		stringArgs(bulkTables), func(rows *sql.Rows) error {
			var ix index
			if err := rows.Scan(&ix.name, &ix.create); err != nil {
				return err
			}
			im.indexes = append(im.indexes, ix)
			return nil
		})
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	for _, ix := range im.indexes {
		if _, err := im.tx.ExecContext(im.ctx, `DROP INDEX "`+ix.name+`"`); err != nil {
			return fmt.Errorf("drop index %s: %w", ix.name, err)
		}
	}
	var cacheSize, threads int
	if err := im.tx.QueryRowContext(im.ctx, `PRAGMA cache_size`).Scan(&cacheSize); err != nil {
		return fmt.Errorf("read cache size: %w", err)
	}
	if err := im.tx.QueryRowContext(im.ctx, `PRAGMA threads`).Scan(&threads); err != nil {
		return fmt.Errorf("read threads: %w", err)
	}
	im.restore = []string{fmt.Sprintf(`PRAGMA cache_size = %d`, cacheSize), fmt.Sprintf(`PRAGMA threads = %d`, threads)}
	for _, pragma := range []string{
		fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB),
		fmt.Sprintf(`PRAGMA threads = %d`, runtime.NumCPU()-1),
	} {
		if _, err := im.tx.ExecContext(im.ctx, pragma); err != nil {
			return fmt.Errorf("%s: %w", pragma, err)
		}
	}
	return nil
}

// bulkCacheKiB is the page cache of a bulk import, which mostly appends to
// its tables. SQLite's sorter may use as much again when it builds the
// indexes, and with less it sorts faster: in runs that fit the CPU's caches,
// handed to helper threads (PRAGMA threads). For a million events, building
// the indexes took 12.9 s with the writer's usual 128 MiB and 9.1 s with
// 16 MiB and a helper thread, and the import's peak RSS fell from 380 to
// 220 MiB.
const bulkCacheKiB = 16 << 10

// release puts back the settings a bulk import changed and returns the
// connection to the pool. A connection that cannot be put back is closed,
// so that the next one starts from the DSN's settings.
func (im *Importer) release() {
	for _, pragma := range im.restore {
		if _, err := im.conn.ExecContext(im.ctx, pragma); err != nil {
			im.conn.Raw(func(any) error { return driver.ErrBadConn })
			break
		}
	}
	im.conn.Close()
}

// buildIndexes builds the named indexes that a bulk import dropped, or,
// with no names, all that are left.
func (im *Importer) buildIndexes(names ...string) error {
	if !im.bulk {
		return nil
	}
	for _, name := range names {
		i := slices.IndexFunc(im.indexes, func(ix index) bool { return ix.name == name })
		if i < 0 {
			return fmt.Errorf("build index %s: not among those dropped", name)
		}
		if _, err := im.tx.ExecContext(im.ctx, im.indexes[i].create); err != nil {
			return fmt.Errorf("build index %s: %w", name, err)
		}
		im.indexes = slices.Delete(im.indexes, i, i+1)
	}
	if len(names) > 0 {
		return nil
	}
	for _, ix := range im.indexes {
		if _, err := im.tx.ExecContext(im.ctx, ix.create); err != nil {
			return fmt.Errorf("build index %s: %w", ix.name, err)
		}
	}
	im.indexes = nil
	return nil
}

func stringArgs(values []string) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}

// cancelCheck is how many records pass between checks of cancellation.
const cancelCheck = 1024

// cancelled reports the caller's cancellation, checked every cancelCheck
// records.
func (im *Importer) cancelled() error {
	im.n++
	if im.n%cancelCheck == 0 {
		return im.parent.Err()
	}
	return nil
}

func (im *Importer) exec(name string, args ...any) (sql.Result, error) {
	return im.stmts[name].ExecContext(im.ctx, args...)
}

func (im *Importer) queryRow(name string, args ...any) *sql.Row {
	return im.stmts[name].QueryRowContext(im.ctx, args...)
}

// Rollback discards the import.
func (im *Importer) Rollback() error {
	if im.done {
		return nil
	}
	im.done = true
	for _, st := range im.stmts {
		st.Close()
	}
	err := im.tx.Rollback()
	im.release()
	return err
}

// Story sets the story's title and description.
func (im *Importer) Story(title, description string) error {
	im.title, im.description = title, description
	return nil
}

// Actor creates or updates an actor.
func (im *Importer) Actor(a timeline.Actor) error {
	if err := im.cancelled(); err != nil {
		return err
	}
	r, err := im.exec("actor", a.Slug, a.Name, a.Kind, a.Country, a.Description)
	if err != nil {
		return fmt.Errorf("import actor %s: %w", a.Slug, err)
	}
	n, _ := r.RowsAffected()
	im.res.ActorsChanged += int(n)
	var id int64
	if err := im.queryRow("actorID", a.Slug).Scan(&id); err != nil {
		return fmt.Errorf("import actor %s: %w", a.Slug, err)
	}
	im.actorIDs[a.Slug] = id
	return nil
}

// Source creates or updates a source.
func (im *Importer) Source(s timeline.Source) error {
	if err := im.cancelled(); err != nil {
		return err
	}
	r, err := im.exec("source", s.Key, s.Outlet, s.URL, s.Title, s.Published)
	if err != nil {
		return fmt.Errorf("import source %s: %w", s.Key, err)
	}
	n, _ := r.RowsAffected()
	im.res.SourcesChanged += int(n)
	var id int64
	if err := im.queryRow("sourceID", s.Key).Scan(&id); err != nil {
		return fmt.Errorf("import source %s: %w", s.Key, err)
	}
	im.sourceIDs[s.Key] = id
	im.vias = append(im.vias, timeline.Source{Key: s.Key, Via: s.Via})
	return nil
}

// Event creates, updates or renames an event, unless it is unchanged.
func (im *Importer) Event(e *timeline.Event) error {
	if err := im.cancelled(); err != nil {
		return err
	}
	hash := eventHash(e, &im.hashBuf)
	var id int64
	var oldHash string
	err := sql.ErrNoRows // nothing to find in a bulk import
	if !im.bulk {
		err = im.queryRow("find", e.Slug).Scan(&id, &oldHash)
	}
	for _, former := range e.FormerSlugs {
		if im.bulk {
			break
		}
		if !errors.Is(err, sql.ErrNoRows) {
			break
		}
		// The event may exist under a slug it has since left: a renamed
		// event, or the old slug still as a live row.
		if err = im.queryRow("find", former).Scan(&id, &oldHash); errors.Is(err, sql.ErrNoRows) {
			err = im.queryRow("findMoved", former).Scan(&id, &oldHash)
		}
	}
	args := []any{e.Slug, e.Title, e.Summary, e.Body, e.Kind, e.When.Text(), e.Until.Text(), e.When.Zone(), e.When.SortKey(), e.Location, hash}
	isNew := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := im.exec("insert", args...)
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
		if _, err := im.exec("update", append(args, id)...); err != nil {
			return fmt.Errorf("import event %s: %w", e.Slug, err)
		}
	}
	im.res.EventsChanged++
	return im.links(id, e, isNew)
}

// links rewrites an event's actors, sources and former slugs, and queues
// its answers, whose events may not exist yet, and its search row. Its
// errors name their event: one from a batch of rows may be an earlier
// event's.
func (im *Importer) links(id int64, e *timeline.Event, isNew bool) error {
	fail := func(err error) error { return fmt.Errorf("import event %s: %w", e.Slug, err) }
	if !isNew && !im.bulk {
		// Outside a bulk import no row waits in a batch: a row of this
		// event's from an earlier record of it is in the table.
		for _, name := range []string{"clearActors", "clearSources", "clearAnswers"} {
			if _, err := im.exec(name, id); err != nil {
				return fail(fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	for i, a := range e.Actors {
		actorID, ok := im.actorIDs[a.Actor.Slug]
		if !ok {
			return fail(timeline.Errorf(timeline.EINVALID, "event %s: unknown actor %q", e.Slug, a.Actor.Slug))
		}
		if err := im.eventActors.add(im.ctx, e.Slug, a.Actor.Slug, id, actorID, a.Role, i, e.When.SortKey()); err != nil {
			return err
		}
	}
	for i, c := range e.Sources {
		sourceID, ok := im.sourceIDs[c.Source.Key]
		if !ok {
			return fail(timeline.Errorf(timeline.EINVALID, "event %s: unknown source %q", e.Slug, c.Source.Key))
		}
		if err := im.eventSources.add(im.ctx, e.Slug, c.Source.Key, id, i, sourceID, c.Quote); err != nil {
			return err
		}
	}
	for _, former := range e.FormerSlugs {
		if _, err := im.exec("redirect", former, id); err != nil {
			return fail(fmt.Errorf("former slug %s: %w", former, err))
		}
	}
	im.written = append(im.written, id)
	for i, r := range e.Answers {
		im.answers = append(im.answers, pendingAnswer{from: id, fromSlug: e.Slug, to: r.Event.Slug, typ: r.Type, position: i})
	}
	return nil
}

// Commit links what had to wait for the whole file, updates the counts the
// pages read, and commits.
func (im *Importer) Commit() (ImportResult, error) {
	if err := im.finish(); err != nil {
		im.Rollback()
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	im.done = true
	for _, st := range im.stmts {
		st.Close()
	}
	err := im.tx.Commit()
	im.release()
	im.db.storyGen.Add(1) // even a failed commit: whatever it left, read it afresh
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: commit: %w", err)
	}
	return im.res, nil
}

func (im *Importer) finish() error {
	ctx, tx := im.ctx, im.tx
	if err := im.flush(); err != nil {
		return err
	}
	if err := im.search(); err != nil {
		return err
	}
	for _, s := range im.vias {
		var via sql.NullInt64
		if s.Via != "" {
			id, ok := im.sourceIDs[s.Via]
			if !ok {
				return timeline.Errorf(timeline.EINVALID, "source %s: via names unknown source %q", s.Key, s.Via)
			}
			via = sql.NullInt64{Int64: id, Valid: true}
		}
		r, err := im.exec("via", via, im.sourceIDs[s.Key], via)
		if err != nil {
			return fmt.Errorf("source %s: via: %w", s.Key, err)
		}
		if n, _ := r.RowsAffected(); n > 0 && s.Via != "" {
			im.res.SourcesChanged++
		}
	}
	// Answers find the events they answer by slug.
	if err := im.buildIndexes("events_slug"); err != nil {
		return err
	}
	for _, a := range im.answers {
		var to int64
		if err := im.queryRow("eventID", a.to).Scan(&to); errors.Is(err, sql.ErrNoRows) {
			return timeline.Errorf(timeline.EINVALID, "event %s: answers unknown event %q", a.fromSlug, a.to)
		} else if err != nil {
			return fmt.Errorf("event %s: answers %s: %w", a.fromSlug, a.to, err)
		}
		if err := im.answerRows.add(ctx, a.fromSlug, a.to, a.from, to, a.typ, a.position); err != nil {
			return err
		}
	}
	if err := im.answerRows.flush(ctx); err != nil {
		return err
	}
	r, err := tx.ExecContext(ctx, `UPDATE story SET title = ?, description = ? WHERE id = 1 AND (title <> ? OR description <> ?)`,
		im.title, im.description, im.title, im.description)
	if err != nil {
		return fmt.Errorf("story: %w", err)
	}
	storyChanged, _ := r.RowsAffected()
	if im.res.EventsChanged > 0 {
		// Only events at either end of a contesting answer are in dispute:
		// look those up, rather than every event for its answers. The +
		// keeps SQLite from scanning events_dispute_order for in_dispute = 0.
		if _, err := tx.ExecContext(ctx, `UPDATE events SET in_dispute = 1 WHERE +in_dispute = 0 AND id IN (`+disputedEvents()+`)`); err != nil {
			return fmt.Errorf("mark disputes: %w", err)
		}
		// A bulk import had no event in dispute before, nor the index that
		// would find one without reading every event.
		if !im.bulk {
			if _, err := tx.ExecContext(ctx, `UPDATE events SET in_dispute = 0 WHERE in_dispute = 1 AND id NOT IN (`+disputedEvents()+`)`); err != nil {
				return fmt.Errorf("mark disputes: %w", err)
			}
		}
	}
	// The other indexes come last: events_dispute_order, for one, would
	// have had to move every event just marked.
	if err := im.buildIndexes(); err != nil {
		return err
	}
	if im.res.EventsChanged > 0 {
		if _, err := tx.ExecContext(ctx, `
			UPDATE actors SET event_count = c.n FROM (
				SELECT a.id, (SELECT count(DISTINCT event_id) FROM event_actors WHERE actor_id = a.id) AS n FROM actors a
			) AS c WHERE actors.id = c.id AND actors.event_count <> c.n`); err != nil {
			return fmt.Errorf("count actor events: %w", err)
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

// search writes the search rows of the events written, in one statement.
// Row by row, they cost more than the rest of the import: a statement that
// may fail part way, as an INSERT of many rows of event_actors does, makes
// FTS5 write out the terms it has gathered so far, so that it kept writing
// tiny segments and merging them.
func (im *Importer) search() error {
	slices.Sort(im.written)
	im.written = slices.Compact(im.written) // an event given twice is written twice
	ids := make([]byte, 0, 8*len(im.written)+2)
	ids = append(ids, '[')
	for i, id := range im.written {
		if i > 0 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, id, 10)
	}
	ids = append(ids, ']')
	if !im.bulk {
		if _, err := im.tx.ExecContext(im.ctx, `DELETE FROM event_search WHERE rowid IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if _, err := im.tx.ExecContext(im.ctx, `
		INSERT INTO event_search (rowid, title, summary, body, quotes)
		SELECT e.id, e.title, e.summary, e.body,
			coalesce((SELECT group_concat(quote, char(10) ORDER BY position) FROM event_sources WHERE event_id = e.id), '')
		FROM json_each(?) AS w JOIN events e ON e.id = w.value`, string(ids)); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	im.written = nil
	return nil
}

// disputedEvents are the events at either end of a contesting answer, as SQL.
func disputedEvents() string {
	return `SELECT from_event_id FROM answers WHERE type IN ` + contestingTypes() +
		` UNION ALL SELECT to_event_id FROM answers WHERE type IN ` + contestingTypes()
}

// eventHash fingerprints everything an import writes for an event. buf is
// scratch space, kept by the caller from one event to the next.
func eventHash(e *timeline.Event, buf *[]byte) string {
	b := hashInput((*buf)[:0])
	b.field(e.Slug, e.Title, e.Summary, e.Body, string(e.Kind), e.When.Text(), e.Until.Text(), e.When.Zone(), e.Location)
	b.field(e.FormerSlugs...)
	for _, a := range e.Actors {
		b.field("actor", a.Actor.Slug, string(a.Role))
	}
	for _, c := range e.Sources {
		b.field("source", c.Source.Key, c.Quote)
	}
	for _, r := range e.Answers {
		b.field("answers", r.Event.Slug, string(r.Type))
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
