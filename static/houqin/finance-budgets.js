// Budget execution report: ECharts charts drawn from the JSON blob #finance-budget-charts-data.
// Tooltips render as rich text on the canvas (strict CSP: no inline styles), and each chart
// follows its box when the window changes size (390 px phones).
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#fd7e14", "#20c997", "#6c757d", "#dc3545"];

  function narrow() { return window.innerWidth < 576; }

  function base(extra) {
    var option = {
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Noto Sans CJK SC', sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      legend: { top: 4, type: "scroll" }
    };
    Object.keys(extra).forEach(function (key) { option[key] = extra[key]; });
    return option;
  }

  function noData(labels) {
    return {
      title: { text: labels.noData, left: "center", top: "middle",
        textStyle: { color: "#6c757d", fontSize: 14, fontWeight: "normal" } }
    };
  }

  function empty(values) {
    return !values || !values.length || values.every(function (v) { return !v; });
  }

  var BUILDERS = {
    months: function (data, labels) {
      var m = data.months;
      if (empty(m.spent) && empty(m.cumulative)) { return noData(labels); }
      return base({
        xAxis: { type: "category", data: m.x,
          axisLabel: { rotate: narrow() ? 45 : 0, hideOverlap: true } },
        yAxis: { type: "value" },
        series: [
          { name: labels.spent, type: "bar", data: m.spent },
          { name: labels.cumulative, type: "line", data: m.cumulative, symbolSize: 6 }
        ]
      });
    },
    departments: function (data, labels) {
      var d = data.departments;
      if (!d.x.length) { return noData(labels); }
      return base({
        grid: { left: 8, right: 32, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: d.x.slice().reverse(),
          axisLabel: { width: narrow() ? 72 : 110, overflow: "truncate" } },
        series: [
          { name: labels.budget, type: "bar", data: d.budget.slice().reverse() },
          { name: labels.committed, type: "bar", stack: "used",
            data: d.committed.slice().reverse() },
          { name: labels.spent, type: "bar", stack: "used", data: d.spent.slice().reverse() }
        ]
      });
    }
  };

  function init() {
    var blob = document.getElementById("finance-budget-charts-data");
    if (!blob || !window.echarts) { return; }
    var data = JSON.parse(blob.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var build = BUILDERS[box.getAttribute("data-chart")];
      if (!build) { return; }
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(build(data, data.labels));
      box.setAttribute("data-rendered", "true");
      charts.push({ chart: chart, build: build, wide: !narrow() });
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () {
        charts.forEach(function (item) {
          if (item.wide === narrow()) {
            item.wide = !narrow();
            item.chart.setOption(item.build(data, data.labels), true);
          }
          item.chart.resize();
        });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
