// Houqin purchase requests: add and remove lines, fill a line from a store item, show each
// line's amount and the estimated total, and offer only the chosen department's budget lines
// with the money still available. No inline script (CSP). Without this script the form
// still works: it shows five lines and a "remove" box on each.
(function () {
  "use strict";

  var form = document.getElementById("purchase-request-form");
  if (!form) { return; }
  var box = document.getElementById("request-lines");
  var template = document.getElementById("request-line-template");
  var prefix = box.getAttribute("data-prefix");
  var totalForms = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  var maxForms = form.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
  var addButton = form.querySelector("[data-line-add]");
  var totalOut = form.querySelector("[data-request-total]");
  var budget = document.getElementById("id_budget_line");
  var department = document.getElementById("id_department");
  var category = document.getElementById("id_category");
  var budgetNote = document.getElementById("budget-available");

  function number(text) {
    var value = parseFloat(String(text || "").replace(/,/g, ""));
    return isFinite(value) ? value : 0;
  }

  function money(value) {
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function field(row, name) {
    return row.querySelector("[data-line='" + name + "']");
  }

  function total() {
    var sum = 0;
    box.querySelectorAll("[data-line-row]").forEach(function (row) {
      if (row.classList.contains("d-none")) { return; }
      var amount = number(field(row, "quantity").value) * number(field(row, "estimated_price").value);
      amount = Math.round(amount * 100) / 100;
      row.querySelector("[data-line-amount]").textContent = amount ? money(amount) : "—";
      sum += amount;
    });
    totalOut.textContent = money(sum);
    showBudget(sum);
    return sum;
  }

  function fillFromItem(row) {
    var select = field(row, "stock_item");
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) { return; }
    field(row, "item_name").value = option.getAttribute("data-name") || "";
    field(row, "specification").value = option.getAttribute("data-spec") || "";
    field(row, "unit").value = option.getAttribute("data-unit") || "";
    field(row, "estimated_price").value = option.getAttribute("data-price") || "";
    total();
  }

  function remove(row) {
    var check = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (check) { check.checked = true; }
    row.classList.add("d-none");
    total();
  }

  function setUp(row) {
    var boxed = row.querySelector("[data-line-delete-box]");
    var removeButton = row.querySelector("[data-line-remove]");
    if (boxed) { boxed.classList.add("d-none"); }
    removeButton.classList.remove("d-none");
    removeButton.addEventListener("click", function () { remove(row); });
    field(row, "stock_item").addEventListener("change", function () { fillFromItem(row); });
    ["quantity", "estimated_price"].forEach(function (name) {
      field(row, name).addEventListener("input", total);
    });
  }

  function add() {
    var index = parseInt(totalForms.value, 10);
    if (maxForms && index >= parseInt(maxForms.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    box.appendChild(row);
    totalForms.value = String(index + 1);
    setUp(row);
    field(row, "stock_item").focus();
  }

  function showBudget(sum) {
    if (!budget || !budgetNote) { return; }
    var option = budget.options[budget.selectedIndex];
    budgetNote.className = "small mb-3";
    if (!option || !option.value) {
      var any = Array.prototype.some.call(budget.options, function (o) { return o.value && !o.hidden; });
      budgetNote.textContent = any ? "" : budgetNote.getAttribute("data-msg-none");
      budgetNote.classList.add("text-muted");
      return;
    }
    var available = number(option.getAttribute("data-available"));
    var text = budgetNote.getAttribute("data-msg-available") + " " + money(available);
    if (sum > available) {
      text += " · " + budgetNote.getAttribute("data-msg-short");
      budgetNote.classList.add("text-danger");
    } else {
      budgetNote.classList.add("text-success");
    }
    budgetNote.textContent = text;
  }

  function filterBudget() {
    if (!budget || !department) { return; }
    var chosen = department.value;
    Array.prototype.forEach.call(budget.options, function (option) {
      if (!option.value) { return; }
      var mine = option.getAttribute("data-department") === chosen;
      option.hidden = !mine;
      option.disabled = !mine;
      if (!mine && option.selected) { budget.value = ""; }
    });
    total();
  }

  box.querySelectorAll("[data-line-row]").forEach(setUp);
  if (addButton) {
    addButton.classList.remove("d-none");
    addButton.addEventListener("click", add);
  }
  if (department) { department.addEventListener("change", filterBudget); }
  if (budget) {
    budget.addEventListener("change", function () {
      var option = budget.options[budget.selectedIndex];
      var kind = option ? option.getAttribute("data-category") : "";
      if (kind && category) { category.value = kind; }
      total();
    });
  }
  filterBudget();
})();
