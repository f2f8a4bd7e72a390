// Every element with data-chart="<id of a json_script>" becomes an ECharts chart of that option.
// Options are built on the server (newinfra/indicators/charts.py); this file only draws them.
(function () {
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      el.dataset.rendered = "1";
      if (option._links) {
        chart.on("click", function (p) {
          var url = option._links[p.name];
          if (url) window.location.href = url;
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
