// Progressive enhancement for "The article's claims, checked": show the filter form and hide the
// table rows that do not match. Without JavaScript every row stays visible.
(function () {
  "use strict";
  function start() {
    var form = document.querySelector("form.claims-filter");
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.claim-row"));
    if (!form || !rows.length) { return; }
    var count = form.querySelector(".claims-count");
    function apply() {
      var verdict = form.elements.verdict.value;
      var chapter = form.elements.chapter.value;
      var shown = 0;
      rows.forEach(function (row) {
        var match = (!verdict || row.classList.contains(verdict)) && (!chapter || row.classList.contains(chapter));
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
