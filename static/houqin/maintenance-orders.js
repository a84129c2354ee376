// The work order finish page: labour quick buttons and parts rows added or removed.
(function () {
  "use strict";

  function setup() {
    var labour = document.getElementById("id_labour_minutes");
    document.querySelectorAll("[data-labour]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!labour) { return; }
        var current = parseInt(labour.value, 10) || 0;
        labour.value = current + parseInt(button.getAttribute("data-labour"), 10);
        labour.dispatchEvent(new Event("change"));
      });
    });
    var rows = document.getElementById("part-rows");
    var template = document.getElementById("part-row-template");
    var add = document.getElementById("add-part");
    if (!rows || !template || !add) { return; }
    add.addEventListener("click", function () {
      var row = template.content.firstElementChild.cloneNode(true);
      rows.appendChild(row);
      var first = row.querySelector("input");
      if (first) { first.focus(); }
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-part]");
      if (!button) { return; }
      var row = button.closest("[data-part-row]");
      if (rows.querySelectorAll("[data-part-row]").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach(function (input) {
          input.value = input.name === "part-quantity" ? "1" : "";
        });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
