package sqlite

import "database/sql"

// WriteConn and ReadConn expose the pools to tests that check pragmas.
func WriteConn(db *DB) *sql.DB { return db.write }
func ReadConn(db *DB) *sql.DB  { return db.read }
