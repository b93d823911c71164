package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
)

func TestOpen(t *testing.T) {
	t.Run("Pragmas", func(t *testing.T) {
		db := sqlitetest.MustOpen(t)
		ctx := context.Background()
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		latest, _ := sqlite.LatestVersion()
		if v != latest || v == 0 {
			t.Fatalf("schema version = %d, want %d", v, latest)
		}
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("Ready: %v", err)
		}
		for _, conn := range []*sql.DB{sqlite.WriteConn(db), sqlite.ReadConn(db)} {
			var fk, timeout int
			var mode string
			if err := conn.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil {
				t.Fatal(err)
			}
			if err := conn.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if fk != 1 || timeout != 5000 || mode != "wal" {
				t.Errorf("foreign_keys=%d busy_timeout=%d journal_mode=%s, want 1, 5000, wal", fk, timeout, mode)
			}
		}
		if _, err := sqlite.ReadConn(db).Exec(`DELETE FROM actors`); err == nil {
			t.Error("a reader connection could write")
		}
	})
	t.Run("ErrNoPath", func(t *testing.T) {
		if _, err := sqlite.Open(context.Background(), "", sqlite.Options{}); err == nil {
			t.Fatal("want error for an empty path")
		}
	})
}
