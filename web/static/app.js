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
  form.addEventListener("pointerdown", function () { form.dataset.pointer = "1"; });
  form.addEventListener("keydown", function () { form.dataset.pointer = "0"; });
})();
