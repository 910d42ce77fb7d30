// Charts of the evaluation report: dimension scores per unit (bars) and one unit's profile (radar).
(function () {
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var bars = echarts.init(document.getElementById("dimension-chart"));
  bars.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.units, axisLabel: { rotate: 60, interval: 0 } },
    yAxis: { type: "value" },
    series: data.dimensions.map(function (name, i) {
      return { name: name, type: "bar", data: data.scores.map(function (row) { return row[i]; }) };
    })
  });
  var values = [].concat.apply([], data.scores).filter(function (v) { return v !== null; });
  var low = Math.min.apply(null, values.concat([0])), high = Math.max.apply(null, values.concat([1]));
  var radar = echarts.init(document.getElementById("radar-chart"));
  function showUnit(index) {
    radar.setOption({
      title: { text: data.units[index], left: "center", textStyle: { fontSize: 14 } },
      radar: { indicator: data.dimensions.map(function (name) { return { name: name, min: low, max: high }; }) },
      series: [{ type: "radar", areaStyle: {}, data: [{ name: data.units[index], value: data.scores[index] }] }]
    });
  }
  var select = document.getElementById("radar-unit");
  select.addEventListener("change", function () { showUnit(Number(select.value)); });
  showUnit(0);
  window.addEventListener("resize", function () { bars.resize(); radar.resize(); });
  window.addEventListener("beforeprint", function () { bars.resize(); radar.resize(); });
})();
