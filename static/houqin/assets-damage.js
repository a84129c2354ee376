// Damage report form: show only the fields the chosen responsible party needs.
(function () {
  "use strict";
  var NEEDS = {
    person: ["responsible_user"],
    student: ["responsible_name", "student_class"],
    "class": ["student_class"],
    outsider: ["responsible_name"],
    unknown: ["student_class"],
    wear: []
  };
  var PARTY = ["responsible_user", "responsible_name", "student_class"];

  function box(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.closest(".mb-3") : null;
  }

  function update(select) {
    var wanted = NEEDS[select.value] || PARTY;
    PARTY.forEach(function (name) {
      var el = box(name);
      if (el) { el.hidden = wanted.indexOf(name) === -1; }
    });
    var deliberate = box("deliberate");
    if (deliberate) { deliberate.hidden = select.value === "wear"; }
  }

  function init() {
    var select = document.getElementById("id_responsible_kind");
    if (!select || !select.closest(".hq-damage-form")) { return; }
    select.addEventListener("change", function () { update(select); });
    update(select);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
