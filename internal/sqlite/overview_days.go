package sqlite

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// daySeconds is the length of the rows of overview_days: a day in UTC, which
// every period longer than an hour is made of (timeline.Period.Start).
const daySeconds = 86400

// dayOf is the SQL of the start of the UTC day holding the second col,
// rounding down before 1970 too (SQLite's % keeps the dividend's sign).
func dayOf(col string) string {
	return fmt.Sprintf("%[1]s - ((%[1]s %% %[2]d) + %[2]d) %% %[2]d", col, daySeconds)
}

// eventClass is the SQL of the class (timeline.ClassOf) of the event e,
// built from the domain's lists.
func eventClass() string {
	claims := make([]string, len(timeline.ClaimKinds))
	for i, k := range timeline.ClaimKinds {
		claims[i] = "'" + strings.ReplaceAll(string(k), "'", "''") + "'"
	}
	return fmt.Sprintf(`CASE WHEN e.kind IN (%s) THEN %d
		WHEN %s THEN %d
		ELSE %d END`, strings.Join(claims, ", "), timeline.ClassClaim, contestsOther(), timeline.ClassContesting, timeline.ClassOther)
}

// overviewDayRows is the query of the rows of overview_days of the
// stories in the JSON list ?1: the story's own lane (actor 0), then one
// for each of its actors, counted as the index-driven count does: an
// event once in its actor's lane, in whatever roles the actor has in it.
func overviewDayRows() string {
	return fmt.Sprintf(`SELECT story_id, actor_id, day_unix, when_precision, sum(class = %[1]d), sum(class = %[2]d), sum(class = %[3]d) FROM (
		SELECT e.story_id, 0 AS actor_id, %[4]s AS day_unix, %[6]s AS when_precision, %[5]s AS class
		FROM events e WHERE e.story_id IN (SELECT value FROM json_each(?1))
		UNION ALL
		SELECT e.story_id, ea.actor_id, %[4]s, %[6]s, %[5]s
		FROM events e JOIN (SELECT DISTINCT event_id, actor_id FROM event_actors WHERE story_id IN (SELECT value FROM json_each(?1))) ea ON ea.event_id = e.id
	) GROUP BY story_id, actor_id, day_unix, when_precision`, timeline.ClassClaim, timeline.ClassContesting, timeline.ClassOther, dayOf("e.sort_unix"), eventClass(), dayPrecision())
}

// dayPrecision is the SQL of the precision an event's figures are kept
// under: the day for any time known to the day or closer, which every
// period the figures answer holds (answeredByDays), else its own.
func dayPrecision() string {
	return fmt.Sprintf(`CASE WHEN e.when_precision IN ('%s', '%s') THEN e.when_precision ELSE '%s' END`,
		timeline.PrecisionMonth, timeline.PrecisionYear, timeline.PrecisionDay)
}

// dayFigurePrecisions are the precisions the figures keep apart from the
// day's (dayPrecision), which a range of whole days narrows beyond its ends.
var dayFigurePrecisions = []timeline.Precision{timeline.PrecisionMonth, timeline.PrecisionYear}

// addToArchiveDays adds sign times the rows of the stories in the JSON
// list ?1 to the archive's (story 0).
func addToArchiveDays(sign string) string {
	return `INSERT INTO overview_days (story_id, actor_id, day_unix, when_precision, claims, contesting, others)
		SELECT 0, actor_id, day_unix, when_precision, ` + sign + `claims, ` + sign + `contesting, ` + sign + `others
		FROM overview_days WHERE story_id IN (SELECT value FROM json_each(?1)) AND true
		ON CONFLICT DO UPDATE SET claims = claims + excluded.claims, contesting = contesting + excluded.contesting, others = others + excluded.others`
}

