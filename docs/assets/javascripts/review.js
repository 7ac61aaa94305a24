/* The review banner: when the policy's next review date (in the document-control stamp)
 * has passed at the moment someone reads the page, say so calmly at the top. Computed in
 * the browser, so an old offline copy warns too. */
(function () {
  "use strict";

  function localToday() {
    var now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), now.getDate());
  }

  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  }

  function longDate(date) {
    return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }

  function showBanner() {
    var stamp = document.querySelector(".cwc-stamp[data-next-review]");
    var banner = document.querySelector('[data-role="review-banner"]');
    if (!stamp || !banner) return;
    var due = parseDate(stamp.getAttribute("data-next-review"));
    if (!due) return;
    // Overdue means the review date is over: on the date itself the copy is still current.
    var overdue = localToday() > due;
    banner.hidden = !overdue;
    if (overdue) {
      banner.querySelector('[data-role="review-date"]').textContent = longDate(due);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showBanner);
  } else {
    showBanner();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(showBanner);
  }
})();
