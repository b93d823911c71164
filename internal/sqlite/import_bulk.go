package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"slices"
)

// Bulk mode is for an import into a database with no events, such as a
// first import of a large archive. It drops the secondary indexes of the
// event tables and the story lists and builds them once at commit, which
// is far faster than updating them row by row; it skips looking for events
// that cannot exist; it batches rows (see batch); and it widens FTS5's
// hash for the search rows (see bulkSearchHash). Dropping the indexes is
// part of the transaction: a rollback brings them back.

// bulkTables are the tables whose indexes bulk mode builds at the end:
// the event tables' before the counts that read them (buildIndexes), and
// the story lists' once writeStories has filled them (buildStoryIndexes),
// some 1.2 million rows of story_sources at a million events in 2,000
// stories: writeStories took 7.8 s keeping their indexes row by row, and
// 3.0 s with them built after.
var (
	bulkEventTables = []string{"events", "event_actors", "event_sources", "event_redirects", "answers"}
	bulkStoryTables = []string{"story_actors", "story_sources"}
	bulkTables      = slices.Concat(bulkEventTables, bulkStoryTables)
)

// bulkCacheKiB is bulk mode's page cache. The import mostly appends to its
// tables, and SQLite's sorter may use as much again when it builds the
// indexes, sorting faster with less: in runs that fit the CPU's caches,
// handed to helper threads (PRAGMA threads). Smaller than the writer's
// usual cache, it also lowers the import's peak memory.
const bulkCacheKiB = 16 << 10

type index struct{ name, table, create string }

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
	err := eachRow(im.ctx, im.tx, `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (`+placeholders(len(bulkTables))+`) ORDER BY name`,
		stringArgs(bulkTables), func(rows *sql.Rows) error {
			var ix index
			if err := rows.Scan(&ix.name, &ix.table, &ix.create); err != nil {
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

// buildIndexes builds the event tables' indexes that bulk mode dropped
// and that are not built yet.
func (im *Importer) buildIndexes() error {
	return im.buildTableIndexes(bulkEventTables)
}

// buildStoryIndexes builds the story lists' indexes that bulk mode dropped.
func (im *Importer) buildStoryIndexes() error {
	return im.buildTableIndexes(bulkStoryTables)
}

// buildTableIndexes builds the dropped indexes of tables.
func (im *Importer) buildTableIndexes(tables []string) error {
	var left []index
	for _, ix := range im.indexes {
		if !slices.Contains(tables, ix.table) {
			left = append(left, ix)
			continue
		}
		if _, err := im.tx.ExecContext(im.ctx, ix.create); err != nil {
			return fmt.Errorf("build index %s: %w", ix.name, err)
		}
	}
	im.indexes = left
	return nil
}

// bulkSearchHash is how many bytes of terms FTS5 gathers in memory, in
// bulk mode, before it writes them out as a segment of the search index
// (its own default is 1 MiB, FTS5_DEFAULT_HASHSIZE). Fewer, larger
// segments leave it less to merge: a million events' search rows took
// 13.1 s rather than 16.5 s, for some 60 MiB more memory.
const bulkSearchHash = 32 << 20

// fts5DefaultHash is FTS5's hashsize when none is set.
const fts5DefaultHash = 1 << 20

// widenSearchHash sets the search index's hashsize to bulkSearchHash in
// bulk mode, keeping the one it had, if any, for narrowSearchHash.
func (im *Importer) widenSearchHash() error {
	if !im.bulk {
		return nil
	}
	err := im.tx.QueryRowContext(im.ctx, `SELECT v FROM event_search_config WHERE k = 'hashsize'`).Scan(&im.searchHashWas)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search index: hashsize: %w", err)
	}
	return im.setSearchHash(bulkSearchHash)
}

// narrowSearchHash puts back the hashsize that widenSearchHash changed: the
// one the search index had, or none. Setting FTS5's default before removing
// the setting tells this connection's FTS5, which keeps its settings in
// memory, as well as every other.
func (im *Importer) narrowSearchHash() error {
	if !im.bulk {
		return nil
	}
	if im.searchHashWas.Valid {
		return im.setSearchHash(im.searchHashWas.Int64)
	}
	if err := im.setSearchHash(fts5DefaultHash); err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, `DELETE FROM event_search_config WHERE k = 'hashsize'`); err != nil {
		return fmt.Errorf("search index: hashsize: %w", err)
	}
	return nil
}

func (im *Importer) setSearchHash(bytes int64) error {
	if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO event_search (event_search, rank) VALUES ('hashsize', ?)`, bytes); err != nil {
		return fmt.Errorf("search index: hashsize %d: %w", bytes, err)
	}
	return nil
}

func stringArgs(values []string) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}
