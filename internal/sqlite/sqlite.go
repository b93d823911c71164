// Package sqlite is the event store: a SQLite database with one writer
// connection and a pool of readers, its schema built by the embedded
// migrations.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the sqlite3 driver
	"golang.org/x/sys/unix"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/migrations"
)

// ErrNoFTS5 is returned by Open when the binary was built without SQLite
// full-text search.
var ErrNoFTS5 = errors.New("this binary was built without SQLite full-text search (FTS5): build and run it with -tags sqlite_fts5, e.g. go run -tags sqlite_fts5 ./cmd/timeline")

// DB is the event store.
type DB struct {
	path     string
	readOnly bool
	log      *slog.Logger
	write    *sql.DB // one connection: SQLite has one writer at a time
	readURL  string  // the readers' DSN, for opening them again (replica.go)
	copyURL  string  // a read-only connection's that may write other files (Backup)

	// mu is held for reading through every call that reads (reader), and
	// for writing while the readers are replaced: no call finds its pool
	// closed, and a new pool opens only once every connection of the old
	// one has closed.
	mu   sync.RWMutex
	pool *readers // guarded by mu; replaced only by the watch

	// In read-only mode, the watch of the file (replica.go): why answers
	// cannot be trusted now, and why the file at the path cannot be served.
	unsafe    condition
	stale     condition
	stopWatch func()

	// archive is FindArchive's answer kept in memory (see archiveMaxAge);
	// archiveGen counts this DB's commits and reopens, so that an answer
	// read before one is never kept after it.
	archive    atomic.Pointer[cachedArchive]
	archiveGen atomic.Uint64
}

// readers is a pool of query-only connections, all opened on one file.
type readers struct {
	db *sql.DB
	n  int64 // the pools this DB opened before it: Story.Reopens
	// seen is the file the connections read as the watch last found it
	// (read-only mode only).
	seen atomic.Pointer[fileMark]
}

// Options tune Open.
type Options struct {
	// ReadOnly opens the file read-only: no migrations, no imports. The
	// store then watches the file and goes over to a new one moved into
	// its place (replica.go).
	ReadOnly bool
	// Logger receives what the watch of a read-only file finds; nil for
	// slog.Default().
	Logger *slog.Logger
}

// Open opens (creating if needed) the database file at path. It does not
// migrate: call Migrate.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open database: no path given")
	}
	db := &DB{path: path, readOnly: opts.ReadOnly, log: opts.Logger}
	if db.log == nil {
		db.log = slog.Default()
	}
	// Pragmas go in the DSN so that every pooled connection gets them.
	params := url.Values{}
	params.Set("_foreign_keys", "on")
	params.Set("_busy_timeout", "5000")
	params.Set("_synchronous", "NORMAL")
	readParams := url.Values{}
	for k, v := range params {
		readParams[k] = v
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, timeline.Errorf(timeline.ENOTFOUND, "database %s does not exist", path)
		} else if err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		readParams.Set("mode", "ro")
		if !writableDir(filepath.Dir(path)) {
			// A read-only volume, as replicas are shipped in containers:
			// SQLite cannot make the shared-memory file a WAL reader needs,
			// and no SQLite writer can change the file while it is mounted
			// so (a file moved into its place is the watch's business).
			readParams.Set("immutable", "1")
		}
	} else {
		params.Set("_journal_mode", "WAL")
		params.Set("_txlock", "immediate")
		// A larger page cache (128 MiB) for the one writer: an import touches index pages
		// all over the file (slugs and actors arrive in no particular order).
		params.Set("_cache_size", "-131072")
		readParams.Set("_query_only", "true")
	}
	db.readURL = fileURL(path) + "?" + readParams.Encode()
	copyParams := url.Values{}
	for k, v := range readParams {
		copyParams[k] = v
	}
	copyParams.Del("_query_only")
	copyParams.Set("mode", "ro")
	db.copyURL = fileURL(path) + "?" + copyParams.Encode()

	var err error
	if !opts.ReadOnly {
		if db.write, err = sql.Open("sqlite3", fileURL(path)+"?"+params.Encode()); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetConnMaxIdleTime(0)
		if err := connectWriter(ctx, db.write); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	if db.pool, err = db.openReaders(ctx, 0); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	var fts5 bool
	if err := db.pool.db.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&fts5); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if !fts5 {
		db.Close()
		return nil, ErrNoFTS5
	}
	if opts.ReadOnly {
		db.startWatch()
	}
	return db, nil
}

