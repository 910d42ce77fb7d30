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
  function fmt(value) {
    return value == null ? "—" : Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }
  function start(node, option) {
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  function lineTooltip(params) {
    var lines = [esc(params[0].axisValue)];
    params.forEach(function (p) { lines.push(p.marker + esc(p.seriesName) + "：" + esc(fmt(p.value))); });
    return lines.join("<br>");
  }

  function trend(node, data) {
    start(node, {
      animation: false,
      tooltip: { trigger: "axis", formatter: lineTooltip },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 12, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.period },
      yAxis: { type: "value", scale: true },
      series: [
        { name: "实际值", type: "line", data: data.value, connectNulls: false, symbolSize: 5 },
        { name: "计划路径", type: "line", data: data.expected_value, lineStyle: { type: "dashed" }, symbol: "none" },
        { name: "目标值", type: "line", step: "end", data: data.target_value, lineStyle: { type: "dotted" }, symbol: "none" }
      ]
    });
  }

  function map(node, data, url) {
    fetch(url).then(function (response) { return response.json(); }).then(function (geo) {
      echarts.registerMap("chongqing", geo);
      start(node, {
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var d = p.data || {};
            return esc(d.unit || p.name) + "<br>" + esc(data.metric) + "：" + esc(fmt(d.value)) +
              "<br>数值：" + esc(fmt(d.shown)) + "　状态：" + esc(d.status) + (d.rank ? "<br>排名：" + esc(d.rank) : "") +
              (d.approved === false ? "<br>未审核，不参与排名" : "") +
              (d.source ? "<br>点击查看来源季度（审核与修改记录）" : "");
          }
        },
        visualMap: {
          min: Math.min(0, data.min), max: Math.max(data.max, 1), calculable: true, left: 0, bottom: 0,
          text: ["高", "低"], inRange: { color: ["#f3e7d3", "#7fb3d5", "#1f5f9f"] }
        },
        series: [{
          type: "map", map: "chongqing", name: data.metric, roam: false, data: data.data,
          label: { show: false }, emphasis: { label: { show: true } }
        }]
      });
      // A unit's value leads to the quarter it came from (only approved values carry a link).
      echarts.getInstanceByDom(node).on("click", function (p) {
        if (p.data && p.data.source) { window.location.href = p.data.source; }
      });
      node.dataset.rendered = "1";
    });
  }

  function groups(node, data) {
    start(node, {
      animation: false,
      tooltip: { trigger: "axis", formatter: lineTooltip },
      legend: { top: 0 },
      grid: { left: 8, right: 12, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.name, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: [{ type: "value", name: "数值" }, { type: "value", name: "进度%", splitLine: { show: false } }],
      series: [
        { name: "数值", type: "bar", data: data.value },
        { name: "完成进度（%）", type: "line", yAxisIndex: 1, data: data.progress }
      ]
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
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
