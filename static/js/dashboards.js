/* Dashboard charts: every chart reads its data from a json_script block; nothing is built as JS source.
   Tooltips escape text before ECharts renders them as HTML. Instances are kept in window.portalCharts. */
(function () {
  "use strict";
  var charts = (window.portalCharts = []);
  var palette = { achieved: "#1b6b3a", on_track: "#1f5f9f", at_risk: "#c47f00", off_track: "#9b1c1c" };

  function payload(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function esc(text) {
    return String(text == null ? "—" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var words = payload("chart-labels") || {};
  var NO_DATA = "#d9d9d9";
  var YI = 10000;  // 1 亿元 = 10,000 万元: amounts from 10 亿元 up read in 亿元
  function present(list) { return (list || []).some(function (v) { return v != null; }); }
  function fmt(value) {
    return value == null ? "—" : Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }
  function amount(value, unit) {  // 79,603 家; 603,900.5 万元; 60.39 亿元 where large
    if (value == null) { return "—"; }
    if (unit === "万元" && Math.abs(value) >= 10 * YI) { return fmt(Math.round(value / YI * 100) / 100) + " " + words.yi; }
    return fmt(value) + (unit && unit !== "%" ? " " + unit : unit === "%" ? "%" : "");
  }
  function valueAxis(unit, values, fromZero) {  // an axis in 亿元 when its amounts are large, its unit named above it
    var large = unit === "万元" && values.some(function (v) { return v != null && Math.abs(v) >= 10 * YI; });
    return { type: "value", scale: !fromZero, name: large ? words.yi : unit, nameTextStyle: { align: "left" },
             axisLabel: { formatter: function (v) { return fmt(large ? v / YI : v); } } };
  }
  function quarterly(periods, ytd) {  // a year-to-date flow's own quarter: Q1 as is, later quarters less the one before
    return ytd.map(function (value, i) {
      if (value == null) { return null; }
      var year = periods[i].slice(0, 4), quarter = Number(periods[i].slice(-1));
      if (quarter === 1) { return value; }
      var adjacent = i > 0 && periods[i - 1] === year + "Q" + (quarter - 1), before = adjacent ? ytd[i - 1] : null;
      return before == null ? null : Math.round((value - before) * 100) / 100;
    });
  }
  function start(node, option) {
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  function tooltipIn(unit) {
    return function (params) {
      var lines = [esc(params[0].axisValue)];
      params.forEach(function (p) { lines.push(p.marker + esc(p.seriesName) + "：" + esc(amount(p.value, unit))); });
      return lines.join("<br>");
    };
  }

  // A trend draws only what exists: no target line or plan path when the plan sets none for this place, and a
  // year-to-date flow as its quarterly amounts (bars) with the year-to-date line instead of a sawtooth.
  function trend(node, data) {
    var series = [];
    if (data.flow) {
      series.push({ name: words.quarterly, type: "bar", data: quarterly(data.period, data.value), barMaxWidth: 18 });
      series.push({ name: words.ytd, type: "line", data: data.value, symbolSize: 5 });
    } else {
      series.push({ name: words.actual, type: "line", data: data.value, connectNulls: false, symbolSize: 5 });
    }
    if (present(data.expected_value)) {
      series.push({ name: words.path, type: "line", data: data.expected_value, lineStyle: { type: "dashed" }, symbol: "none" });
    }
    if (present(data.target_value)) {
      series.push({ name: words.target, type: "line", step: "end", data: data.target_value, lineStyle: { type: "dotted" }, symbol: "none" });
    }
    var all = data.value.concat(data.expected_value || [], data.target_value || []);
    start(node, {
      animation: false,
      tooltip: { trigger: "axis", formatter: tooltipIn(data.unit_label) },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 16, right: 32, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.period, axisLabel: { hideOverlap: true } },
      yAxis: valueAxis(data.unit_label, all, data.flow),
      graphic: present(data.value) ? [] : [{ type: "text", left: "center", top: "middle",
                                            style: { text: words.no_data, fontSize: 14, fill: "#777" } }],
      series: series
    });
  }

  // The map: a unit's name shows on hover, a click opens its page, units without a value have their own colour.
  function map(node, data, url) {
    fetch(url).then(function (response) { return response.json(); }).then(function (geo) {
      echarts.registerMap("chongqing", geo);
      var items = data.data.map(function (d) { return Object.assign({}, d, { value: d.value == null ? "-" : d.value }); });
      var chart = start(node, {
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data;
            if (!d) { return esc(p.name) + "<br>" + esc(words.no_data); }
            var lines = [esc(d.unit), esc(words.value) + "：" + esc(amount(d.shown, data.unit_label))];
            if (data.progress) { lines.push(esc(data.metric) + "：" + esc(d.value === "-" ? "—" : fmt(d.value) + "%")); }
            if (d.status) { lines.push(esc(words.status) + "：" + esc(d.status)); }
            if (d.rank) { lines.push(esc(words.rank) + "：" + esc(d.rank)); }
            return lines.join("<br>");
          }
        },
        visualMap: {
          min: Math.min(0, data.min), max: Math.max(data.max, 1), calculable: true, left: 0, bottom: 24,
          text: [words.high, words.low], inRange: { color: ["#f3e7d3", "#7fb3d5", "#1f5f9f"] },
          formatter: function (v) { return fmt(Math.round(v)); }
        },
        graphic: [
          { type: "rect", left: 0, bottom: 0, shape: { width: 18, height: 12 }, style: { fill: NO_DATA } },
          { type: "text", left: 24, bottom: 0, style: { text: words.no_data, fontSize: 12, fill: "#555" } }
        ],
        series: [{
          type: "map", map: "chongqing", name: data.metric, roam: false, data: items, selectedMode: false,
          itemStyle: { areaColor: NO_DATA }, label: { show: false }, emphasis: { label: { show: true } }
        }]
      });
      chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
      node.dataset.rendered = "1";
    });
  }

  function groups(node, data) {
    var series = [{ name: words.value, type: "bar", data: data.value }];
    var axes = [valueAxis(data.unit_label, data.value, true)];
    if (present(data.progress)) {
      series.push({ name: words.progress, type: "line", yAxisIndex: 1, data: data.progress });
      axes.push({ type: "value", name: "%", splitLine: { show: false } });
    }
    start(node, {
      animation: false,
      tooltip: { trigger: "axis", formatter: tooltipIn(data.unit_label) },
      legend: { top: 0 },
      grid: { left: 16, right: 24, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.name, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: axes,
      series: series
    });
  }

  // A column whose every cell is empty ("—"), such as the target columns of a plan without targets here, is hidden.
  function hideEmptyColumns(table) {
    var body = table.tBodies[0];
    if (!body || !body.rows.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (head, column) {
      var empty = Array.prototype.every.call(body.rows, function (row) {
        var cell = row.cells[column];
        return !cell || cell.textContent.trim() === "—";
      });
      if (empty) {
        head.hidden = true;
        Array.prototype.forEach.call(body.rows, function (row) { if (row.cells[column]) { row.cells[column].hidden = true; } });
      }
    });
  }

  function sortable(table) {
    table.querySelectorAll("th button.sort").forEach(function (button, column) {
      button.addEventListener("click", function () {
        var body = table.tBodies[0];
        var ascending = button.dataset.dir !== "asc";
        button.dataset.dir = ascending ? "asc" : "desc";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
          var nx = x === undefined || x === "" ? NaN : Number(x), ny = y === undefined || y === "" ? NaN : Number(y);
          var result;
          if (!isNaN(nx) || !isNaN(ny)) {
            result = isNaN(nx) ? 1 : isNaN(ny) ? -1 : nx - ny;
            return ascending || isNaN(nx) || isNaN(ny) ? result : -result;
          }
          result = a.cells[column].textContent.localeCompare(b.cells[column].textContent, "zh-CN");
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var trends = payload("trend-data") || [];
  document.querySelectorAll("[data-chart=trend]").forEach(function (node) { trend(node, trends[Number(node.dataset.index)]); });
  var mapNode = document.querySelector("[data-chart=map]");
  if (mapNode) { map(mapNode, payload("map-data"), document.getElementById("dashboards-js").dataset.mapUrl); }
  var groupNode = document.querySelector("[data-chart=groups]");
  if (groupNode) { groups(groupNode, payload("group-data")); }
  document.querySelectorAll("table.sortable").forEach(sortable);
  document.querySelectorAll("#ranking, #groups, #unit-indicators").forEach(hideEmptyColumns);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
