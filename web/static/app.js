// Progressive enhancement only: every control works without this file.
// With it, changing a filter applies it at once instead of waiting for the
// "Apply" button, and the button says so.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  // On a phone the open form would push the events below the fold: fold it
  // away unless the reader has applied a filter.
  var details = document.getElementById("filter-details");
  if (details && !details.hasAttribute("data-applied") && window.matchMedia("(max-width: 60rem)").matches) {
    details.open = false;
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
