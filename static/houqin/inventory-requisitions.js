// Requisitions: item rows added, removed and searched on the requisition form (with the
// stock and unit of the chosen item), and the consumption report's ECharts charts drawn
// from the JSON blob #consumption-charts-data (rich-text tooltips: strict CSP).
(function () {
  "use strict";

  function hint(row) {
    var select = row.querySelector("[data-item-select]");
    var out = row.querySelector("[data-item-hint]");
    if (!select || !out) { return; }
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) { out.textContent = ""; return; }
    var rows = document.getElementById("line-rows");
    var label = rows ? rows.dataset.stockLabel : "";
    out.textContent = label + " " + option.dataset.stock + " " + option.dataset.unit;
  }

  function search(input) {
    var row = input.closest("[data-line-row]");
    var select = row.querySelector("[data-item-select]");
    var words = input.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var match = !words || option.textContent.toLowerCase().indexOf(words) !== -1;
      option.hidden = !match;
      option.disabled = !match && !option.selected;
      if (match && !first) { first = option; }
    });
    var current = select.options[select.selectedIndex];
    if (words && first && (!current || !current.value || current.hidden)) {
      select.value = first.value;
      hint(row);
    }
  }

  function lines() {
    var rows = document.getElementById("line-rows");
    var template = document.getElementById("line-row-template");
    var add = document.getElementById("add-line");
    if (!rows || !template || !add) { return; }
    rows.querySelectorAll("[data-line-row]").forEach(hint);
    add.addEventListener("click", function () {
      rows.appendChild(template.content.cloneNode(true));
      var added = rows.querySelectorAll("[data-line-row]");
      var last = added[added.length - 1];
      var box = last.querySelector("[data-item-search]");
      if (box) { box.focus(); }
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-line]");
      if (!button) { return; }
      var row = button.closest("[data-line-row]");
      if (rows.querySelectorAll("[data-line-row]").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach(function (input) {
          input.value = input.name === "line-quantity" ? "1" : "";
        });
        row.querySelector("select").value = "";
        hint(row);
      }
    });
    rows.addEventListener("change", function (event) {
      if (event.target.matches("[data-item-select]")) {
        hint(event.target.closest("[data-line-row]"));
      }
    });
    rows.addEventListener("input", function (event) {
      if (event.target.matches("[data-item-search]")) { search(event.target); }
    });
  }

  var COLORS = ["#0d6efd", "#adb5bd", "#20c997", "#fd7e14"];

  function narrow() { return window.innerWidth < 576; }

  function option(extra) {
    var base = {
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Noto Sans CJK SC', sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 4, type: "scroll" },
      yAxis: { type: "value" }
    };
    Object.keys(extra).forEach(function (key) { base[key] = extra[key]; });
    return base;
  }

  function empty(values) {
    return !values || !values.length || values.every(function (v) { return !v; });
  }

  function noData(labels) {
    return { title: { text: labels.noData, left: "center", top: "middle",
      textStyle: { color: "#6c757d", fontSize: 14, fontWeight: "normal" } } };
  }

  function axis(data) {
    return { type: "category", data: data, axisLabel: { interval: narrow() ? "auto" : 0,
      rotate: narrow() ? 45 : 0, hideOverlap: true, width: narrow() ? 64 : 90,
      overflow: "truncate" } };
  }

  var BUILDERS = {
    months: function (data, labels) {
      var m = data.months;
      if (empty(m.amount) && empty(m.previous)) { return noData(labels); }
      return option({
        xAxis: axis(m.x),
        series: [
          { name: labels.amount, type: "bar", data: m.amount },
          { name: labels.previous, type: "line", data: m.previous, symbolSize: 6,
            lineStyle: { type: "dashed" } }
        ]
      });
    },
    departments: function (data, labels) {
      var d = data.departments;
      if (empty(d.amount) && empty(d.previous)) { return noData(labels); }
      return option({
        xAxis: axis(d.x),
        series: [
          { name: labels.amount, type: "bar", data: d.amount },
          { name: labels.previous, type: "bar", data: d.previous }
        ]
      });
    }
  };

  function charts() {
    var blob = document.getElementById("consumption-charts-data");
    if (!blob || !window.echarts) { return; }
    var data = JSON.parse(blob.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var build = BUILDERS[box.dataset.chart];
      if (!build) { return; }
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(build(data, data.labels));
      drawn.push(chart);
    });
    function resize() { drawn.forEach(function (chart) { chart.resize(); }); }
    window.addEventListener("resize", resize);
    if (window.ResizeObserver) {
      var observer = new window.ResizeObserver(resize);
      document.querySelectorAll("[data-chart]").forEach(function (box) { observer.observe(box); });
    }
  }

  function init() { lines(); charts(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
