/* The induction's acknowledgement: fill in the practice score and today's date.
 *
 * The score arrives with the tab, not in the address: "Continue to the acknowledgement"
 * on the practice page puts "cwc-score=N-of-M" in window.name (quiz.js), which this page
 * reads and clears at once. A link made by hand may still carry it (#score=N-of-M); the
 * address is then cleared from the location bar. Nothing is read from or written to any
 * storage, and the fields are never sent anywhere: they exist to be printed.
 * Markup: build_tools/templates/acknowledgement.html.j2. Plain script, no framework. */
(function () {
  "use strict";

  var HANDOVER = /^cwc-score=(\d{1,3})-of-(\d{1,3})$/;
  var LINK = /^#score=(\d{1,3})-of-(\d{1,3})$/;

  /* The score handed over (window.name) or in a link (#score=), each used once and cleared:
   * undefined when neither carries one, null when one does but it makes no sense. */
  function takeScore() {
    var match = HANDOVER.exec(window.name);
    if (match) {
      window.name = "";
    } else if (window.location.hash.indexOf("#score=") === 0) {
      match = LINK.exec(window.location.hash);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
      if (!match) return null;
    } else {
      return undefined;
    }
    var right = Number(match[1]);
    var total = Number(match[2]);
    return total > 0 && right <= total ? { right: right, total: total } : null;
  }

  function showScore(section) {
    var slot = section.querySelector('[data-role="score"]');
    if (!slot.hasAttribute("data-blank")) slot.setAttribute("data-blank", slot.innerHTML);
    var score = takeScore();
    if (score === undefined && slot.hasAttribute("data-score")) return;  // keep what came
    if (score) {
      slot.textContent = score.right + " right out of " + score.total;
      slot.setAttribute("data-score", score.right + "-of-" + score.total);
    } else {
      // No score came (or a made-up one): blank lines, to fill in on paper.
      slot.innerHTML = slot.getAttribute("data-blank");
      slot.removeAttribute("data-score");
    }
  }

  function today() {
    return new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }

  function boot() {
    var section = document.querySelector("section.cwc-ack:not([data-bound])");
    if (!section) return;
    section.setAttribute("data-bound", "");
    showScore(section);
    window.addEventListener("hashchange", function () { showScore(section); });
    var date = section.querySelector('[data-role="date"]');
    if (date && !date.value) date.value = today();
    // A focused field would print with its focus style and caret.
    window.addEventListener("beforeprint", function () {
      if (section.contains(document.activeElement)) document.activeElement.blur();
    });
    var print = section.querySelector('[data-action="print"]');
    if (print && typeof window.print === "function") {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
