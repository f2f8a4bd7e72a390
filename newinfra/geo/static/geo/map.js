/* 一张图: Guangzhou's districts registered from the platform's own GeoJSON (GCJ-02); no tiles.
   Modes (data-mode on #geo-map): "map" (choropleth + project points), "coverage" (area, gaps,
   stations, proposed sites), "district" (one district highlighted). Data from #geo-payload. */
(function () {
  "use strict";
  var el = document.getElementById("geo-map");
  var holder = document.getElementById("geo-payload");
  if (!el || !holder || typeof echarts === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var mode = el.getAttribute("data-mode") || "map";
  var geojson = data.geojson;
  var extra = [];
  if (mode === "coverage" && data.uncovered && data.uncovered.coordinates && data.uncovered.coordinates.length) {
    extra.push({ type: "Feature", properties: { name: "未覆盖区域" }, geometry: data.uncovered });
  }
  var mapName = "guangzhou-" + mode;
  echarts.registerMap(mapName, { type: "FeatureCollection", features: geojson.features.concat(extra) });
  var urls = {};
  geojson.features.forEach(function (f) { urls[f.properties.name] = f.properties.url; });
  var chart = echarts.init(el, null, { renderer: "canvas" });
  var fmt = function (v) { return v == null || isNaN(v) ? "—" : Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 }); };
  var series = [];
  var option = {
    animation: false,
    tooltip: { trigger: "item", confine: true },
    geo: {
      map: mapName,
      roam: true,
      scaleLimit: { min: 0.8, max: 40 },
      zoom: mode === "coverage" ? 1.0 : 1.1,
      label: { show: true, fontSize: 12, color: "#222", textBorderColor: "#fff", textBorderWidth: 2 },
      itemStyle: { areaColor: "#f3f4f6", borderColor: "#888", borderWidth: 1 },
      emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffe0b2" } },
      select: { disabled: true },
      regions: []
    },
    series: series
  };
  if (mode === "map") {
    var values = data.values.map(function (v) { return { name: v.name, value: v.value }; });
    var nums = data.values.map(function (v) { return v.value; });
    var max = nums.length ? Math.max.apply(null, nums) : 1;
    var min = nums.length > 1 && nums.length >= geojson.features.length ? Math.min.apply(null, nums) : 0;
    if (max <= min) { min = 0; max = Math.max(max, 1); }
    option.visualMap = {
      min: min, max: max, left: 10, bottom: 10, calculable: true, seriesIndex: 0,
      text: [fmt(max) + " " + data.measure.unit, fmt(min)],
      inRange: { color: ["#fff5f0", "#fcbba1", "#fb6a4a", "#cb181d", "#67000d"] }
    };
    series.push({
      name: data.measure.label, type: "map", geoIndex: 0, data: values,
      tooltip: { formatter: function (p) { return p.name + "<br>" + data.measure.label + "：" + fmt(p.value) + " " + data.measure.unit; } }
    });
    data.categories.forEach(function (c, i) {
      series.push({
        name: c.label, type: "scatter", coordinateSystem: "geo", symbolSize: 7,
        itemStyle: { color: c.color, borderColor: "#fff", borderWidth: 0.8 },
        data: data.points.filter(function (p) { return p[4] === i; }).map(function (p) { return { value: [p[0], p[1]], id: p[2], name: p[3], kind: "project" }; }),
        tooltip: { formatter: function (p) { return p.name + "<br>" + c.label; } }
      });
    });
    if (data.facilities && data.facilities.length) {
      series.push({
        name: data.layer, type: "scatter", coordinateSystem: "geo", symbolSize: 3, large: true, largeThreshold: 100000,
        itemStyle: { color: "#00897b", opacity: 0.55 },
        data: data.facilities.map(function (p) { return [p[0], p[1], p[2]]; }),
        tooltip: { formatter: function () { return data.layer; } }
      });
    }
    option.legend = { type: "scroll", top: 0, data: data.categories.map(function (c) { return c.label; }) };
  } else if (mode === "coverage") {
    var inArea = {};
    (data.area || []).forEach(function (n) { inArea[n] = true; });
    option.geo.regions = geojson.features.map(function (f) {
      var name = f.properties.name;
      return { name: name, itemStyle: { areaColor: inArea[name] ? "#e8f5e9" : "#eceff1", borderColor: inArea[name] ? "#2e7d32" : "#aaa" } };
    });
    if (extra.length) {
      option.geo.regions.push({
        name: "未覆盖区域", label: { show: false }, silent: true,
        itemStyle: { areaColor: "rgba(211, 47, 47, 0.55)", borderColor: "rgba(183, 28, 28, 0.9)", borderWidth: 0.5 }
      });
    }
    // Zoom to the area analysed.
    var box = [180, 90, -180, -90];
    var grow = function (c) {
      if (typeof c[0] === "number") { box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]); box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]); }
      else c.forEach(grow);
    };
    var city = [180, 90, -180, -90];
    geojson.features.forEach(function (f) {
      if (inArea[f.properties.name]) grow(f.geometry.coordinates);
    });
    var areaBox = box.slice();
    box = city; geojson.features.forEach(function (f) { grow(f.geometry.coordinates); }); city = box;
    if (areaBox[2] > areaBox[0]) {
      option.geo.center = [(areaBox[0] + areaBox[2]) / 2, (areaBox[1] + areaBox[3]) / 2];
      option.geo.zoom = Math.max(1, 0.9 * Math.min((city[2] - city[0]) / (areaBox[2] - areaBox[0]), (city[3] - city[1]) / (areaBox[3] - areaBox[1])));
    }
    series.push({
      name: "现有站点", type: "scatter", coordinateSystem: "geo", symbolSize: 2.5, large: true, largeThreshold: 100000,
      itemStyle: { color: "#0d47a1", opacity: 0.6 },
      data: data.facilities.map(function (p) { return [p[0], p[1], p[2]]; })
    });
    series.push({
      name: "建议新增站点", type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 22,
      itemStyle: { color: "#ff8f00", borderColor: "#fff", borderWidth: 1 },
      label: { show: true, formatter: function (p) { return String(p.dataIndex + 1); }, fontSize: 9, color: "#fff" },
      data: (data.sites || []).map(function (s, i) { return { value: [s.lng, s.lat], name: "建议站点" + (i + 1), gain: s.gain_km2 }; }),
      tooltip: { formatter: function (p) { return p.name + "<br>新增覆盖约 " + fmt(p.data.gain) + " 平方公里"; } }
    });
    option.legend = { top: 0, data: ["现有站点", "建议新增站点"] };
  } else if (mode === "district") {
    option.geo.regions = [{ name: data.focus, itemStyle: { areaColor: "#ffcdd2", borderColor: "#b71c1c", borderWidth: 2 } }];
  }
  chart.setOption(option);
  chart.on("click", function (p) {
    if (p.componentType === "geo" || p.seriesType === "map") {
      if (urls[p.name]) window.location.href = urls[p.name];
    } else if (p.data && p.data.kind === "project" && data.urls) {
      window.location.href = data.urls.project.replace("/0/", "/" + p.data.id + "/");
    } else if (p.seriesType === "scatter" && Array.isArray(p.data) && p.data.length > 2 && data.urls) {
      window.location.href = data.urls.facility.replace("/0/", "/" + p.data[2] + "/");
    }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  // What the page drew, for people reading the page's state and for the browser tests.
  var regions = 0;
  try { regions = chart.getModel().getComponent("geo").coordinateSystem.regions.length - extra.length; } catch (e) { regions = geojson.features.length; }
  el.setAttribute("data-regions", String(regions));
  el.setAttribute("data-points", String(series.reduce(function (n, s) { return n + (s.type === "scatter" ? s.data.length : 0); }, 0)));
  window.geoChart = chart;
})();
