package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLValidates runs the W3C Nu HTML checker over every kind of page.
// The checker refuses localhost URLs, so each page is piped to it.
func TestHTMLValidates(t *testing.T) {
	jar := os.Getenv("VNU_JAR")
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VNU_JAR must name vnu.jar in CI")
		}
		t.Skip("set VNU_JAR to the path of vnu.jar (npm package vnu-jar) to validate the HTML")
	}
	srv := storyServer(t)
	paths := []string{
		"/", "/?order=desc", "/?actor=peskov&actor=kirby&kind=denial", "/?actor=galeotti&kind=incident",
		"/?around=kirby-ludicrous", "/?actor=nobody", "/events/kremlin-statement-attempt-on-putin",
		"/events/nope", "/threads/peskov-decisions-made-in-washington", "/claims", "/claims?actor=us&role=target",
		"/claims/peskov-decisions-made-in-washington", "/actors", "/actors/kirby",
	}
	// One checker run over all pages: the JVM starts once.
	dir := t.TempDir()
	args := []string{"-jar", jar, "--errors-only", "--format", "gnu"}
	names := map[string]string{}
	for i, path := range paths {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %s", path, res.Header.Get("Content-Type"))
		}
		file := filepath.Join(dir, fmt.Sprintf("page%02d.html", i))
		if err := os.WriteFile(file, body, 0o644); err != nil {
			t.Fatal(err)
		}
		names[file] = path
		args = append(args, file)
	}
	out, err := exec.Command("java", args...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		report := string(out)
		for file, path := range names {
			report = strings.ReplaceAll(report, "file:"+file, path)
			report = strings.ReplaceAll(report, file, path)
		}
		t.Errorf("the pages do not validate (%v):\n%s", err, report)
	}
}
