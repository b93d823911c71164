package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/story"
)

// shutdownGrace bounds how long in-flight requests may run after a signal.
const shutdownGrace = 15 * time.Second

type serveConfig struct {
	addr      string
	dbPath    string
	baseURL   string
	readOnly  bool
	logFormat string
	logLevel  string
	cacheMiB  string
	follow    string
}

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr, "timeline serve [flags]")
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", env("TIMELINE_ADDR", "127.0.0.1:8080"), "address to listen on (env TIMELINE_ADDR)")
	fs.StringVar(&cfg.dbPath, "db", env("TIMELINE_DB", "timeline.db"), "SQLite database file; created, migrated and loaded with the bundled story if missing (env TIMELINE_DB)")
	fs.StringVar(&cfg.baseURL, "base-url", env("TIMELINE_BASE_URL", ""), "public URL of the site, for permalinks and link previews (env TIMELINE_BASE_URL; default http://ADDR)")
	fs.BoolVar(&cfg.readOnly, "read-only", env("TIMELINE_READ_ONLY", "") == "true", "open the database read-only: no migrations, no first-start load (env TIMELINE_READ_ONLY=true)")
	fs.StringVar(&cfg.logFormat, "log-format", env("TIMELINE_LOG_FORMAT", "text"), "log format: text or json (env TIMELINE_LOG_FORMAT)")
	fs.StringVar(&cfg.logLevel, "log-level", env("TIMELINE_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env TIMELINE_LOG_LEVEL)")
	fs.StringVar(&cfg.cacheMiB, "page-cache-mib", env("TIMELINE_PAGE_CACHE_MIB", "64"), "memory for rendered pages kept between requests, in MiB; 0 keeps none (env TIMELINE_PAGE_CACHE_MIB)")
	fs.StringVar(&cfg.follow, "follow", env("TIMELINE_FOLLOW", ""), "JSON file of the sheets to follow: each story's sheet address and interval, re-imported when it changes (env TIMELINE_FOLLOW)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return &usageError{msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if cfg.follow != "" && cfg.readOnly {
		return &usageError{msg: "--follow needs the server that writes: a --read-only server imports nothing"}
	}
	cacheMiB, err := strconv.Atoi(cfg.cacheMiB)
	if err != nil || cacheMiB < 0 || cacheMiB > 1<<16 {
		return &usageError{msg: fmt.Sprintf("--page-cache-mib takes a whole number of MiB from 0 to %d, not %q", 1<<16, cfg.cacheMiB)}
	}
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if cfg.baseURL == "" {
		cfg.baseURL = "http://" + cfg.addr
	}
	cfg.baseURL = strings.TrimSuffix(cfg.baseURL, "/")

	db, err := openDB(ctx, cfg.dbPath, sqlite.Options{ReadOnly: cfg.readOnly, Logger: logger})
	if err != nil {
		return err
	}
	defer db.Close()
	if !cfg.readOnly {
		if err := loadBundledStory(ctx, db, logger); err != nil {
			return err
		}
	}

	serverCfg := server.Config{Store: db, BaseURL: cfg.baseURL, Logger: logger, PageCacheBytes: pageCacheBytes(cacheMiB)}
	var follower *follow.Follower
	if cfg.follow != "" {
		if follower, err = newFollower(cfg.follow, db, logger); err != nil {
			return err
		}
		serverCfg.Sheets = follower
	}
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           server.New(serverCfg),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	logger.Info("serving", "url", "http://"+ln.Addr().String(), "db", cfg.dbPath, "base_url", cfg.baseURL, "read_only", cfg.readOnly)

	if follower != nil {
		// The follower stops with the server: a check under way is cut
		// and rolled back, before the database closes.
		followCtx, stopFollowing := context.WithCancel(ctx)
		followed := make(chan struct{})
		go func() { follower.Run(followCtx); close(followed) }()
		defer func() { stopFollowing(); <-followed }()
		logger.Info("following sheets", "sheets", len(follower.Statuses()), "config", cfg.follow)
	}
	return serveUntilDone(ctx, srv, ln, shutdownGrace, logger)
}

// serveUntilDone serves on ln until ctx ends, then stops accepting
// connections and lets requests in flight finish, for up to grace.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, logger *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight", "grace", grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); errors.Is(err, context.DeadlineExceeded) {
		// Asked to stop, the server stops: what is still running after the
		// grace is cut, and the log says so.
		logger.Warn("shutting down: requests still running after the grace were cut", "grace", grace)
		srv.Close()
	} else if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// loadBundledStory fills a brand-new database with the bundled story, so
// that a first start shows a timeline with no set-up. A file that an import
// has begun to fill, or is filling now, is left to it.
func loadBundledStory(ctx context.Context, db *sqlite.DB, logger *slog.Logger) error {
	ds, err := story.Dataset()
	if err != nil {
		return fmt.Errorf("bundled story: %w", err)
	}
	loaded, res, err := db.LoadIfNew(ctx, ds)
	if err != nil {
		return fmt.Errorf("load bundled story: %w", err)
	}
	if loaded {
		logger.Info("loaded the bundled story into a new database", "events", res.EventsChanged, "db", db.Path())
	}
	return nil
}

// pageCacheBytes turns the flag's MiB into the server's bound, where 0
// keeps nothing.
func pageCacheBytes(mib int) int {
	if mib == 0 {
		return -1
	}
	return mib << 20
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("unknown log format %q (want text or json)", format)
}
