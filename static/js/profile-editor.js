// Provider profile editor: add and remove rows (sites, languages, references) in place.
// Without this script the same buttons submit the form, which comes back with one row
// more or less; with it, rows come from the <template id="tpl-KIND"> and no round trip.
(function () {
  "use strict";

  function rowsOf(kind) {
    return document.querySelector('[data-rows="' + kind + '"]');
  }

  function nextIndex(container, kind) {
    var max = -1;
    container.querySelectorAll("[name^='" + kind + ".']").forEach(function (el) {
      var n = parseInt(el.name.split(".")[1], 10);
      if (!isNaN(n) && n > max) { max = n; }
    });
    return max + 1;
  }

  function renumber(container) {
    container.querySelectorAll(".row-item").forEach(function (row, i) {
      var number = row.querySelector(".row-number");
      if (number) { number.textContent = String(i + 1); }
    });
  }

  function addRow(kind) {
    var template = document.getElementById("tpl-" + kind);
    var container = rowsOf(kind);
    if (!template || !container) { return false; }
    var index = String(nextIndex(container, kind));
    var html = template.innerHTML.split("__i__").join(index);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    container.appendChild(row);
    renumber(container);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    return true;
  }

  function removeRow(button) {
    var row = button.closest(".row-item");
    if (!row) { return false; }
    var container = row.parentElement;
    var section = row.closest("section");
    row.remove();
    renumber(container);
    var add = section && section.querySelector(".row-add");
    if (add) { add.focus(); }
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='action']");
    if (!button) { return; }
    var value = button.value || "";
    if (value.indexOf("add:") === 0 && addRow(value.slice(4))) {
      event.preventDefault();
    } else if (value.indexOf("remove:") === 0 && removeRow(button)) {
      event.preventDefault();
    }
  });
})();
