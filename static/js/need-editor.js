// Need editor: "Add a language" adds a row in place instead of reloading the form.
// Without this script the button submits the form, which comes back with more rows.
(function () {
  "use strict";
  var MAX_ROWS = 10;

  function renumber(row, index) {
    row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (el) {
      ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/_(\d+)$/, "_" + index)); }
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(/\d+\s*$/, String(index + 1));
    });
  }

  function addRow(button) {
    var rows = button.parentNode.querySelectorAll("[data-row]");
    if (!rows.length || rows.length >= MAX_ROWS) { return false; }
    var last = rows[rows.length - 1];
    var row = last.cloneNode(true);
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("input, select").forEach(function (el) {
      el.value = "";
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    renumber(row, rows.length);
    last.parentNode.insertBefore(row, last.nextSibling);
    if (rows.length + 1 >= MAX_ROWS) { button.hidden = true; }
    var input = row.querySelector("input");
    if (input) { input.focus(); }
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-add-language]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (addRow(button)) { event.preventDefault(); }
      });
    });
  });
})();
