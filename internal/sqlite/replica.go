package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/sys/unix"

	"github.com/timelinenews/timeline/internal/timeline"
)

// A read-only store serves a file that something else replaces: a replica
// restored from Litestream and moved over the one being served (README,
// "More than one server"). SQLite cannot follow that alone. Its open
// connections go on reading the file they opened, deleted or not; and a
// file overwritten in place mixes the pages they cached with the new
// file's, which reads as "database disk image is malformed", as rows that
// are not there, or as wrong ones. So, in read-only mode, the store:
//
//   - watches the path (watch): when another file is there (a new inode,
//     as mv leaves) and it has stayed so for a tick, checks it with a
//     connection of its own, then closes every reader and opens new ones on
//     it (reopen). Requests wait for that, never for a half-replaced file.
//   - treats its own file changed in place other than through SQLite (cp
//     over it) as unsafe: every answer is EUNAVAILABLE until the file has
//     been quiet for settleTicks, and then it reopens it the same way.
//   - vouches for every answer before it leaves the store (vouch): one read
//     from a file that changed under it is EUNAVAILABLE, and so is "not
//     found" or a failure while another file waits at the path; an error
//     that says the file cannot be read makes the store unsafe.
//
// A writer on the same file (a read-only server beside `timeline import`)
// changes it through SQLite's write-ahead log, which the readers follow: its
// checkpoints write into the file, and are told from a foreign write by the
// -wal file and the wal-index in -shm changing with it.

const (
	// watchInterval is how often the watch looks at the path.
	watchInterval = 200 * time.Millisecond
	// settleTicks is how many looks an in-place change must stay quiet
	// for before the file is opened again: a copy in progress writes more
	// often than that.
	settleTicks = 5
	// retryReopen is how soon a reopen that failed, or that left answers
	// unsafe, is tried again on a file that has not changed since.
	retryReopen = 5 * time.Second
	// reopenTimeout bounds checking and opening a new file.
	reopenTimeout = 30 * time.Second
)

// unavailable is an answer that cannot be trusted: EUNAVAILABLE, with
// the cause in its text for a log or the command line.
func unavailable(cause error) error {
	return fmt.Errorf("%w: %v", timeline.Errorf(timeline.EUNAVAILABLE, "The database cannot be read just now"), cause)
}

// fileStat is what the watch compares of a file: which file it is, and
// when and how it last changed.
type fileStat struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds
}

func statPath(path string) (fileStat, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return fileStat{}, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	return fileStat{dev: uint64(st.Dev), ino: st.Ino, size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}, nil
}

// sameFile reports whether a and b are one file, however changed.
func (a fileStat) sameFile(b fileStat) bool { return a.dev == b.dev && a.ino == b.ino }

// walMark is what SQLite changes beside the file when a writer commits or
// checkpoints: the -wal file, and the wal-index header and checkpoint
// record at the start of -shm. A file on a read-only volume has neither.
type walMark struct {
	wal fileStat
	shm [136]byte
}

func readWALMark(path string) walMark {
	var m walMark
	m.wal, _ = statPath(path + "-wal")
	if f, err := os.Open(path + "-shm"); err == nil {
		io.ReadFull(f, m.shm[:])
		f.Close()
	}
	return m
}

// fileMark is a pool's file as the watch last found it: as it opened, or
// since changed by a writer through SQLite.
type fileMark struct {
	file fileStat
	wal  walMark
}

// verdict is how a pool's answers stand against the file at the path.
type verdict int

const (
	// fileSame: the pool's own file is at the path, unchanged or changed
	// through SQLite. Its answers stand.
	fileSame verdict = iota
	// fileBehind: another file, or none, is at the path; the pool's own
	// is intact, so its answers are consistent, but may be old.
	fileBehind
	// fileChanged: the pool's own file was written other than through
	// SQLite. Its answers may be made of two files' pages.
	fileChanged
)

