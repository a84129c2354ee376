// Purchasing pages: "select the whole group" on the consolidation page, and the accepted
// quantity following the delivered one on the acceptance form until the user changes it.
(function () {
  "use strict";

  function setupGroups() {
    document.querySelectorAll("[data-group]").forEach(function (group) {
      var all = group.querySelector("[data-select-group]");
      var lines = group.querySelectorAll("[data-line]");
      if (!all) { return; }
      function sync() {
        var ticked = Array.prototype.filter.call(lines, function (box) { return box.checked; });
        all.checked = ticked.length === lines.length && lines.length > 0;
        all.indeterminate = ticked.length > 0 && ticked.length < lines.length;
      }
      all.addEventListener("change", function () {
        lines.forEach(function (box) { box.checked = all.checked; });
      });
      lines.forEach(function (box) { box.addEventListener("change", sync); });
      sync();
    });
  }

  function setupAcceptance() {
    document.querySelectorAll("[data-delivered]").forEach(function (delivered) {
      var accepted = document.getElementById(delivered.getAttribute("data-delivered"));
      if (!accepted) { return; }
      var touched = accepted.value !== "";
      accepted.addEventListener("input", function () { touched = true; });
      delivered.addEventListener("input", function () {
        if (!touched) { accepted.value = delivered.value; }
      });
    });
  }

  function setup() {
    setupGroups();
    setupAcceptance();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
