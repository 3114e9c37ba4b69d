// Progressive enhancement only: every page works without this file.
// Mark that scripts run, so controls needed only without JavaScript (the filter form's
// "Apply" button) can be hidden by the stylesheet.
document.documentElement.classList.add("js");

// After a pager or sort link replaced a region, put the focus on that region, so keyboard
// and screen-reader users land on the new rows (never while typing in the search box).
document.addEventListener("htmx:afterSwap", function (event) {
  var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (trigger && trigger.tagName === "A" && event.detail.target) {
    event.detail.target.setAttribute("tabindex", "-1");
    event.detail.target.focus({ preventScroll: false });
  }
});