// writerConnectWait bounds how long connectWriter retries, as the busy
// timeout bounds any other wait for the lock.
const writerConnectWait = 5 * time.Second

// connectWriter opens the writer's connection. Its DSN turns the file to
// WAL, which takes the file's exclusive lock without SQLite's busy handler
// waiting for it: two processes starting on one new file would have one
// fail at once with "database is locked", so that case is retried.
func connectWriter(ctx context.Context, write *sql.DB) error {
	deadline := time.Now().Add(writerConnectWait)
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 200*time.Millisecond) {
		err := write.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}

// fileURL is the SQLite URI of the file at path, without parameters.
func fileURL(path string) string { return "file:" + (&url.URL{Path: path}).EscapedPath() }

// readerConns is the size of the reader pool.
func readerConns() int { return max(4, runtime.NumCPU()*2) }

// openReaders opens the pool of readers, every connection at once: one
// opened later might open another file moved to the path meanwhile. In
// read-only mode it notes the file they opened, and fails if the path
// held another by the end.
func (db *DB) openReaders(ctx context.Context, n int64) (*readers, error) {
	p := &readers{n: n}
	var err error
	if p.db, err = sql.Open("sqlite3", db.readURL); err != nil {
		return nil, err
	}
	p.db.SetMaxOpenConns(readerConns())
	p.db.SetMaxIdleConns(readerConns())
	p.db.SetConnMaxIdleTime(0)
	var before fileStat
	if db.readOnly {
		if before, err = statPath(db.path); err != nil {
			p.db.Close()
			return nil, err
		}
	}
	if err := warm(ctx, p.db, readerConns()); err != nil {
		p.db.Close()
		return nil, err
	}
	if db.readOnly {
		after, err := statPath(db.path)
		if err == nil && !after.sameFile(before) {
			err = errMoved
		}
		if err != nil {
			p.db.Close()
			return nil, err
		}
		p.seen.Store(&fileMark{file: after, wal: readWALMark(db.path)})
	}
	return p, nil
}

// warm opens n connections of pool and leaves them idle in it.
func warm(ctx context.Context, pool *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool
		}
	}()
	for range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if err := c.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// writableDir reports whether files can be made in dir: false on a
// read-only filesystem, whoever asks.
func writableDir(dir string) bool {
	return unix.Access(dir, unix.W_OK) == nil
}

// CanWrite reports whether the database file at path could be opened for
// writing: whether its folder takes new files.
func CanWrite(path string) bool { return writableDir(filepath.Dir(path)) }

