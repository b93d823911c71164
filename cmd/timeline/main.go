// Command timeline serves a chronological, sourced timeline of a news story
// from a SQLite database, and imports and exports its data.
//
//	timeline [serve] [--addr ADDR] [--db PATH] [--base-url URL] [--follow FILE]
//	timeline import [--db PATH] [--format timeline|csv|xlsx|timelinejs|timelinejs-csv|timelinejs-xlsx] [--allow-unsourced] FILE|DIR|URL|-
//	timeline export [--db PATH] [--format timeline|csv|xlsx|timelinejs|timelinejs-csv]
//	timeline backup [--db PATH] OUT
//	timeline migrate [--db PATH]
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	_ "time/tzdata" // the zone database travels in the binary, for slim containers

	"github.com/timelinenews/timeline/internal/cells"
	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/sheet"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/synth"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/internal/timelinejs"
)

const usage = `timeline serves a chronological, sourced timeline of a news story.

Usage:
  timeline [serve] [flags]        serve the timeline over HTTP (the default)
  timeline import [--db PATH] [--story SLUG] [--format FORMAT] [--allow-unsourced] FILE|DIR|URL|-...
                                  validate story files (ours as JSON, or our sheet template as CSV
                                  or XLSX; TimelineJS JSON, or its sheet template as CSV or XLSX;
                                  told from each file's content), from disk or an http(s) address,
                                  and apply them in one transaction; a DIR stands for its *.json,
                                  *.csv and *.xlsx files
  timeline export [--db PATH] [--story SLUG | --dir DIR] [--format timeline|csv|xlsx|timelinejs|timelinejs-csv]
                                  write a story's file to stdout, or every story's into DIR
                                  (csv and xlsx: our sheet template, to edit in a spreadsheet)
  timeline stories [--db PATH]    list the stories, with their numbers of events and claims
  timeline backup [--db PATH] OUT write a consistent copy of the database to the new file OUT,
                                  while a server or an import goes on
  timeline migrate [--db PATH]    bring the database schema up to date
  timeline synth --events N [--seed S] [--dir DIR [--stories K]]
                                  write a synthetic archive of N events, for measurement: about
                                  one story per 500 into DIR, or one story to stdout
  timeline help                   show this help

Run "timeline COMMAND --help" for a command's flags. Every flag can also be
set through the environment variable shown beside it.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "timeline:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for a usage mistake, 1 for anything else.
func exitCode(err error) int {
	var usageErr *usageError
	if errors.As(err, &usageErr) {
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		command, args = args[0], args[1:]
	}
	switch command {
	case "serve":
		return runServe(ctx, args, stderr)
	case "import":
		return runImport(ctx, args, stdin, stderr)
	case "export":
		return runExport(ctx, args, stdout, stderr)
	case "stories":
		return runStories(ctx, args, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, stderr)
	case "migrate":
		return runMigrate(ctx, args, stderr)
	case "synth":
		return runSynth(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &usageError{msg: fmt.Sprintf("unknown command %q", command)}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	return nil
}

// env returns the environment variable's value, or def when it is unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("TIMELINE_DB", "timeline.db"), "SQLite database file, created if missing (env TIMELINE_DB)")
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, path string, opts sqlite.Options) (*sqlite.DB, error) {
	db, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func runImport(ctx context.Context, args []string, stdin io.Reader, stderr io.Writer) error {
	fs := newFlagSet("import", stderr, "timeline import [--db PATH] [--story SLUG] [--allow-unsourced] [--allow-unattributed] FILE|DIR|URL|-...")
	dbPath := dbFlag(fs)
	storySlug := fs.String("story", "", "the story a file in the first format (timeline/v1) or a TimelineJS file goes into; default: a slug made from its title")
	format := fs.String("format", "", "the files' format: "+strings.Join(formats, ", ")+" (default: told from each file's content)")
	allowUnsourced := fs.Bool("allow-unsourced", false, "import events that cite no source, marked unsourced, rather than refuse them; readers are told that no source is given")
	allowUnattributed := fs.Bool("allow-unattributed", false, "import events that name no actor (a TimelineJS slide without a group), marked so, rather than refuse them; readers are told that no one is named")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "" && !slices.Contains(formats, *format) {
		return &usageError{msg: fmt.Sprintf("--format must be one of %s, not %q", strings.Join(formats, ", "), *format)}
	}
	if fs.NArg() < 1 {
		fs.Usage()
		return &usageError{msg: "import takes file names, directories of story files, http(s) addresses, or - for standard input"}
	}
	files, err := storyFiles(fs.Args())
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if *storySlug != "" && len(files) != 1 {
		return &usageError{msg: "--story names the story of one file"}
	}
	name := strings.Join(fs.Args(), " ")
	_, statErr := os.Stat(*dbPath)
	isNew := errors.Is(statErr, iofs.ErrNotExist)
	db, err := openDB(ctx, *dbPath, sqlite.Options{})
	if err != nil {
		return err
	}
	opts := importOptions{storySlug: *storySlug, format: *format, fetcher: fetch.New(fetch.Options{}),
		allow: timeline.Allowance{Unsourced: *allowUnsourced, Unattributed: *allowUnattributed}}
	res, err := importFiles(ctx, db, files, stdin, opts)
	db.Close()
	if err != nil {
		if isNew {
			// Leave no empty database behind for a file that did not import.
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(*dbPath + suffix)
			}
		}
		if ctx.Err() != nil {
			// Whatever the driver said of the transaction the signal cut
			// short is noise to the reader: the signal is the cause.
			return fmt.Errorf("import %s: stopped: nothing was written: %w", name, context.Cause(ctx))
		}
		return fmt.Errorf("import %s: nothing was written: %w", name, err)
	}
	fmt.Fprintf(stderr, "imported %s into %s (%s): %d events changed, %d unchanged, %d withdrawn; %d actors and %d sources changed; data version %d\n",
		name, *dbPath, storiesNamed(res.Stories), res.EventsChanged, res.EventsSame, res.EventsWithdrawn, res.ActorsChanged, res.SourcesChanged, res.DataVersion)
	return nil
}

// storiesNamed names the stories an import touched, or counts them when
// they are too many to read in one line.
func storiesNamed(slugs []string) string {
	const most = 5
	if len(slugs) > most {
		return fmt.Sprintf("%d stories: %s, …", len(slugs), strings.Join(slugs[:most], ", "))
	}
	return "stories " + strings.Join(slugs, ", ")
}

// storyExtensions are the names of the files a directory given to import
// stands for: every format it reads.
var storyExtensions = []string{".json", ".csv", ".xlsx"}

// storyFiles expands the arguments of import: a directory stands for its
// story files (storyExtensions), in name order; "-" is standard input; an
// address is fetched (see fetch.IsURL).
func storyFiles(args []string) ([]string, error) {
	var files []string
	for _, arg := range args {
		if fetch.IsURL(arg) {
			files = append(files, arg)
			continue
		}
		if info, err := os.Stat(arg); err == nil && info.IsDir() {
			var names []string
			for _, ext := range storyExtensions {
				matched, err := filepath.Glob(filepath.Join(arg, "*"+ext))
				if err != nil {
					return nil, err
				}
				names = append(names, matched...)
			}
			sort.Strings(names)
			files = append(files, names...)
			continue
		}
		files = append(files, arg)
	}
	return files, nil
}

// importOptions are how an import reads its files.
type importOptions struct {
	storySlug, format string
	// allow is what the import takes that it refuses by default.
	allow timeline.Allowance
	// fetcher fetches the files named by address.
	fetcher *fetch.Client
}

// importFiles reads, checks and applies story files in one pass each and
// one transaction, which is rolled back if any file has any problem.
func importFiles(ctx context.Context, db *sqlite.DB, files []string, stdin io.Reader, opts importOptions) (sqlite.ImportResult, error) {
	return importWith(ctx, db, opts, func(im *sqlite.Importer) error {
		for _, name := range files {
			in, err := openStoryFile(ctx, name, stdin, opts.fetcher)
			if err == nil {
				err = scanFile(ctx, in, opts.format, im)
				in.Close()
			}
			if err != nil {
				if len(files) > 1 {
					return fmt.Errorf("%s: %w", name, err)
				}
				return err
			}
		}
		return nil
	})
}

// importWith runs scan on an import begun with opts, and commits it if
// scan succeeds: the one way in for files, addresses and followed sheets.
func importWith(ctx context.Context, db *sqlite.DB, opts importOptions, scan func(*sqlite.Importer) error) (sqlite.ImportResult, error) {
	if err := db.MarkImported(ctx); err != nil {
		return sqlite.ImportResult{}, err
	}
	im, err := db.BeginImport(ctx)
	if err != nil {
		return sqlite.ImportResult{}, err
	}
	defer im.Rollback()
	if opts.storySlug != "" {
		if err := im.SetStory(opts.storySlug); err != nil {
			return sqlite.ImportResult{}, err
		}
	}
	im.SetAllowance(opts.allow)
	if err := scan(im); err != nil {
		return sqlite.ImportResult{}, err
	}
	return im.Commit()
}

// openStoryFile opens a file named on the command line: standard input for
// "-", the body fetched for an address, else the file.
func openStoryFile(ctx context.Context, name string, stdin io.Reader, fetcher *fetch.Client) (io.ReadCloser, error) {
	switch {
	case name == "-":
		return io.NopCloser(stdin), nil
	case fetch.IsURL(name):
		res, err := fetcher.Get(ctx, name, fetch.Validators{})
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(res.Body)), nil
	}
	return os.Open(name)
}

// The formats import reads and export writes.
const (
	formatTimeline       = "timeline"
	formatSheetCSV       = "csv"
	formatSheetXLSX      = "xlsx"
	formatTimelineJS     = "timelinejs"
	formatTimelineJSCSV  = "timelinejs-csv"
	formatTimelineJSXLSX = "timelinejs-xlsx"
	detectionWindow      = 64 << 10 // the bytes a file's format is told from
)

var formats = []string{formatTimeline, formatSheetCSV, formatSheetXLSX, formatTimelineJS, formatTimelineJSCSV, formatTimelineJSXLSX}

// exportFormats are the formats export writes, with the name each file of
// --dir gets; TimelineJS's template is written as CSV only, which Google
// Sheets imports.
var exportFormats = map[string]string{formatTimeline: ".json", formatSheetCSV: ".csv", formatSheetXLSX: ".xlsx",
	formatTimelineJS: ".json", formatTimelineJSCSV: ".csv"}

// scanFile reads one story file into h, in Timeline's own format or, told
// from its content or named by format, our sheet template's or
// TimelineJS's, which are converted to ours first so that they are checked
// and imported as any other file.
func scanFile(ctx context.Context, in io.Reader, format string, h dataset.Handler) error {
	// The start is read before the scan, so the reader itself stops on a
	// signal; the scans below read through it.
	in = dataset.ContextReader(ctx, in)
	br := bufio.NewReaderSize(in, detectionWindow)
	workbook := false // an XLSX whose template its sheets' headers tell
	if format == "" {
		head, _ := br.Peek(detectionWindow) // a shorter file is all there
		switch {
		case cells.IsZip(head):
			format, workbook = formatSheetXLSX, true
		case timelinejs.Detect(head):
			format = formatTimelineJS
		case timelinejs.DetectCSV(head):
			format = formatTimelineJSCSV
		case sheet.DetectCSV(head):
			format = formatSheetCSV
		}
	}
	switch format {
	case formatSheetXLSX, formatTimelineJSXLSX:
		book, err := cells.ReadXLSX(br)
		if err != nil {
			return err
		}
		if format == formatTimelineJSXLSX || workbook && timelinejs.DetectXLSX(book) && !sheet.DetectXLSX(book) {
			return timelinejs.ScanBook(book, h)
		}
		return sheet.ScanBook(book, h)
	case formatSheetCSV:
		return sheet.ScanCSV(br, h)
	case formatTimelineJSCSV:
		return timelinejs.ScanCSV(br, h)
	case formatTimelineJS:
		return timelinejs.Scan(br, h)
	}
	return dataset.Scan(br, h)
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", stderr, "timeline export [--db PATH] [--story SLUG] > FILE, or timeline export [--db PATH] --dir DIR")
	dbPath := dbFlag(fs)
	storySlug := fs.String("story", "", "the story to write to standard output (default: the only one)")
	dir := fs.String("dir", "", "write every story into DIR, one SLUG.json each (SLUG.csv for csv and timelinejs-csv, SLUG.xlsx for xlsx)")
	format := fs.String("format", formatTimeline, "the format written: timeline, csv or xlsx (our sheet template, which holds everything), timelinejs or timelinejs-csv (which hold less)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ext, ok := exportFormats[*format]
	if !ok {
		return &usageError{msg: fmt.Sprintf("--format must be one of timeline, csv, xlsx, timelinejs, timelinejs-csv, not %q", *format)}
	}
	if fs.NArg() != 0 || (*storySlug != "" && *dir != "") {
		return &usageError{msg: "export takes no arguments, and either --story (to standard output) or --dir"}
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("export: no database at %s", *dbPath)
	}
	// Export reads only, but where it may it opens the file as a writer
	// would, without migrating: the last connection to close then folds
	// the WAL back and removes the -wal and -shm files a reader leaves.
	db, err := sqlite.Open(ctx, *dbPath, sqlite.Options{ReadOnly: !sqlite.CanWrite(*dbPath)})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Ready(ctx); err != nil {
		return fmt.Errorf("export: %s: %w (run timeline migrate on it first)", *dbPath, err)
	}
	slugs, err := db.FindStorySlugs(ctx)
	if err != nil {
		return err
	}
	switch {
	case *dir != "":
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, slug := range slugs {
			if err := exportStoryFile(ctx, db, slug, *format, filepath.Join(*dir, slug+ext)); err != nil {
				return err
			}
		}
		return nil
	case *storySlug == "" && len(slugs) != 1:
		return &usageError{msg: fmt.Sprintf("the archive holds %d stories: name one with --story, or write them all with --dir", len(slugs))}
	case *storySlug == "":
		*storySlug = slugs[0]
	}
	return exportStory(ctx, db, *storySlug, *format, stdout)
}

// exportStory writes one story's file to w, in the format named.
func exportStory(ctx context.Context, db *sqlite.DB, slug, format string, w io.Writer) error {
	var sink interface {
		sqlite.ExportSink
		Close() error
	} = dataset.NewWriter(w)
	switch format {
	case formatTimelineJS:
		sink = timelinejs.NewWriter(w)
	case formatTimelineJSCSV:
		sink = timelinejs.NewCSVWriter(w)
	case formatSheetCSV:
		sink = sheet.NewCSVWriter(w)
	case formatSheetXLSX:
		sink = sheet.NewXLSXWriter(w)
	}
	if err := db.Export(ctx, slug, sink); err != nil {
		return err
	}
	return sink.Close()
}

func exportStoryFile(ctx context.Context, db *sqlite.DB, slug, format, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := exportStory(ctx, db, slug, format, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runStories(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stories", stderr, "timeline stories [--db PATH]")
	dbPath := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath, sqlite.Options{ReadOnly: !sqlite.CanWrite(*dbPath)})
	if err != nil {
		return err
	}
	defer db.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tEVENTS\tCLAIMS\tTITLE")
	var older *timeline.Cursor
	for {
		page, err := db.FindStories(ctx, older, 500, 0)
		if err != nil {
			return err
		}
		for _, st := range page.Stories {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", st.Slug, st.EventCount, st.ClaimCount, st.Title)
		}
		if page.Older == nil {
			return tw.Flush()
		}
		older = page.Older
	}
}

func runBackup(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("backup", stderr, "timeline backup [--db PATH] OUT")
	dbPath := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return &usageError{msg: "backup takes one argument: the new file to write"}
	}
	out := fs.Arg(0)
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("backup: no database at %s", *dbPath)
	}
	// Opened as export opens it, and not migrated: the copy is of the
	// file as it is.
	db, err := sqlite.Open(ctx, *dbPath, sqlite.Options{ReadOnly: !sqlite.CanWrite(*dbPath)})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "backed up %s to %s\n", *dbPath, out)
	return nil
}

func runMigrate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr, "timeline migrate [--db PATH]")
	dbPath := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, *dbPath, sqlite.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s is at schema version %d\n", *dbPath, v)
	return nil
}

func runSynth(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", stderr, "timeline synth --events N [--seed S] --dir DIR, or timeline synth --events N [--seed S] > FILE")
	events := fs.Int("events", 0, "number of events (required)")
	seed := fs.Uint64("seed", 1, "random seed: the same N and seed give the same files")
	dir := fs.String("dir", "", "write an archive of many stories into DIR, one SLUG.json each (default: one story to standard output)")
	stories := fs.Int("stories", 0, "with --dir, the number of stories (default: about one per 500 events)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *events < 1 || fs.NArg() != 0 {
		fs.Usage()
		return &usageError{msg: "synth needs --events N, with N at least 1"}
	}
	if *dir == "" {
		if *stories > 1 {
			return &usageError{msg: "--stories needs --dir: standard output holds one story"}
		}
		return synth.Generate(stdout, synth.Options{Events: *events, Seed: *seed})
	}
	if *stories < 0 || *stories > *events {
		return &usageError{msg: "--stories must be between 1 and the number of events"}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return synth.Archive(synth.Options{Events: *events, Seed: *seed, Stories: *stories}, func(slug string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(*dir, slug+".json"))
	})
}
