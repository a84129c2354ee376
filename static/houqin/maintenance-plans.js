// Holiday campaigns: progress bars and the chart by building; the live room count of the
// campaign form (whole buildings plus single rooms).
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function bars() {
    document.querySelectorAll(".progress[data-share]").forEach(function (seg) {
      var of = parseInt(seg.getAttribute("data-of"), 10) || 0;
      var share = parseInt(seg.getAttribute("data-share"), 10) || 0;
      var width = of > 0 ? (share * 100) / of : 0;
      seg.style.width = width + "%";
      seg.setAttribute("aria-hidden", "true");
      if (!share) { seg.hidden = true; }
    });
  }

  function chart() {
    var data = readJSON("campaign-chart-data");
    var box = document.getElementById("campaign-chart");
    if (!data || !box || !window.echarts) { return; }
    var rows = data.buildings.length;
    box.style.height = Math.max(160, rows * 44 + 70) + "px";
    var colors = { done: "#198754", working: "#ffc107", waiting: "#adb5bd" };
    var instance = window.echarts.init(box);
    instance.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.buildings, inverse: true },
      series: data.series.map(function (s) {
        return {
          name: s.name, type: "bar", stack: "rooms", data: s.data,
          itemStyle: { color: colors[s.key] }, barMaxWidth: 28
        };
      })
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function roomCount() {
    var map = readJSON("campaign-room-map");
    var out = document.getElementById("campaign-room-count");
    var buildings = document.getElementById("id_buildings");
    var rooms = document.getElementById("id_rooms");
    if (!map || !out || !buildings || !rooms) { return; }
    function selected(select) {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    function update() {
      var chosen = {};
      var whole = {};
      selected(buildings).forEach(function (b) { whole[b] = true; });
      Object.keys(map.rooms).forEach(function (r) {
        if (whole[String(map.rooms[r])]) { chosen[r] = true; }
      });
      selected(rooms).forEach(function (r) { chosen[r] = true; });
      out.textContent = String(Object.keys(chosen).length);
    }
    buildings.addEventListener("change", update);
    rooms.addEventListener("change", update);
    update();
  }

  function init() { bars(); chart(); roomCount(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
