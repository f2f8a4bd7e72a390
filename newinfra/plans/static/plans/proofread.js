// 解析校对: filter the extraction, jump from flag to flag, and show where each item was read.
(function () {
  var source = document.getElementById("source");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.ptask"));

  function marksOf(ref) {
    return source ? source.querySelectorAll('mark[data-refs~="' + ref + '"]') : [];
  }
  function locate(article) {
    items.forEach(function (a) { a.classList.remove("current"); });
    article.classList.add("current");
    if (!source) return;
    source.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    var marks = marksOf(article.dataset.refs || article.id);
    marks.forEach(function (m) { m.classList.add("active"); });
    if (marks.length) {
      source.scrollTop = marks[0].offsetTop - source.offsetTop - 40;
    }
  }
  items.forEach(function (a) {
    var h = a.querySelector("h3");
    if (h) h.addEventListener("click", function () { locate(a); });
  });
  document.querySelectorAll("tr.ptarget").forEach(function (tr) {
    tr.addEventListener("click", function (e) {
      if (e.target.closest("form, summary") || !source) return;
      source.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
      var marks = marksOf(tr.dataset.refs);
      marks.forEach(function (m) { m.classList.add("active"); });
      if (marks.length) source.scrollTop = marks[0].offsetTop - source.offsetTop - 40;
    });
  });
  if (source) {
    source.addEventListener("click", function (e) {
      var m = e.target.closest("mark");
      if (!m) return;
      var refs = m.dataset.refs.split(" ");
      var task = refs.filter(function (r) { return r.indexOf("task-") === 0; })[0];
      var el = document.getElementById(task || refs[0]);
      if (el) {
        var box = el.closest("details.goals");
        if (box) box.open = true;
        var article = el.closest("article") || el;
        article.classList.remove("hidden-by-filter");
        article.scrollIntoView({ block: "start" });
        if (article.classList.contains("ptask")) locate(article);
      }
    });
  }

  var show = document.getElementById("show");
  function applyFilter() {
    var v = show.value;
    items.forEach(function (a) {
      var keep = v === "all" ||
        (v === "flagged" && a.classList.contains("flagged")) ||
        (v === "changed" && (a.classList.contains("changed") || a.querySelector("tr.changed"))) ||
        (v.indexOf("flag:") === 0 && (" " + a.dataset.flags + " ").indexOf(" " + v.slice(5) + " ") >= 0);
      a.classList.toggle("hidden-by-filter", !keep);
    });
  }
  if (show) show.addEventListener("change", applyFilter);

  var next = document.getElementById("next-flag");
  if (next) next.addEventListener("click", function () {
    var flagged = items.filter(function (a) {
      return a.classList.contains("flagged") && !a.classList.contains("hidden-by-filter");
    });
    if (!flagged.length) return;
    var current = document.querySelector("article.ptask.current");
    var i = current ? flagged.indexOf(current) + 1 : 0;
    var target = flagged[i % flagged.length];
    target.scrollIntoView({ block: "start" });
    locate(target);
  });

  // units are typed as a 、-separated list; a picker beside each adds a name from the registry
  document.querySelectorAll('input[name="lead_units"], input[name="co_units"]').forEach(function (input) {
    input.removeAttribute("list");
    var pick = document.createElement("input");
    pick.className = "unit-pick";
    pick.setAttribute("list", "org-names");
    pick.setAttribute("placeholder", "从单位名录添加…");
    pick.setAttribute("aria-label", "从单位名录添加");
    pick.addEventListener("change", function () {
      var name = pick.value.trim();
      if (!name) return;
      var names = input.value.split(/[、,，;；\s]+/).filter(Boolean);
      if (names.indexOf(name) < 0) names.push(name);
      input.value = names.join("、");
      pick.value = "";
    });
    input.parentNode.appendChild(pick);
  });

  var hash = window.location.hash && document.querySelector(window.location.hash);
  if (hash) {
    var art = hash.closest("article");
    if (art && art.classList.contains("ptask")) locate(art);
  }
})();
