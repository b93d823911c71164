package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// BeginRead begins one read of the database for every call made with the
// context it returns: they all see one state of the data, whatever is
// committed meanwhile, so that a page's header, its events and its ETag
// agree. end finishes the read; it must be called, and may be called more
// than once. A context already in a read is returned as it is.
//
// The calls made with the context run one at a time on one connection.
func (db *DB) BeginRead(ctx context.Context) (_ context.Context, end func(), err error) {
	if db.snapshotOf(ctx) != nil {
		return ctx, func() {}, nil
	}
	db.mu.RLock()
	pool := db.pool
	tx, err := pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		rd := readCall{querier: pool.db, store: db, pool: pool}
		rd.done(&err) // vouches for the error, and lets the readers go
		return ctx, func() {}, fmt.Errorf("begin a read: %w", err)
	}
	s := &snapshot{tx: tx, store: db, pool: pool, ctx: ctx}
	var once sync.Once
	end = func() {
		once.Do(func() {
			tx.Rollback()
			db.mu.RUnlock()
		})
	}
	return context.WithValue(ctx, snapshotKey{}, s), end, nil
}

type snapshotKey struct{}

// snapshotOf is the read of this DB that ctx is in, or nil.
func (db *DB) snapshotOf(ctx context.Context) *snapshot {
	if s, ok := ctx.Value(snapshotKey{}).(*snapshot); ok && s.store == db {
		return s
	}
	return nil
}

// snapshot is one read transaction shared by the calls made in BeginRead's
// context. It holds the readers' lock until it ends, so its calls take no
// other.
type snapshot struct {
	tx    *sql.Tx
	store *DB
	pool  *readers
	ctx   context.Context // the transaction's: it ends when this is done
}

// readTx is what a call reads through: its own read transaction, or the
// snapshot's, which a call does not end.
type readTx interface {
	querier
	Rollback() error
}

// sharedTx is a snapshot's transaction as one call sees it: the call's
// Rollback leaves it to the snapshot's end.
type sharedTx struct{ *sql.Tx }

func (sharedTx) Rollback() error { return nil }
