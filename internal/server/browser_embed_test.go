package server_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmbed pastes an embed into a host page on another origin, as
// a content system does: in an iframe sandboxed to scripts alone, listened
// to by a Pym.js-style parent, a Sidechain-style one (its <side-chain>
// host names no child in the URL and takes the AMP-style size message from
// its own frame) and a WordPress-style one. Each frame must
// take the height its embed reports, and again when a narrower frame makes
// the embed taller.
func TestBrowserEmbed(t *testing.T) {
	ctx := browser(t)
	srv, _ := newServer(t, dataset(t, exchange))
	embed := srv.URL + "/embed/stories/drones-over-the-kremlin"
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>Host</title></head><body>
<iframe id="pym" sandbox="allow-scripts" width="600" height="100" src="%s"></iframe>
<iframe id="wp" sandbox="allow-scripts" width="600" height="100" src="%s"></iframe>
<iframe id="sidechain" sandbox="allow-scripts" width="600" height="100" src="%s"></iframe>
<script>
window.addEventListener("message", function (e) {
  var sidechain = document.getElementById("sidechain");
  if (e.source === sidechain.contentWindow) {
    if (e.data && (e.data.type === "embed-size" || e.data.type === "height")) sidechain.height = String(e.data.value || e.data.height);
  } else if (typeof e.data === "string") {
    var m = e.data.split("xPYMx");
    if (m[0] === "pym" && m[1] === "timeline-1" && m[2] === "height") document.getElementById("pym").height = m[3];
  } else if (e.data && e.data.message === "height" && e.data.secret === "Ab3dE5gH9k") {
    document.getElementById("wp").height = String(e.data.value);
  }
});
</script></body></html>`, html.EscapeString(embed+"?childId=timeline-1"), html.EscapeString(embed+"?secret=Ab3dE5gH9k"), html.EscapeString(embed))
	}))
	t.Cleanup(host.Close)

	heights := func(wantAbove int) chromedp.Action {
		return chromedp.Poll(fmt.Sprintf(`["pym", "wp", "sidechain"].every(function (id) { return +document.getElementById(id).height > %d })`, wantAbove), nil)
	}
	var first, narrow int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(host.URL),
		heights(100),
		chromedp.Evaluate(`+document.getElementById("pym").height`, &first),
	); err != nil {
		t.Fatalf("the frames never took their embeds' height: %v", err)
	}
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`["pym", "wp", "sidechain"].forEach(function (id) { document.getElementById(id).width = "280" }); 0`, nil),
		heights(first),
		chromedp.Evaluate(`+document.getElementById("pym").height`, &narrow),
	); err != nil {
		t.Fatalf("the frames did not grow with their narrower embeds (first %d px): %v", first, err)
	}
	t.Logf("embed height %d px at 600 px wide, %d px at 280", first, narrow)
}