func (p *readers) verdict(path string) verdict {
	cur, err := statPath(path)
	if err != nil {
		return fileBehind
	}
	seen := p.seen.Load()
	if !cur.sameFile(seen.file) {
		return fileBehind
	}
	if cur == seen.file {
		return fileSame
	}
	if _, ok := writtenBySQLite(path, seen); ok {
		return fileSame
	}
	return fileChanged
}

// vouch returns a read-only call's answer err (nil for one with data) as
// it stands against the file the call read, which is checked after the
// read: whatever changed the file before the read was done shows by then.
func (db *DB) vouch(p *readers, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := timeline.ErrorCode(err)
	if code == timeline.EINVALID || code == timeline.EUNAVAILABLE {
		return err // about the request, or already said
	}
	if cause := db.unsafe.get(); cause != nil {
		return unavailable(cause)
	}
	switch p.verdict(db.path) {
	case fileChanged:
		cause := fmt.Errorf("database %s was written under its readers, not through SQLite", db.path)
		db.setUnsafe(cause)
		return unavailable(cause)
	case fileBehind:
		// Another file is on its way in: what is not in this one may be
		// in that one, and a failure is not worth a 500.
		if code == timeline.ENOTFOUND || code == timeline.EINTERNAL {
			return unavailable(fmt.Errorf("database %s: another file at the path is not open yet", db.path))
		}
	}
	if unreadable(err) {
		cause := fmt.Errorf("database %s cannot be read: %w", db.path, err)
		db.setUnsafe(cause)
		return unavailable(cause)
	}
	return err
}

// unreadable reports whether err is SQLite saying that the file is not a
// whole database: corrupt, not a database, cut short.
func unreadable(err error) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code {
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB, sqlite3.ErrFormat, sqlite3.ErrIoErr, sqlite3.ErrCantOpen, sqlite3.ErrSchema:
		return true
	}
	return false
}

// fileProblem is why the file cannot be served now, nil if it can.
func (db *DB) fileProblem() error {
	if err := db.unsafe.get(); err != nil {
		return err
	}
	if err := db.stale.get(); err != nil {
		return err
	}
	if _, err := statPath(db.path); err != nil {
		return fmt.Errorf("database %s: %w", db.path, err)
	}
	return nil
}

// setUnsafe stops every answer until a reopen, and says why once.
func (db *DB) setUnsafe(cause error) {
	if db.unsafe.set(cause) {
		db.archiveGen.Add(1) // the story kept in memory is no longer vouched for
		db.log.Warn("database: answering 503 until the file is quiet and opened again", "path", db.path, "reason", cause)
	}
}

// setStale records why the file at the path cannot be served, saying so
// once.
func (db *DB) setStale(cause error) {
	if db.stale.set(cause) {
		db.log.Warn("database: cannot serve the file at the path", "path", db.path, "reason", cause)
	}
}

// startWatch starts the watch of the file, stopped by db.stopWatch.
func (db *DB) startWatch() {
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		db.watch(stop)
	}()
	var once sync.Once
	db.stopWatch = func() {
		once.Do(func() { close(stop) })
		<-stopped
	}
}

