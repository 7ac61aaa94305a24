/* Accessibility fixes to the theme's own markup, made in the page because the fix in a
 * template would mean forking it (checked by tests/browser/test_a11y.py, axe's
 * best-practice rules). */
(function () {
  "use strict";
  // The search is a dialog with no name (axe: aria-dialog-name); name it like its box.
  var search = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  if (search) {
    var input = search.querySelector(".md-search__input");
    search.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }
})();
