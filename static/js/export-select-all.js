// The admin export page's "select all" toggle, wired here instead of by an inline onchange attribute, which
// the Content-Security-Policy blocks; onSelectToggleChange comes from django-import-export's own script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
