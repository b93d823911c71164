package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"runtime"
	"slices"
)

// Bulk mode is for an import into a database with no events, such as a
// first import of a large archive. It drops the event tables' secondary
// indexes and builds them once at commit, which is far faster than
// updating them row by row; it skips looking for events that cannot
// exist; and it batches rows (see batch). Dropping the indexes is part of
// the transaction: a rollback brings them back.

// bulkTables are the tables whose indexes bulk mode builds at the end.
var bulkTables = []string{"events", "event_actors", "event_sources", "event_redirects", "answers"}

// bulkCacheKiB is bulk mode's page cache. The import mostly appends to its
// tables, and SQLite's sorter may use as much again when it builds the
// indexes, sorting faster with less: in runs that fit the CPU's caches,
// handed to helper threads (PRAGMA threads). Smaller than the writer's
// usual cache, it also lowers the import's peak memory.
const bulkCacheKiB = 16 << 10

type index struct{ name, create string }

// startBulk enters bulk mode when there are no events yet: it drops the
// indexes and sets the page cache and sorter threads, noting how to put
// them back.
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

// release puts back the settings bulk mode changed and returns the
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

// buildIndex builds one of the indexes that bulk mode dropped, ahead of
// the others, for a finishing step that needs it.
func (im *Importer) buildIndex(name string) error {
	if !im.bulk {
		return nil
	}
	i := slices.IndexFunc(im.indexes, func(ix index) bool { return ix.name == name })
	if i < 0 {
		return fmt.Errorf("build index %s: not among those dropped", name)
	}
	if _, err := im.tx.ExecContext(im.ctx, im.indexes[i].create); err != nil {
		return fmt.Errorf("build index %s: %w", name, err)
	}
	im.indexes = slices.Delete(im.indexes, i, i+1)
	return nil
}

// buildIndexes builds the indexes that bulk mode dropped and that are not
// built yet.
func (im *Importer) buildIndexes() error {
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
