// Maintenance dashboard: ECharts charts drawn from the JSON blob #maintenance-charts-data.
// Tooltips render as rich text on the canvas (no HTML with inline styles: strict CSP), and
// every chart follows its box when the window or the card changes size (390 px phones).
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#ffc107",
    "#0dcaf0", "#198754", "#6c757d", "#d63384"];

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

  function empty(values) {
    return !values || !values.length || values.every(function (v) { return !v; });
  }

  function noData(labels) {
    return {
      title: { text: labels.noData, left: "center", top: "middle",
        textStyle: { color: "#6c757d", fontSize: 14, fontWeight: "normal" } }
    };
  }

  // Horizontal bars of requests, the largest on top (buildings, or the schools compared).
  function bars(b, labels) {
    if (!b || empty(b.requests)) { return noData(labels); }
    return base({
      legend: { show: false },
      grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
      // Fewer, non-overlapping ticks on a phone: counts in the thousands are wide.
      xAxis: { type: "value", minInterval: 1, splitNumber: narrow() ? 3 : 5,
        axisLabel: { hideOverlap: true } },
      yAxis: { type: "category", data: b.x.slice().reverse(), axisLabel: axisLabel(0) },
      series: [{ name: labels.requests, type: "bar", data: b.requests.slice().reverse(),
        label: { show: true, position: "right" } }]
    });
  }

  function axisLabel(rotate) {
    return { interval: 0, rotate: narrow() ? rotate : 0, hideOverlap: true,
      width: narrow() ? 64 : 90, overflow: "truncate" };
  }

  var BUILDERS = {
    months: function (data, labels) {
      var m = data.months;
      if (empty(m.requests)) { return noData(labels); }
      return base({
        xAxis: { type: "category", data: m.x, axisLabel: axisLabel(45) },
        yAxis: [
          { type: "value", minInterval: 1 },
          { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" },
            splitLine: { show: false } }
        ],
        series: [
          { name: labels.requests, type: "bar", data: m.requests },
          { name: labels.done, type: "bar", data: m.done },
          { name: labels.onTime, type: "line", yAxisIndex: 1, data: m.onTime,
            connectNulls: true, symbolSize: 6 },
          { name: labels.responseOnTime, type: "line", yAxisIndex: 1, data: m.responseOnTime,
            connectNulls: true, symbolSize: 6, lineStyle: { type: "dashed" } }
        ]
      });
    },
    categories: function (data, labels) {
      if (!data.categories.length) { return noData(labels); }
      return base({
        tooltip: { trigger: "item", renderMode: "richText", confine: true },
        legend: { show: false },
        series: [{
          name: labels.requests, type: "pie", radius: ["35%", "68%"], center: ["50%", "52%"],
          data: data.categories, minShowLabelAngle: 8,
          label: { formatter: "{b}\n{c}", fontSize: narrow() ? 11 : 12 }
        }]
      });
    },
    buildings: function (data, labels) { return bars(data.buildings, labels); },
    schools: function (data, labels) { return bars(data.schools, labels); },
    times: function (data, labels) {
      var t = data.times;
      if (empty(t.response) && empty(t.resolution)) { return noData(labels); }
      return base({
        xAxis: { type: "category", data: labels.stats, axisLabel: axisLabel(0) },
        yAxis: { type: "value" },
        series: [
          { name: labels.response, type: "bar", data: t.response,
            label: { show: true, position: "top", fontSize: 11 } },
          { name: labels.resolution, type: "bar", data: t.resolution,
            label: { show: true, position: "top", fontSize: 11 } }
        ]
      });
    },
    satisfaction: function (data, labels) {
      if (empty(data.satisfaction)) { return noData(labels); }
      return base({
        legend: { show: false },
        xAxis: { type: "category", data: labels.stars },
        yAxis: { type: "value", minInterval: 1 },
        series: [{
          name: labels.ratings, type: "bar", data: data.satisfaction,
          label: { show: true, position: "top" },
          itemStyle: { color: function (p) {
            return ["#dc3545", "#fd7e14", "#ffc107", "#20c997", "#198754"][p.dataIndex];
          } }
        }]
      });
    },
    workers: function (data, labels) {
      var w = data.workers;
      if (!w.x.length) { return noData(labels); }
      return base({
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: w.x.slice().reverse(), axisLabel: axisLabel(0) },
        series: [
          { name: labels.done, type: "bar", stack: "w", data: w.done.slice().reverse() },
          { name: labels.openNow, type: "bar", stack: "w", data: w.open.slice().reverse() }
        ]
      });
    }
  };

  function init() {
    var blob = document.getElementById("maintenance-charts-data");
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
          if (item.wide === narrow()) {  // crossed the phone width: labels change
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
