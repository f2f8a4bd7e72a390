// Choosing a phase moves the 基准日 (and the name, while it is still a phase's default name).
(function () {
  var form = document.getElementById("freeze-form");
  if (!form) return;
  var phase = form.querySelector("select[name=phase]");
  var asOf = form.querySelector("input[name=as_of]");
  var name = form.querySelector("input[name=name]");
  var dates = JSON.parse(phase.dataset.dates || "{}");
  var names = JSON.parse(phase.dataset.names || "{}");
  var defaults = Object.keys(names).map(function (k) { return names[k]; });
  phase.addEventListener("change", function () {
    if (dates[phase.value]) asOf.value = dates[phase.value];
    if (name && (name.value === "" || defaults.indexOf(name.value) >= 0) && phase.value !== "other") {
      name.value = names[phase.value];
    }
  });
})();
