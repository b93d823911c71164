package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"github.com/timelinenews/timeline/internal/timeline"
)

// An archive's origin says what first filled it (the story table's origin
// column): the first start of a server must never load the bundled story
// into a file that an import has begun to fill, even one killed part way.

// MarkImported records that an import begins on the archive, in a
// transaction of its own committed before the import's, so that it
// survives the import being killed.
func (db *DB) MarkImported(ctx context.Context) error {
	if db.readOnly {
		return timeline.Errorf(timeline.ECONFLICT, "the database is open read-only")
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE story SET origin = 'import' WHERE id = 1 AND origin <> 'import'`); err != nil {
		return fmt.Errorf("mark the archive imported: %w", err)
	}
	return nil
}

// LoadIfNew imports ds only into a brand-new archive: one that no import
// has begun on and that holds no data. The check and the load are one
// transaction, so two processes starting at once on a new file load it
// once, and an import holding the file makes this report false rather
// than wait or fail.
func (db *DB) LoadIfNew(ctx context.Context, ds *timeline.Dataset) (loaded bool, res ImportResult, err error) {
	im, err := db.BeginImport(ctx)
	if isBusy(err) {
		return false, res, nil // another process is writing: an import, or another first start
	} else if err != nil {
		return false, res, err
	}
	defer im.Rollback()
	var isNew bool
	if err := im.tx.QueryRowContext(ctx, `SELECT origin IN ('', 'bundled') AND data_version = 0 AND NOT EXISTS (SELECT 1 FROM events) FROM story WHERE id = 1`).Scan(&isNew); err != nil {
		return false, res, fmt.Errorf("load into a new archive: %w", err)
	}
	if !isNew {
		return false, res, nil
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE story SET origin = 'bundled' WHERE id = 1`); err != nil {
		return false, res, fmt.Errorf("load into a new archive: %w", err)
	}
	if err := im.Apply(ds); err != nil {
		return false, res, err
	}
	res, err = im.Commit()
	return err == nil, res, err
}

// isBusy reports whether err is SQLite's "database is locked": another
// connection holds the write lock past the busy timeout.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}
