// Navigation at every width, and print (issue 13).
//
// pydata-sphinx-theme 0.17.1 wires only the first ".primary-toggle" and ".secondary-toggle"
// of a page (document.querySelector), which with sphinx-book-theme 1.3.0 is the hidden copy in
// the top navbar: the visible buttons in the article header did nothing (upstream
// pydata-sphinx-theme #2451). Each other copy forwards its click to the wired one, which opens
// the sidebar dialog on small screens and folds the sidebar on wide ones. Both theme versions are
// pinned in requirements.txt; tests/browser/test_devices.py opens the menus at four widths.
(function () {
  "use strict";

  function forwardToggles(selector) {
    var buttons = document.querySelectorAll(selector);
    var wired = buttons[0];
    for (var i = 1; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-haspopup", "dialog");
      buttons[i].addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
    }
  }

  // Text descriptions of maps print expanded; each goes back to how the reader left it.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.map-description:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  function start() {
    forwardToggles(".primary-toggle");
    forwardToggles(".secondary-toggle");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
