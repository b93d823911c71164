package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const nginxPath = "/usr/sbin/nginx"

// TestBehindNginx runs Debian's nginx with the configuration the README
// documents (.ci/nginx/timeline.conf) in front of a real server: a repeated
// page is a cache hit, and after an import the new content reaches readers
// within the configured freshness.
func TestBehindNginx(t *testing.T) {
	if _, err := os.Stat(nginxPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("nginx is required in CI: %v", err)
		}
		t.Skip("no nginx: apt-get install nginx to run the shared-cache test")
	}
	srv, db := newServer(t, dataset(t, exchange))
	upstream := strings.TrimPrefix(srv.URL, "http://")

	conf, err := os.ReadFile(filepath.Join("..", "..", ".ci", "nginx", "timeline.conf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	port := freePort(t)
	site := string(conf)
	for old, repl := range map[string]string{
		"/var/cache/nginx/timeline": filepath.Join(dir, "cache"),
		"server 127.0.0.1:8080;":    "server " + upstream + ";",
		"listen 80;":                fmt.Sprintf("listen 127.0.0.1:%d;", port),
	} {
		if !strings.Contains(site, old) {
			t.Fatalf("the configuration no longer contains %q", old)
		}
		site = strings.ReplaceAll(site, old, repl)
	}
	os.WriteFile(filepath.Join(dir, "timeline.conf"), []byte(site), 0o644)
	// The test's own directories are private to its user: run the workers
	// as that user (the documented site file is untouched).
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n"
	}
	main := user + fmt.Sprintf("pid %s/nginx.pid;\nerror_log %s/error.log warn;\nevents {}\nhttp {\n  access_log off;\n  include %s/timeline.conf;\n}\n", dir, dir, dir)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644)

	cmd := exec.Command(nginxPath, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	// The workers inherit the output pipe: stop the master gracefully, so it
	// takes them along, and bound the wait for the pipe to close.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	front := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, front+"/healthz", out)

	fetch := func(path string) (status, body string) {
		res, err := http.Get(front + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.Header.Get("X-Cache-Status"), string(b)
	}
	if status, _ := fetch("/events/kirby-denies"); status != "MISS" {
		t.Errorf("first request: %q, want MISS", status)
	}
	status, body := fetch("/events/kirby-denies")
	if status != "HIT" || !strings.Contains(body, "Kirby calls it lies") {
		errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		t.Fatalf("second request: %q, want HIT with the page\n%s", status, errLog)
	}

	ds := dataset(t, exchange)
	ds.Events[4].Title = "Kirby: Peskov is lying"
	imported := time.Now()
	if _, err := db.Import(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	// Fresh for ten seconds (s-maxage=10): then one reader gets the stale
	// page while nginx revalidates, and the next one the new page.
	for {
		_, body := fetch("/events/kirby-denies")
		if strings.Contains(body, "Kirby: Peskov is lying") {
			t.Logf("new content reached readers %v after the import", time.Since(imported).Round(100*time.Millisecond))
			break
		}
		if time.Since(imported) > 13*time.Second {
			t.Fatalf("after %v readers still get the old page", time.Since(imported))
		}
		time.Sleep(250 * time.Millisecond)
	}
	if status, _ := fetch("/healthz"); status != "" {
		t.Errorf("/healthz went through the cache: %q", status)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitFor(t *testing.T, url string, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("nginx did not start:\n%s", log)
}
