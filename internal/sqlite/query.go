package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// eachRow runs a query and calls scan for every row, closing the rows and
// checking their error.
func eachRow(ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// contestingTypes is timeline.ContestingTypes as an SQL list, built from
// the domain's list each time so that the rule has one home.
func contestingTypes() string {
	quoted := make([]string, len(timeline.ContestingTypes))
	for i, t := range timeline.ContestingTypes {
		quoted[i] = "'" + strings.ReplaceAll(string(t), "'", "''") + "'"
	}
	return "(" + strings.Join(quoted, ", ") + ")"
}

// contestsOther is the SQL of whether the event e contests another: it
// answers one in a way that contests it (timeline.ContestingTypes).
func contestsOther() string {
	return "EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN " + contestingTypes() + ")"
}

// placeholders is n comma-separated parameters: "?, ?, ?".
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// int64Args is ids as query arguments.
func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
