package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batch inserts rows into one table many to a statement. Most of the cost
// of a small row's INSERT is the statement's trip through database/sql and
// cgo, which a statement of batchRows rows makes once.
//
// Only bulk mode batches. Into tables with their indexes, a statement of
// many rows has SQLite keep a statement journal of every index page it
// touches, which costs more than the trips it saves. BenchmarkImport's
// Bulk and Edited cases time the two.
type batch struct {
	what   string    // what a row joins its event to, for errors: "actor"
	one    *sql.Stmt // one row: outside bulk mode, for a part batch, and to find a failing row
	many   *sql.Stmt // rows rows, when rows > 1
	width  int       // values a row
	rows   int       // rows a statement
	args   []any
	events []string // each row's event slug and the key it names, for errors
	keys   []string
}

// batchRows is how many rows a bulk import puts in a statement.
const batchRows = 32

// newBatch prepares a batch of rows rows a statement into table, given with
// its columns, each row width values.
func newBatch(prepare func(query string) (*sql.Stmt, error), what, table string, width, rows int) (*batch, error) {
	b := &batch{what: what, width: width, rows: rows}
	row := "(" + placeholders(width) + ")"
	var err error
	if b.one, err = prepare("INSERT INTO " + table + " VALUES " + row); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", table, err)
	}
	if rows == 1 {
		return b, nil
	}
	if b.many, err = prepare("INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")); err != nil {
		return nil, fmt.Errorf("prepare %s: %w", table, err)
	}
	return b, nil
}

// add queues a row of event's, naming key, and inserts the batch once it
// is full.
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
	if b.many != nil && len(b.events) == b.rows {
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
