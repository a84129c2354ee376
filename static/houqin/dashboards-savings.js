// Savings report (开源节流): ECharts charts drawn from the JSON blob #savings-charts-data.
// Tooltips render as rich text on the canvas (strict CSP: no HTML with inline styles), and
// every chart follows its box when the window or the card changes size (390 px phones).
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#adb5bd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545"];

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

  function empty() {
    for (var i = 0; i < arguments.length; i++) {
      var values = arguments[i] || [];
      for (var j = 0; j < values.length; j++) { if (values[j]) { return false; } }
    }
    return true;
  }

  function noData(labels) {
    return {
      title: { text: labels.noData, left: "center", top: "middle",
        textStyle: { color: "#6c757d", fontSize: 14, fontWeight: "normal" } }
    };
  }

  function monthAxis(data) {
    return { type: "category", data: data.months,
      axisLabel: { interval: narrow() ? "auto" : 0, fontSize: narrow() ? 10 : 12 } };
  }

  var BUILDERS = {
    budget: function (data, labels) {
      var b = data.budget;
      if (!b || empty(b.budget, b.spent, b.committed)) { return noData(labels); }
      return base({
        xAxis: { type: "category", data: b.categories,
          axisLabel: { interval: 0, rotate: narrow() ? 40 : 0, width: 72, overflow: "truncate" } },
        yAxis: { type: "value" },
        series: [
          { name: labels.budget, type: "bar", data: b.budget },
          { name: labels.committed, type: "bar", stack: "used", data: b.committed },
          { name: labels.spent, type: "bar", stack: "used", data: b.spent }
        ]
      });
    },
    purchasing: function (data, labels) {
      var p = data.purchasing;
      if (!p || empty(p.estimated, p.actual)) { return noData(labels); }
      return base({
        xAxis: monthAxis(data),
        yAxis: { type: "value" },
        series: [
          { name: labels.estimated, type: "bar", data: p.estimated },
          { name: labels.actual, type: "bar", data: p.actual }
        ]
      });
    },
    consumables: function (data, labels) {
      var c = data.consumables;
      if (!c || empty(c.now, c.before)) { return noData(labels); }
      return base({
        xAxis: monthAxis(data),
        yAxis: { type: "value" },
        series: [
          { name: labels.now, type: "bar", data: c.now },
          { name: labels.before, type: "bar", data: c.before }
        ]
      });
    },
    paper: function (data, labels) {
      var p = data.paper;
      if (!p || empty(p.now, p.before)) { return noData(labels); }
      return base({
        xAxis: monthAxis(data),
        yAxis: [
          { type: "value", minInterval: 1 },
          { type: "value", axisLabel: { formatter: "{value}%" }, splitLine: { show: false } }
        ],
        series: [
          { name: labels.now, type: "bar", data: p.now },
          { name: labels.before, type: "bar", data: p.before },
          { name: labels.change, type: "line", yAxisIndex: 1, data: p.change,
            connectNulls: true, symbolSize: 6, color: "#dc3545" }
        ]
      });
    }
  };

  function init() {
    var blob = document.getElementById("savings-charts-data");
    if (!blob || !window.echarts) { return; }
    var data = JSON.parse(blob.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var build = BUILDERS[box.getAttribute("data-chart")];
      if (!build) { return; }
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(build(data, data.labels));
      box.setAttribute("data-rendered", "true");
      charts.push({ chart: chart, box: box, build: build, wide: !narrow() });
    });
    var pending = null;
    function resize() {
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
    }
    window.addEventListener("resize", resize);
    if (window.ResizeObserver) {
      var observer = new window.ResizeObserver(resize);
      charts.forEach(function (item) { observer.observe(item.box); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
