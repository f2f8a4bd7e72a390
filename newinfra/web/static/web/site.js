// Behaviour the pages share, kept out of the markup so that the Content-Security-Policy can forbid
// inline scripts and styles: filters that apply on change, and bar widths.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
});
document.querySelectorAll("[data-width]").forEach(function (el) {
  el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
});
