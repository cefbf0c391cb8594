// Euroffshore: small enhancements shared by every page. The project's own code, loaded with
// `defer`, no inline script (the Content-Security-Policy allows only 'self'). Every page
// works without it: each feature below improves something that already works.
(function () {
  "use strict";

  // 1. Filters apply themselves: a search form (form.filters[role=search]) is sent when a
  //    list, a check box or a date changes. Its submit button stays, for keyboards and for
  //    text fields (which still wait for Enter or the button). A short delay lets someone
  //    tick two boxes in a row without two page loads.
  function autoSubmitFilters() {
    document.querySelectorAll("form.filters[role='search']").forEach(function (form) {
      var timer = null;
      form.addEventListener("change", function (event) {
        var field = event.target;
        var kind = field.tagName === "SELECT" ? "select" : (field.type || "");
        if (["select", "checkbox", "radio", "date"].indexOf(kind) < 0) { return; }
        if (field.type === "date" && field.value && !field.checkValidity()) { return; }
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }, 400);
      });
    });
  }

  // 2. One submission per form: on a slow venue connection a second click would post the
  //    same form twice (two needs, two requests...). Later submits of a form that is
  //    already on its way are ignored; the page that answers replaces this one anyway.
  //    Forms that answer in place (no navigation) can opt out with data-resubmit.
  function guardDoubleSubmit() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented) { return; }  // another script stopped this one
      if (form.method.toLowerCase() !== "post" || form.hasAttribute("data-resubmit")) { return; }
      if (form.getAttribute("data-sending") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sending", "true");
      form.setAttribute("aria-busy", "true");
      // If the browser comes back to this page (history), the form works again.
      window.setTimeout(function () {
        form.removeAttribute("data-sending");
        form.removeAttribute("aria-busy");
      }, 15000);
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) { return; }
      document.querySelectorAll("form[data-sending]").forEach(function (form) {
        form.removeAttribute("data-sending");
        form.removeAttribute("aria-busy");
      });
    });
  }

  // 3. A form that comes back with errors takes the focus to where they are: its error
  //    summary when it can hold the focus, else the first field marked invalid.
  function focusErrors() {
    if (document.activeElement && document.activeElement !== document.body) { return; }
    var summary = document.querySelector("main .alert-error[tabindex='-1']");
    var target = summary || document.querySelector("main [aria-invalid='true']");
    if (target) { target.focus(); }
  }

  // 4. Confirmation messages (role=status, and the one-time messages of app/core/flash.py)
  //    can be put away once read.
  function dismissibleMessages() {
    var label = document.body.getAttribute("data-label-dismiss");
    if (!label) { return; }
    document.querySelectorAll("main .alert-success[role='status'], main .flash-region > .alert").forEach(function (alert) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "alert-dismiss";
      button.setAttribute("aria-label", label);
      button.textContent = "×";
      button.addEventListener("click", function () {
        var next = alert.nextElementSibling || document.getElementById("main");
        alert.remove();
        if (next && next.focus) {
          if (!next.hasAttribute("tabindex")) { next.setAttribute("tabindex", "-1"); }
          next.focus();
        }
      });
      alert.appendChild(button);
    });
  }

  function start() {
    autoSubmitFilters();
    guardDoubleSubmit();
    focusErrors();
    dismissibleMessages();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
