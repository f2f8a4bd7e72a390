/* newinfra: the menu button on a phone, a confirmation before an irreversible action, and the
   behaviour that the Content-Security-Policy keeps out of the markup (auto-submitting filters, bar widths).
   Local, no library. Without JavaScript the menu is simply open and forms submit directly. */
(function () {
  "use strict";
  document.documentElement.className = document.documentElement.className.replace("no-js", "js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // --- the menu button (shown below 768 px) ------------------------------------------------------
  function setUpMenu() {
    var button = document.getElementById("menu-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "收起" : "菜单";
    });
  }

  // --- confirmation: <button data-confirm="…"> or <form data-confirm="…"> -----------------------
  var dialog = null;

  function buildDialog() {
    // The dialog's words are in the page (base.html), so the Traditional switch converts them too.
    var template = document.getElementById("confirm-template");
    if (!template) return null;
    document.body.appendChild(template.content.cloneNode(true));
    dialog = document.getElementById("confirm-dialog");
    return dialog;
  }

  function ask(text, onYes) {
    var d = typeof HTMLDialogElement === "function" ? dialog || buildDialog() : null;
    if (!d) {
      if (window.confirm(text)) onYes();
      return;
    }
    d.querySelector(".confirm-text").textContent = text;
    d.returnValue = "";
    d.onclose = function () {
      if (d.returnValue === "ok") onYes();
    };
    d.showModal();
    d.querySelector("#confirm-cancel").focus();
  }

  function setUpConfirm() {
    document.addEventListener(
      "submit",
      function (event) {
        var form = event.target;
        var submitter = event.submitter || null;
        var text = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
        if (!text || form.dataset.confirmed === "1") return;
        event.preventDefault();
        ask(text, function () {
          form.dataset.confirmed = "1";
          if (form.requestSubmit) form.requestSubmit(submitter || undefined);
          else form.submit();
        });
      },
      true
    );
  }

  // --- phone: each cell carries its column's header, so a row can be shown as a card ------------
  function labelCells() {
    var tables = document.querySelectorAll("table.grid");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) continue;
      var labels = [];
      for (var h = 0; h < head.cells.length; h++) {
        var span = head.cells[h].colSpan || 1;
        for (var k = 0; k < span; k++) labels.push(head.cells[h].textContent.trim());
      }
      for (var b = 0; b < table.tBodies.length; b++) {
        var rows = table.tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          var col = 0;
          for (var c = 0; c < rows[r].cells.length; c++) {
            var cell = rows[r].cells[c];
            if (labels[col] && !cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
              cell.setAttribute("data-label", labels[col]);
            }
            col += cell.colSpan || 1;
          }
        }
      }
    }
  }

  // --- behaviour kept out of the markup, so the Content-Security-Policy can forbid inline
  // scripts and styles: filters that apply on change, and bar widths -----------------------------
  function setUpInlineFree() {
    document.addEventListener("change", function (event) {
      var el = event.target;
      if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
    });
    document.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
    });
  }

  // --- long tables: <tbody data-collapse="N" data-more="…{n}…" data-less="…"> shows its first N
  // rows and a button for the rest (its words are in the page, so the Traditional switch converts
  // them); without JavaScript every row stays visible, and print and exports are never cut -------
  function setUpCollapse() {
    document.querySelectorAll("tbody[data-collapse]").forEach(function (body) {
      var keep = parseInt(body.dataset.collapse, 10) || 10;
      var rows = Array.prototype.slice.call(body.rows, keep);
      if (!rows.length) return;
      var columns = body.rows[0].cells.length;
      var toggle = document.createElement("tr");
      toggle.className = "collapse-toggle";
      var cell = document.createElement("td");
      cell.colSpan = columns;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      cell.appendChild(button);
      toggle.appendChild(cell);
      body.appendChild(toggle);
      function show(open) {
        rows.forEach(function (r) { r.hidden = !open; });
        button.textContent = open
          ? body.dataset.less || "−"
          : (body.dataset.more || "+{n}").replace("{n}", rows.length);
        button.setAttribute("aria-expanded", open ? "true" : "false");
      }
      button.addEventListener("click", function () { show(rows[0].hidden); });
      show(false);
    });
  }

  ready(function () {
    labelCells();
    setUpMenu();
    setUpConfirm();
    setUpInlineFree();
    setUpCollapse();
  });
})();
