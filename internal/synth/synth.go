// Package synth generates synthetic archives in the import format, to
// measure Timeline at the sizes a newsroom or a research group would load.
// The same size and seed always give the same bytes.
package synth

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// Options size an archive.
type Options struct {
	Events int
	Seed   uint64
	// Stories is how many stories Archive writes; 0 means Stories(Events).
	Stories int
}

// Actors is how many actors an archive of n events has: about 20,000 at a
// million events, and never fewer than 50.
func Actors(n int) int { return max(50, n/50) }

// Stories is how many stories an archive of n events has by default:
// about one per 500 events, and at least one.
func Stories(n int) int { return max(1, (n+250)/500) }

// storyCast is the most actors one story of an archive names: a big
// story has a large cast, not the whole archive's.
const storyCast = 2000

var (
	zones = []string{"Europe/Moscow", "Europe/Kyiv", "America/New_York", "Europe/London", "Asia/Tokyo", "UTC", "Europe/Berlin", "Asia/Kolkata"}
	words = strings.Fields(`ministry drone strike border talks sanctions grain port pipeline election
		parliament summit ceasefire convoy refinery bridge airfield reservoir embassy treaty exercise
		shelling blackout protest tribunal hostage corridor frigate satellite budget referendum`)
	verbs    = strings.Fields("says denies accuses warns confirms disputes reports announces rejects questions")
	syllable = strings.Fields("ka lo mir va den sor ta vel ni ro bas tyr el gan ost pe ri du mar ko")
	precs    = []string{"year", "month", "day", "day", "part", "part", "hour", "minute", "minute", "minute"}
	parts    = []timeline.PartOfDay{timeline.EarlyHours, timeline.Morning, timeline.Afternoon, timeline.Evening, timeline.Late}
	rels     = []timeline.AnswerType{timeline.AnswerDenies, timeline.AnswerDisputes, timeline.AnswerDoubts, timeline.AnswerSupports, timeline.AnswerAccuses, timeline.AnswerCites, timeline.AnswerRespondsTo}
)

var loadZones = sync.OnceValues(func() ([]*time.Location, error) {
	var locs []*time.Location
	for _, z := range zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		locs = append(locs, loc)
	}
	return locs, nil
})

// archive is what every story of an archive shares: its actors and
// sources, which each story's file lists as the same records, so that
// importing the files together keeps them as they are.
type archive struct {
	opts      Options
	actors    []timeline.Actor
	sources   []timeline.Source
	locations []*time.Location
}

func newArchive(opts Options) (*archive, error) {
	if opts.Events < 1 {
		return nil, fmt.Errorf("synth: the number of events must be at least 1")
	}
	if opts.Stories < 0 || opts.Stories > opts.Events {
		return nil, fmt.Errorf("synth: the number of stories must be between 1 and the number of events")
	}
	if opts.Stories == 0 {
		opts.Stories = Stories(opts.Events)
	}
	locations, err := loadZones()
	if err != nil {
		return nil, err
	}
	a := &archive{opts: opts, locations: locations}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7157e11e))
	for i := range Actors(opts.Events) {
		name := word(rng, 2) + " " + word(rng, 3)
		kind := timeline.ActorKinds[rng.IntN(len(timeline.ActorKinds))]
		a.actors = append(a.actors, timeline.Actor{Slug: fmt.Sprintf("a%d-%s", i, strings.ReplaceAll(name, " ", "-")), Name: capitalize(name), Kind: kind,
			Country: "Country " + strings.ToUpper(word(rng, 1)), Description: "A synthetic " + string(kind) + "."})
	}
	for i := range max(20, opts.Events/100) {
		a.sources = append(a.sources, timeline.Source{Key: fmt.Sprintf("s%d", i), Outlet: "Outlet " + strings.ToUpper(word(rng, 2)),
			URL: fmt.Sprintf("https://news.example/%d", i), Title: "Report " + word(rng, 3)})
	}
	return a, nil
}

// Generate writes an archive of opts.Events events as one story, slug
// "synthetic", to w, one record at a time: memory stays flat whatever the
// size. opts.Stories is ignored.
func Generate(w io.Writer, opts Options) error {
	opts.Stories = 1
	a, err := newArchive(opts)
	if err != nil {
		return err
	}
	st := a.story(0, 0, opts.Events)
	st.slug = "synthetic"
	st.title = fmt.Sprintf("Synthetic archive: %d events, seed %d", opts.Events, opts.Seed)
	return a.write(w, st)
}