// Close stops the watch and closes every connection, once the calls in
// flight have finished.
func (db *DB) Close() error {
	if db.stopWatch != nil {
		db.stopWatch()
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	var errs []error
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if db.pool != nil {
		errs = append(errs, db.pool.db.Close())
	}
	return errors.Join(errs...)
}

// readCall is one store call's hold on the readers: the pool stays open
// until done.
type readCall struct {
	querier
	store *DB
	pool  *readers
	snap  *snapshot // the read the call is part of (BeginRead), or nil
}

// reader holds the readers for one call, which must end with
// defer rd.done(&err), err being the call's named error result. No call
// that reads may call another that does: a reopen waiting between the two
// would wait for ever. A call made in BeginRead's context reads in its
// snapshot.
func (db *DB) reader(ctx context.Context) readCall {
	if s := db.snapshotOf(ctx); s != nil {
		return readCall{querier: s.tx, store: db, pool: s.pool, snap: s}
	}
	db.mu.RLock()
	return readCall{querier: db.pool.db, store: db, pool: db.pool}
}

// BeginTx begins the call's read transaction: in a snapshot, the
// snapshot's own.
func (rd readCall) BeginTx(ctx context.Context) (readTx, error) {
	if rd.snap != nil {
		return sharedTx{rd.snap.tx}, nil
	}
	return rd.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// done releases the readers. In read-only mode it first vouches for the
// call's answer, turning it into EUNAVAILABLE where the file changed under
// the call (replica.go). A snapshot keeps them until it ends; one ended
// because its reader left says so, as the call would have.
func (rd readCall) done(errp *error) {
	if rd.snap != nil && errors.Is(*errp, sql.ErrTxDone) && rd.snap.ctx.Err() != nil {
		*errp = fmt.Errorf("%w: %w", *errp, rd.snap.ctx.Err())
	}
	if rd.store.readOnly {
		*errp = rd.store.vouch(rd.pool, *errp)
	}
	if rd.snap == nil {
		rd.store.mu.RUnlock()
	}
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

type migration struct {
	version int
	name    string
}

func listMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var list []migration
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", name)
		}
		list = append(list, migration{version: v, name: name})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	for i := 1; i < len(list); i++ {
		if list[i].version == list[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a number", list[i-1].name, list[i].name)
		}
	}
	return list, nil
}

// LatestVersion is the schema version this binary migrates to.
func LatestVersion() (int, error) {
	list, err := listMigrations()
	if err != nil || len(list) == 0 {
		return 0, err
	}
	return list[len(list)-1].version, nil
}

// SchemaVersion returns the highest migration applied to the database, 0 for
// a new database.
func (db *DB) SchemaVersion(ctx context.Context) (v int, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	return schemaVersion(ctx, rd)
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRowContext(ctx, `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Migrate applies every migration the database lacks, in order, each in its
// own transaction. A database newer than this binary is refused untouched.
func (db *DB) Migrate(ctx context.Context) error { return db.MigrateTo(ctx, 0) }

// MigrateTo applies migrations up to and including version target (0: all).
func (db *DB) MigrateTo(ctx context.Context, target int) error {
	list, err := listMigrations()
	if err != nil {
		return err
	}
	latest := 0
	if len(list) > 0 {
		latest = list[len(list)-1].version
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > latest {
		return timeline.Errorf(timeline.ECONFLICT, "database %s has schema version %d, newer than this binary knows (%d): run a newer timeline; the database was not changed", db.path, current, latest)
	}
	if db.readOnly {
		if current < latest {
			return timeline.Errorf(timeline.ECONFLICT, "database %s has schema version %d but this binary needs %d: run `timeline migrate` on it first (it is open read-only)", db.path, current, latest)
		}
		return nil
	}
	if current == latest || (target > 0 && current >= target) {
		// Nothing to write: a database an import is filling (and holding
		// the write lock of) opens without waiting for it.
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range list {
		if m.version <= current || (target > 0 && m.version > target) {
			continue
		}
		if err := db.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, m migration) error {
	body, err := fs.ReadFile(migrations.FS, m.name)
	if err != nil {
		return fmt.Errorf("read migration %s: %w", m.name, err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	// Another process starting on the same new file may have applied it
	// while this one waited for the write lock, which the transaction holds.
	var applied bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, m.version).Scan(&applied); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if applied {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	err = tx.Commit()
	db.archiveGen.Add(1)
	if err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}

// Ready reports whether the database answers and is fully migrated, and,
// read-only, whether the file at its path can be served (replica.go).
func (db *DB) Ready(ctx context.Context) error {
	if db.readOnly {
		if err := db.fileProblem(); err != nil {
			return err
		}
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	return checkVersion(v)
}

// checkVersion refuses a schema version other than this binary's.
func checkVersion(v int) error {
	latest, err := LatestVersion()
	if err != nil {
		return err
	}
	if v != latest {
		return fmt.Errorf("schema version %d, want %d", v, latest)
	}
	return nil
}
