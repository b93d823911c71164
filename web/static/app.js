// Progressive enhancement only: every control works without this file.
// With it, changing a filter applies it at once instead of waiting for the
// "Apply" button, and the button says so.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  // The server sends the form folded unless a filter is applied, so that a
  // phone shows the events first without anything moving, and the
  // stylesheet unfolds it beside the list on wide screens. A browser whose
  // CSS cannot unfold a closed <details> gets it opened here, on wide
  // screens only.
  var details = document.getElementById("filter-details");
  if (details && !details.open && !(window.CSS && CSS.supports("selector(::details-content)")) && window.matchMedia("(min-width: 60rem)").matches) {
    details.open = true;
  }
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t && (t.type === "checkbox" || t.tagName === "SELECT")) {
      // Keep keyboard users where they are: only auto-apply on pointer input.
      if (form.dataset.pointer === "1") form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  // Leave empty choices ("any role", "oldest first") out of the URL, so
  // the address a reader shares is the short one the server would write.
  form.addEventListener("submit", function () {
    var fields = form.querySelectorAll("select, input[type=hidden]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value === "") fields[i].disabled = true;
    }
  });
  // Coming back to a page from the history must find the form usable.
  window.addEventListener("pageshow", function () {
    var fields = form.querySelectorAll("[disabled]");
    for (var i = 0; i < fields.length; i++) fields[i].disabled = false;
  });
  form.addEventListener("pointerdown", function () { form.dataset.pointer = "1"; });
  form.addEventListener("keydown", function () { form.dataset.pointer = "0"; });
})();
