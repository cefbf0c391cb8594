// Euroffshore events: remember the browser's time zone in the "tz" cookie, so that event
// pages show each time in the viewer's zone too. Without it, pages show the event's time.
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("tz=") === 0; })[0];
  if (current !== "tz=" + encodeURIComponent(zone)) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }
})();
