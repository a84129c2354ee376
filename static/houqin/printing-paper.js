// Paper report: ECharts charts drawn from the JSON blob #printing-paper-data — the monthly
// trend of this school year against the year before (one chart), the share by purpose, and
// departments against a year earlier. Tooltips are canvas rich text (strict CSP: no inline
// styles), and each chart follows its box on resize (390 px phones).
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
      grid: { left: 8, right: 12, top: 40, bottom: 8, containLabel: true },
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

  var BUILDERS = {
    trend: function (data, labels) {
      if (empty(data.current) && empty(data.previous)) { return noData(labels); }
      return base({
        xAxis: { type: "category", data: narrow() ? data.monthsShort : data.months,
          axisLabel: { interval: 0, rotate: narrow() ? 45 : 0, hideOverlap: true } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: labels.current, type: "bar", data: data.current, barMaxWidth: 28 },
          { name: labels.previous, type: "line", data: data.previous, symbolSize: 6,
            lineStyle: { type: "dashed" } }
        ]
      });
    },
    purposes: function (data, labels) {
      if (!data.purposes.length) { return noData(labels); }
      return base({
        color: ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1"],
        tooltip: { trigger: "item", renderMode: "richText", confine: true },
        legend: { show: false },
        series: [{
          name: labels.sheets, type: "pie", radius: ["30%", "56%"], center: ["50%", "52%"],
          data: data.purposes, minShowLabelAngle: 8,
          label: { formatter: "{b}\n{d}%", fontSize: narrow() ? 11 : 12, alignTo: "edge",
            edgeDistance: 4, minMargin: 4, width: narrow() ? 72 : 110, overflow: "break" },
          labelLine: { length: 8, length2: 0, maxSurfaceAngle: 80 }
        }]
      });
    },
    departments: function (data, labels) {
      var d = data.departments;
      if (empty(d.current) && empty(d.previous)) { return noData(labels); }
      var label = { interval: 0, width: narrow() ? 64 : 96, overflow: "truncate" };
      if (narrow()) {
        return base({
          grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: d.x.slice().reverse(), axisLabel: label },
          series: [
            { name: labels.current, type: "bar", data: d.current.slice().reverse() },
            { name: labels.previous, type: "bar", data: d.previous.slice().reverse() }
          ]
        });
      }
      label.rotate = d.x.length > 6 ? 30 : 0;
      return base({
        xAxis: { type: "category", data: d.x, axisLabel: label },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: labels.current, type: "bar", data: d.current },
          { name: labels.previous, type: "bar", data: d.previous }
        ]
      });
    }
  };

  function init() {
    var blob = document.getElementById("printing-paper-data");
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
