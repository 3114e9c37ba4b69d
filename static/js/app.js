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

// The selection of a member listing (partials/selection.html): rows ticked by id, or every
// row matching the filters. Kept here, outside the region, so it survives the region's swaps
// (sorting, paging) while the filters stay the same, and is cleared when they change.
(function () {
  var state = { key: null, ids: [], all: false };
  // A parameter value may hold 300 characters (dashboards/middleware.py): ids go in chunks.
  var CHUNK = 280;

  function bar() { return document.querySelector("#listing .selection-bar"); }
  function rowBoxes() { return Array.prototype.slice.call(document.querySelectorAll("#listing .row-select")); }
  function words(template, count) { return template.replace("__N__", count.toLocaleString()); }
  function has(id) { return state.ids.indexOf(id) !== -1; }

  function withSelection(href) {
    var url = new URL(href, window.location.href);
    url.searchParams.delete("selected");
    if (!state.all) {
      var chunk = "";
      state.ids.forEach(function (id) {
        if (chunk && chunk.length + id.length + 1 > CHUNK) {
          url.searchParams.append("selected", chunk);
          chunk = "";
        }
        chunk = chunk ? chunk + "," + id : id;
      });
      if (chunk) url.searchParams.append("selected", chunk);
    }
    return url.pathname + url.search;
  }

  function render() {
    var region = bar();
    if (!region) return;
    var boxes = rowBoxes();
    boxes.forEach(function (box) { box.checked = state.all || has(box.value); });
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    var pageBox = document.querySelector("#listing .page-select");
    if (pageBox) {
      pageBox.checked = boxes.length > 0 && ticked === boxes.length;
      pageBox.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    var count = Number(region.getAttribute("data-count"));
    var selected = state.all ? count : state.ids.length;
    region.hidden = selected === 0;
    var label = state.all
      ? region.getAttribute("data-selected-all")
      : words(region.getAttribute(selected === 1 ? "data-selected-one" : "data-selected-many"), selected);
    region.querySelector("[data-selection-count]").textContent = label;
    region.querySelector("[data-select-all]").hidden =
      state.all || !boxes.length || ticked < boxes.length || count <= boxes.length;
    var tooMany = !state.all && selected > Number(region.getAttribute("data-max"));
    region.querySelectorAll("[data-selection-export]").forEach(function (link) {
      link.setAttribute("href", withSelection(link.getAttribute("data-export-url")));
      link.hidden = tooMany || (state.all && link.hasAttribute("data-ids-only"));
    });
    var message = region.querySelector("[data-selection-message]");
    if (tooMany) message.textContent = region.getAttribute("data-too-many");
    else if (message.textContent === region.getAttribute("data-too-many")) message.textContent = "";
  }

  function sync() {
    var region = bar();
    if (!region) return;
    var key = region.getAttribute("data-selection-key");
    if (key !== state.key) state = { key: key, ids: [], all: false };
    render();
  }

  function toggle(id, on) {
    if (on && !has(id)) state.ids.push(id);
    if (!on) state.ids = state.ids.filter(function (other) { return other !== id; });
  }

  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSettle", sync);

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList) return;
    if (box.classList.contains("row-select")) {
      if (state.all) {
        // Leaving "all matching": keep the rows ticked on this page.
        state.all = false;
        state.ids = rowBoxes().filter(function (other) { return other.checked; })
          .map(function (other) { return other.value; });
      }
      toggle(box.value, box.checked);
      render();
    } else if (box.classList.contains("page-select")) {
      if (!box.checked) state.all = false;
      rowBoxes().forEach(function (row) { toggle(row.value, box.checked); });
      render();
    }
  });

  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("[data-select-all], [data-clear-selection], [data-copy-emails]");
    if (!control || !bar() || !bar().contains(control)) return;
    if (control.hasAttribute("data-select-all")) {
      state.all = true;
      state.ids = [];
      render();
    } else if (control.hasAttribute("data-clear-selection")) {
      state.all = false;
      state.ids = [];
      render();
      var first = document.querySelector("#listing .page-select");
      if (first) first.focus();
    } else {
      copyEmails(control);
    }
  });

  function copyEmails(button) {
    var region = bar();
    var message = region.querySelector("[data-selection-message]");
    message.textContent = "";
    var text = fetch(withSelection(button.getAttribute("data-url")), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      });
    var written;
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      // The promise keeps the click's permission while the emails arrive.
      written = navigator.clipboard.write([new ClipboardItem({
        "text/plain": text.then(function (value) { return new Blob([value], { type: "text/plain" }); })
      })]);
    } else {
      written = text.then(function (value) { return navigator.clipboard.writeText(value); });
    }
    Promise.all([text, written]).then(function (results) {
      var count = results[0].split("\n").filter(function (line) { return line; }).length;
      message.textContent = words(region.getAttribute(count === 1 ? "data-copied-one" : "data-copied-many"), count);
    }).catch(function () {
      message.textContent = region.getAttribute("data-copy-failed");
    });
  }
})();
