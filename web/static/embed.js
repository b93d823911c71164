// An embed page tells the page that frames it how tall it is, whenever
// that changes, in the protocols content systems listen to: Pym.js's
// framed messages, for the childId the host put in the iframe's URL;
// Sidechain's (Pym's successor, whose host element puts no id in the URL),
// the size message it shares with AMP; and WordPress's embed message, for
// its secret. Without this file the embed keeps the height its snippet
// gives it and scrolls.
(function () {
  "use strict";
  if (window.parent === window) return;
  var params = new URLSearchParams(window.location.search);
  var childId = params.get("childId");
  var secret = params.get("secret");
  var last = -1;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // The host is any site: the message holds nothing but a height.
    if (childId) window.parent.postMessage("pymxPYMx" + childId + "xPYMxheightxPYMx" + height, "*");
    window.parent.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
    if (secret) window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.documentElement);
  window.addEventListener("load", tell);
  tell();
})();
