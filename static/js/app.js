// Progressive enhancement only: every page works without this file.
// Mark that scripts run, so controls needed only without JavaScript (the filter form's
// "Apply" button) can be hidden by the stylesheet.
document.documentElement.classList.add("js");

// The viewer's time zone, for the server to show times (and read date filters) in it: the
// browser's IANA zone in the `tz` cookie (dashboards/time_zones.py; unknown names are UTC).
// The page in hand named the zone it used; the next request uses this one.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { return; }
  if (zone && /^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  }
})();

// After a pager or sort link replaced a region, put the focus on that region, so keyboard
// and screen-reader users land on the new rows (never while typing in the search box).
document.addEventListener("htmx:afterSwap", function (event) {
  var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (trigger && trigger.tagName === "A" && event.detail.target) {
    event.detail.target.setAttribute("tabindex", "-1");
    event.detail.target.focus({ preventScroll: false });
  }
});

// While htmx fetches a region, mark it busy: the stylesheet shows "Loading…" over it and
// assistive technology waits for the new rows.
document.addEventListener("htmx:beforeRequest", function (event) {
  var target = event.detail.target;
  if (target) {
    target.classList.add("is-loading");
    target.setAttribute("aria-busy", "true");
  }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var target = event.detail.target;
  if (target) {
    target.classList.remove("is-loading");
    target.removeAttribute("aria-busy");
  }
});

// An avatar that does not load becomes the initial on a disc, like a member without one.
document.addEventListener(
  "error",
  function (event) {
    var image = event.target;
    if (image.tagName === "IMG" && image.classList.contains("avatar")) {
      var disc = document.createElement("span");
      disc.className = "avatar avatar-blank";
      disc.setAttribute("aria-hidden", "true");
      disc.textContent = image.getAttribute("data-initial") || "?";
      image.replaceWith(disc);
    }
  },
  true
);

// A check group whose every box is unticked lists its defaults (the course roster's
// statuses: manager and joined): tick those again, so the boxes say what the rows show.
document.addEventListener("htmx:afterSwap", function () {
  document.querySelectorAll("fieldset").forEach(function (group) {
    var defaults = group.querySelectorAll("input[type=checkbox][data-default]");
    if (defaults.length && !group.querySelector("input[type=checkbox]:checked")) {
      defaults.forEach(function (box) { box.checked = true; });
    }
  });
});

// Last seen: a quick choice and the dates exclude each other (the choice wins on the
// server); picking one clears the other, so the form says what the rows show.
document.addEventListener("change", function (event) {
  var field = event.target;
  var form = field.form;
  if (!form) return;
  if (field.name === "lastSeen" && field.value) {
    ["lastSeenFrom", "lastSeenTo"].forEach(function (name) {
      if (form.elements[name]) form.elements[name].value = "";
    });
  } else if ((field.name === "lastSeenFrom" || field.name === "lastSeenTo") && form.elements.lastSeen) {
    form.elements.lastSeen.value = "";
  }
}, true);

// Exact times: the relative times keep their exact value in a tooltip, which neither a
// keyboard nor a touch screen reaches; this button writes them out beside every time.
(function () {
  var KEY = "dashboards.exactTimes";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("show-exact-times", on);
    document.querySelectorAll("[data-exact-times]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  var stored = false;
  try { stored = window.localStorage.getItem(KEY) === "1"; } catch (error) { /* private mode */ }
  document.addEventListener("DOMContentLoaded", function () { apply(stored); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-exact-times]");
    if (!button) return;
    var on = !root.classList.contains("show-exact-times");
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (error) { /* private mode */ }
    apply(on);
  });
})();
