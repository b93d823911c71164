package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Backup writes a copy of the database as of one moment to a new file at
// out, while readers and a writer go on: SQLite's VACUUM INTO, run in one
// read transaction, so the copy holds every commit before it began and
// none after. The copy is written beside out under a temporary name,
// synced, and linked into place, so that out appears whole or not at all;
// a file already at out is refused, never replaced.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Lstat(out); err == nil {
		return timeline.Errorf(timeline.ECONFLICT, "%s already exists: a backup goes to a new file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	// VACUUM INTO wants a file that does not exist, or is empty.
	if err := db.vacuumInto(ctx, tmp.Name()); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if err := os.Link(tmp.Name(), out); errors.Is(err, fs.ErrExist) {
		return timeline.Errorf(timeline.ECONFLICT, "%s already exists: a backup goes to a new file", out)
	} else if err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return syncFile(filepath.Dir(out))
}

// vacuumInto runs VACUUM INTO on a connection of its own: the readers are
// query-only, which forbids writing even another file. The readers are
// held all the same, so that a read-only store vouches for the copy.
func (db *DB) vacuumInto(ctx context.Context, path string) (err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	conn, err := sql.Open("sqlite3", db.copyURL)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// syncFile flushes a file, or a folder's entries, to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