// Archive writes an archive of opts.Events events in opts.Stories stories
// (by default about one per 500), one file each, to what create returns
// for the story's slug, closing each before the next. Stories get a
// Zipf-like share of the events (the first is the largest, the last few
// have a handful); actors and sources are the archive's, and the busiest
// actors are in many stories.
func Archive(opts Options, create func(slug string) (io.WriteCloser, error)) error {
	a, err := newArchive(opts)
	if err != nil {
		return err
	}
	first := 0
	for k, n := range shares(a.opts.Events, a.opts.Stories) {
		st := a.story(k, first, n)
		first += n
		w, err := create(st.slug)
		if err != nil {
			return err
		}
		if err := a.write(w, st); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return nil
}

// shares divides n events among k stories in proportion to 1/(rank+1),
// each getting at least one.
func shares(n, k int) []int {
	var h float64
	for i := range k {
		h += 1 / float64(i+1)
	}
	out := make([]int, k)
	left := n
	for i := range k {
		out[i] = max(1, int(float64(n)/(h*float64(i+1))))
		left -= out[i]
	}
	for i := 0; left != 0; i = (i + 1) % k {
		switch {
		case left > 0:
			out[i]++
			left--
		case out[i] > 1:
			out[i]--
			left++
		}
	}
	return out
}

// story is one story of an archive: events first to first+n-1, over a
// span of its own, naming actors of its cast.
type story struct {
	k, first, n int
	seed        uint64
	slug, title string
	start       time.Time
	span        time.Duration
	cast        []int // indexes into archive.actors, the most named first
}

func (a *archive) story(k, first, n int) *story {
	rng := rand.New(rand.NewPCG(a.opts.Seed, 0x5707+uint64(k)))
	topic := word(rng, 1) + " " + words[rng.IntN(len(words))]
	st := &story{k: k, first: first, n: n, seed: rng.Uint64(),
		slug:  fmt.Sprintf("story-%d-%s", k, strings.ReplaceAll(topic, " ", "-")),
		title: fmt.Sprintf("Synthetic story %d: the %s", k, capitalize(topic))}
	// A story lasts about three days per event, from a month to 30 years,
	// somewhere in 1995–2024.
	years30 := 30 * 365 * 24 * time.Hour
	st.span = min(years30, max(30*24*time.Hour, time.Duration(n)*72*time.Hour))
	st.start = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	if room := years30 - st.span; room > 0 {
		st.start = st.start.Add(time.Duration(rng.Int64N(int64(room))))
	}
	nActors := len(a.actors)
	if a.opts.Stories == 1 {
		for i := range nActors {
			st.cast = append(st.cast, i)
		}
		return st
	}
	// Half the cast is drawn by the archive's Zipf popularity, so that
	// the busiest actors are in many stories; the rest uniformly, so that
	// every actor has a chance of a story.
	size := min(nActors, storyCast, max(4, n/10))
	inCast := map[int]bool{}
	zipf := rand.NewZipf(rng, 1.3, 2, uint64(nActors-1))
	for range 3 * size / 2 {
		if len(st.cast) >= (size+1)/2 {
			break
		}
		if i := int(zipf.Uint64()); !inCast[i] {
			inCast[i] = true
			st.cast = append(st.cast, i)
		}
	}
	for range 4 * size {
		if len(st.cast) >= size {
			break
		}
		if i := rng.IntN(nActors); !inCast[i] {
			inCast[i] = true
			st.cast = append(st.cast, i)
		}
	}
	return st
}

// events generates the story's events in time order, the same each call.
func (a *archive) events(st *story, emit func(*timeline.Event) error) error {
	rng := rand.New(rand.NewPCG(st.seed, 0x21bf))
	// Zipf: a few actors appear in a large share of events, most in a handful.
	var zipf *rand.Zipf
	if len(st.cast) > 1 {
		zipf = rand.NewZipf(rand.New(rand.NewPCG(st.seed, 0x21c0)), 1.3, 2, uint64(len(st.cast)-1))
	}
	step := st.span / time.Duration(st.n)
	for j := range st.n {
		at := st.start.Add(step*time.Duration(j) + time.Duration(rng.Int64N(int64(step)+1)))
		e, err := a.event(rng, zipf, st, j, at)
		if err != nil {
			return err
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	return nil
}

// write writes one story's file: its header, the actors and sources its
// events name (in the archive's order), then its events. The events are
// generated twice, once to learn what they name, so that memory stays
// flat whatever the story's size.
func (a *archive) write(w io.Writer, st *story) error {
	usedActors := make([]bool, len(a.actors))
	usedSources := make([]bool, len(a.sources))
	err := a.events(st, func(e *timeline.Event) error {
		for _, ea := range e.Actors {
			usedActors[actorIndex(ea.Actor.Slug)] = true
		}
		for _, c := range e.Sources {
			usedSources[sourceIndex(c.Source.Key)] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	out := dataset.NewWriter(w)
	if err := out.Story(st.slug, st.title, "Generated by timeline synth for measurement; no event in it is real."); err != nil {
		return err
	}
	for i, used := range usedActors {
		if used {
			if err := out.Actor(a.actors[i]); err != nil {
				return err
			}
		}
	}
	for i, used := range usedSources {
		if used {
			if err := out.Source(a.sources[i]); err != nil {
				return err
			}
		}
	}
	if err := a.events(st, out.Event); err != nil {
		return err
	}
	return out.Close()
}

// actorIndex and sourceIndex read back the index a slug or key was made from.
func actorIndex(slug string) int {
	i, _ := strconv.Atoi(slug[1:strings.IndexByte(slug, '-')])
	return i
}

func sourceIndex(key string) int {
	i, _ := strconv.Atoi(key[1:])
	return i
}

func (a *archive) event(rng *rand.Rand, zipf *rand.Zipf, st *story, j int, at time.Time) (*timeline.Event, error) {
	i := st.first + j
	z := rng.IntN(len(zones))
	when, err := timeline.ParseWhen(whenText(rng, at, a.locations[z]), zones[z])
	if err != nil {
		return nil, fmt.Errorf("synth: event %d: %w", i, err)
	}
	kind := timeline.EventKinds[rng.IntN(len(timeline.EventKinds))]
	topic := word(rng, 0)
	e := &timeline.Event{
		Slug:    eventSlug(i),
		Title:   fmt.Sprintf("%s %s %s %s", capitalize(topic), verbs[rng.IntN(len(verbs))], words[rng.IntN(len(words))], words[rng.IntN(len(words))]),
		Summary: fmt.Sprintf("A synthetic %s about the %s and the %s, number %d.", kind, words[rng.IntN(len(words))], words[rng.IntN(len(words))], i),
		Kind:    kind,
		When:    when,
	}
	seen := map[string]bool{}
	for n := range 1 + rng.IntN(5) {
		c := 0
		if zipf != nil {
			c = int(zipf.Uint64())
		}
		slug := a.actors[st.cast[c]].Slug
		if seen[slug] {
			continue
		}
		seen[slug] = true
		role := timeline.RoleSpeaker
		if n > 0 {
			role = timeline.Roles[rng.IntN(len(timeline.Roles))]
		}
		e.Actors = append(e.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: slug}, Role: role})
	}
	for range 1 + rng.IntN(3) {
		e.Sources = append(e.Sources, timeline.Citation{Source: timeline.Source{Key: a.sources[rng.IntN(len(a.sources))].Key},
			Quote: fmt.Sprintf("“The %s near the %s was %s,” said %s.", words[rng.IntN(len(words))], words[rng.IntN(len(words))], word(rng, 1), capitalize(word(rng, 1)))})
	}
	// About one event in ten answers an earlier one of its story: never a
	// later one, so there is no loop.
	if j > 0 && rng.IntN(10) == 0 {
		e.Answers = []timeline.Answer{{Type: rels[rng.IntN(len(rels))], Event: timeline.EventRef{Slug: eventSlug(st.first + rng.IntN(j))}}}
	}
	return e, nil
}

// eventSlug names event i, so that an answer can name an earlier event
// without the generator remembering it.
func eventSlug(i int) string { return fmt.Sprintf("ev-%d", i) }

func whenText(rng *rand.Rand, at time.Time, loc *time.Location) string {
	t := at.In(loc)
	switch precs[rng.IntN(len(precs))] {
	case "year":
		return t.Format("2006")
	case "month":
		return t.Format("2006-01")
	case "day":
		return t.Format("2006-01-02")
	case "part":
		return t.Format("2006-01-02") + " " + string(parts[min(t.Hour()/6, 3)])
	case "hour":
		return t.Format("2006-01-02T15")
	}
	return t.Format("2006-01-02T15:04")
}

// word makes a pronounceable word of n+2 syllables.
func word(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n + 2 {
		b.WriteString(syllable[rng.IntN(len(syllable))])
	}
	return b.String()
}

// capitalize upper-cases the first letter of each word (ASCII only).
func capitalize(s string) string {
	b := []byte(s)
	for i := range b {
		if (i == 0 || b[i-1] == ' ') && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}
