package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestShutdownDrains sends the process SIGTERM while a slow request is in
// flight: the request must complete, new connections must be refused, and
// the server must return without error.
func TestShutdownDrains(t *testing.T) {
	started := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(700 * time.Millisecond)
		io.WriteString(w, "finished")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	// The same signal handling as main: SIGTERM ends the context.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- serveUntilDone(ctx, srv, ln, shutdownGrace, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()

	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		slow <- result{string(b), err}
	}()
	<-started
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// Shutdown closes the listener first: a new connection is refused.
	deadline := time.Now().Add(2 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections are still accepted during shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r := <-slow
	if r.err != nil || r.body != "finished" {
		t.Fatalf("the request in flight got %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("serveUntilDone = %v", err)
	}
}

// TestShutdownCutsSlowRequests: a request still running when the grace
// ends is cut, the log says so, and the server returns without error.
func TestShutdownCutsSlowRequests(t *testing.T) {
	started := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(5 * time.Second)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return log.Write(p)
	}), nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, srv, ln, 100*time.Millisecond, logger) }()
	go http.Get("http://" + ln.Addr().String() + "/slow")
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveUntilDone = %v, want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the server waited for the slow request past its grace")
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), "were cut") {
		t.Errorf("the log does not say requests were cut:\n%s", log.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestServeRefusesBadPageCache: the page cache's size is a whole number of
// MiB, said so before anything is opened.
func TestServeRefusesBadPageCache(t *testing.T) {
	for _, v := range []string{"lots", "-1", "1e9"} {
		dbPath := t.TempDir() + "/never.db"
		err := run(context.Background(), []string{"serve", "--db", dbPath, "--page-cache-mib", v}, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--page-cache-mib") {
			t.Errorf("--page-cache-mib %s: %v", v, err)
		}
		if _, statErr := os.Stat(dbPath); statErr == nil {
			t.Errorf("--page-cache-mib %s: a database was created", v)
		}
	}
}
