// The progress of an agenda build: poll the run every 1.5 s, show its step, and reload the
// page when it has ended (without JavaScript a <meta refresh> reloads the page instead).
(function () {
  "use strict";
  var panel = document.getElementById("agenda-progress");
  if (!panel) return;
  var url = panel.getAttribute("data-url");
  function set(field, value) {
    var el = panel.querySelector('[data-field="' + field + '"]');
    if (el && value !== null && value !== undefined) el.textContent = String(value);
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (!run) return;
        if (run.status !== "queued" && run.status !== "running") {
          window.location.reload();
          return;
        }
        if (run.meetings_wanted !== null) set("meetings_wanted", run.meetings_wanted);
        set("status", panel.getAttribute("data-status-" + run.status) || run.status);
        if (run.phase) set("phase", panel.getAttribute("data-phase-" + run.phase) || run.phase);
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 1500); });
  }
  window.setTimeout(poll, 1500);
})();