// countOverviewDays rewrites the overview's figures of every story whose
// events changed, and moves the archive's sums by the difference: the
// old rows taken out (and the archive's rows left at zero dropped), the
// new ones counted and added.
func (im *Importer) countOverviewDays() error {
	var changed []int64
	for _, st := range im.stories {
		if st.changed {
			changed = append(changed, st.id)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	list := idList(changed)
	for _, q := range []string{
		addToArchiveDays("-"),
		`DELETE FROM overview_days WHERE story_id = 0 AND claims = 0 AND contesting = 0 AND others = 0
			AND (actor_id, day_unix, when_precision) IN (SELECT actor_id, day_unix, when_precision FROM overview_days WHERE story_id IN (SELECT value FROM json_each(?1)))`,
		`DELETE FROM overview_days WHERE story_id IN (SELECT value FROM json_each(?1))`,
		`INSERT INTO overview_days (story_id, actor_id, day_unix, when_precision, claims, contesting, others) ` + overviewDayRows(),
		addToArchiveDays(""),
	} {
		if _, err := im.tx.ExecContext(im.ctx, q, list); err != nil {
			return fmt.Errorf("overview figures: %w", err)
		}
	}
	return nil
}

// overviewFigures is false in tests that count the events to compare.
var overviewFigures = true

// answeredByDays reports whether overview_days holds q's counts in
// periods of p: a view of a story or the archive, of its actors or not,
// of every kind or of the claims (the claims pages), in periods of whole
// days, within a range of whole days. A search, a role, other kinds or
// the contested are counted from the events instead.
func (q *pageQuery) answeredByDays(p timeline.Period) bool {
	wholeDay := func(t time.Time) bool { return t.IsZero() || t.Unix()%daySeconds == 0 }
	return overviewFigures && p != timeline.PeriodHour && q.f.Query == "" && q.f.Role == "" && !q.f.Contested &&
		(len(q.f.Kinds) == 0 || q.claimsOnly()) && wholeDay(q.f.From) && wholeDay(q.f.To)
}

// claimsOnly reports whether q's kinds are the claims', whose figures
// are the claims column alone.
func (q *pageQuery) claimsOnly() bool {
	kinds := slices.Clone(q.f.Kinds)
	claims := slices.Clone(timeline.ClaimKinds)
	slices.Sort(kinds)
	slices.Sort(claims)
	return slices.Equal(slices.Compact(kinds), claims)
}

// dayCountQuery sums the rows of overview_days in each period, lane and
// precision, with the first day of each sum (the time Overview.Count
// spreads it from): one range scan of the table's key for each period.
func (q *pageQuery) dayCountQuery(buckets []timeline.Span) (string, []any) {
	var sb strings.Builder
	args := make([]any, 0, 3*len(buckets)+2*len(q.actorIDs)+2)
	sb.WriteString(periodsTable(buckets, &args))
	others := "sum(d.contesting), sum(d.others)"
	if len(q.f.Kinds) > 0 { // the claims alone (answeredByDays)
		others = "0, 0"
	}
	lanes := q.actorIDs
	if len(lanes) == 0 {
		lanes = []int64{0} // the view's own lane
	}
	for lane, actorID := range lanes {
		if lane > 0 {
			sb.WriteString("\nUNION ALL ")
		}
		// CROSS JOIN keeps the periods outermost, each one range of the key.
		fmt.Fprintf(&sb, `SELECT %d, b.i, d.when_precision, min(d.day_unix), sum(d.claims), %s FROM b
			CROSS JOIN overview_days d ON d.story_id = ? AND d.actor_id = ? AND d.day_unix >= b.lo AND d.day_unix < b.hi`, lane, others)
		args = append(args, q.storyID, actorID)
		// The periods may reach beyond the dates (whole days), and the
		// dates narrow the events known only to the month or the year.
		if !q.f.From.IsZero() {
			sb.WriteString(" AND d.day_unix >= ?")
			args = append(args, q.f.From.Unix())
		}
		if !q.f.To.IsZero() {
			sb.WriteString(" AND d.day_unix < ?")
			args = append(args, q.f.To.Unix())
		}
		sb.WriteString(q.datesByPrecision("d.when_precision", "d.day_unix", dayFigurePrecisions, &args))
		sb.WriteString(" GROUP BY b.i, d.when_precision")
	}
	return sb.String(), args
}