// watch looks at the path every watchInterval until stop is closed, and
// reopens the file when it must. It is the only writer of db.pool.
func (db *DB) watch(stop <-chan struct{}) {
	tick := time.NewTicker(watchInterval)
	defer tick.Stop()
	var (
		last    fileStat // the path at the previous look
		quiet   int      // looks since it last changed
		tried   fileStat // the path at the last reopen
		triedAt time.Time
	)
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		cur, err := statPath(db.path)
		if err != nil {
			db.setStale(err)
			last, quiet = fileStat{}, 0
			continue
		}
		if cur == last {
			quiet++
		} else {
			last, quiet = cur, 0
		}
		p := db.pool
		seen := p.seen.Load()
		inPlace := cur.sameFile(seen.file)
		if inPlace && db.unsafe.get() == nil {
			if cur == seen.file {
				if db.stale.clear() {
					db.log.Info("database: the file at the path is the one served", "path", db.path)
				}
				continue
			}
			if m, ok := writtenBySQLite(db.path, seen); ok {
				p.seen.Store(&fileMark{file: cur, wal: m})
				continue
			}
			db.setUnsafe(fmt.Errorf("database %s was changed in place, not through SQLite", db.path))
		}
		need := 1 // another file, moved into place: whole once it has stayed a look
		if inPlace {
			need = settleTicks
		}
		// The same file is tried again only after a while: a reopen that
		// failed, or whose answers went unsafe at once, will again.
		if quiet < need || (cur == tried && time.Since(triedAt) < retryReopen) {
			continue
		}
		tried, triedAt = cur, time.Now()
		switch err := db.reopen(cur); {
		case errors.Is(err, errMoved):
			tried = fileStat{}
		case err != nil:
			db.setStale(err)
		default:
			db.stale.clear()
			db.unsafe.clear()
			db.log.Info("database: opened the file at the path", "path", db.path, "reopens", db.pool.n)
		}
	}
}

// writtenBySQLite reports whether a change to the file since seen was
// made by a SQLite writer: one that has a write-ahead log in use, or has
// changed it or the wal-index since. A replica's log stays empty, since
// nothing writes to it.
func writtenBySQLite(path string, seen *fileMark) (walMark, bool) {
	m := readWALMark(path)
	return m, m.wal.size > 0 || m != seen.wal
}

// errMoved is a reopen abandoned because the file at the path changed
// while it was being checked or opened.
var errMoved = errors.New("the file at the path changed while it was being opened")

// reopen checks the file at the path, then replaces the readers with a
// pool on it. want is the path's file as the watch found it; if the path
// holds another by the time the readers close, the old ones are kept.
func (db *DB) reopen(want fileStat) error {
	ctx, cancel := context.WithTimeout(context.Background(), reopenTimeout)
	defer cancel()
	// A connection that takes no locks and makes no -shm file: the pool
	// serving now shares those with any connection on this path.
	if err := checkFile(ctx, fileURL(db.path)+"?mode=ro&immutable=1"); err != nil {
		return fmt.Errorf("database %s: %w", db.path, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if cur, err := statPath(db.path); err != nil || cur != want {
		return errMoved
	}
	old := db.pool
	old.db.Close() // every call has finished: the lock is held
	p, err := db.openReaders(ctx, old.n+1)
	if err != nil {
		// The old pool is closed: keep its place with a pool that opens
		// lazily, and no answers until a reopen succeeds.
		p = &readers{n: old.n + 1}
		p.db, _ = sql.Open("sqlite3", db.readURL)
		p.seen.Store(&fileMark{file: want})
		db.pool = p
		db.setUnsafe(fmt.Errorf("database %s: open: %w", db.path, err))
		return err
	}
	db.pool = p
	db.archiveGen.Add(1)
	return nil
}

// checkFile opens the database at dsn on a connection of its own and
// checks that this binary can serve it: fully migrated, with its story.
func checkFile(ctx context.Context, dsn string) error {
	conn, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	v, err := schemaVersion(ctx, conn)
	if err != nil {
		return err
	}
	if err := checkVersion(v); err != nil {
		return err
	}
	var dataVersion int64
	if err := conn.QueryRowContext(ctx, `SELECT data_version FROM story WHERE id = 1`).Scan(&dataVersion); err != nil {
		return fmt.Errorf("read story: %w", err)
	}
	return nil
}

// condition is a reason held for concurrent readers: nil while there is
// none.
type condition struct{ p atomic.Pointer[error] }

// set records cause, reporting whether there was none before.
func (c *condition) set(cause error) bool { return c.p.Swap(&cause) == nil }

// clear removes the reason, reporting whether there was one.
func (c *condition) clear() bool { return c.p.Swap(nil) != nil }

func (c *condition) get() error {
	if p := c.p.Load(); p != nil {
		return *p
	}
	return nil
}
