/* The induction's practice questions: check each answer with the Python engine (Pyodide).
 *
 * Each question carries its guide's engine data and the answers a volunteer would give;
 * which choice is right is not in the page. On "Check my answer" the engine replays the
 * answers (cwc_engine.outcome_for): the choice naming the outcome they reach is right, a
 * choice marked data-accepted (more protective, allowed by the policy) counts as right
 * too, any other is not. The explanations of the chosen and the right action are shown.
 *
 * Nothing is kept: no cookies, no storage, and the score never enters the address (every
 * address a browser shows is written into its history). Once every question has been
 * checked, following "Continue to the acknowledgement" in the same tab hands the score
 * over in window.name ("cwc-score=N-of-M"), which lives with the tab in memory only; the
 * acknowledgement reads it and clears it at once (acknowledgement.js). A browser that
 * clears window.name between the offline copy's files (Firefox does, from file://) shows
 * blank lines instead, to fill in by hand. The link itself never carries the score.
 * Markup: build_tools/site/templates/quiz.html.j2. Plain script, no framework. */
(function () {
  "use strict";

  var TIMEOUT_MS = window.CWC_WIDGET_TIMEOUT_MS || 15000;
  // The hand-over to the acknowledgement; acknowledgement.js reads the same pattern.
  var HANDOVER = /^cwc-score=\d{1,3}-of-\d{1,3}$/;
  var FAILED_MESSAGE =
    "The practice questions could not start on this device. You can still read each " +
    "situation and work it out with the guide it comes from: the link is under each one.";

  function Quiz(section, runtime) {
    this.section = section;
    this.status = section.querySelector('[data-role="status"]');
    this.announcer = section.querySelector('[data-role="announcer"]');
    this.score = section.querySelector('[data-role="score"]');
    this.continueLink = section.querySelector('[data-role="continue"]');
    this.questions = Array.prototype.slice.call(section.querySelectorAll("[data-quiz-question]"));
    var self = this;
    runtime.then(
      function (rt) { self.start(rt); },
      function (error) { self.fail(error); }
    );
  }

  Quiz.prototype.start = function (rt) {
    this.rt = rt;
    this.section.addEventListener("click", this.onClick.bind(this));
    if (this.continueLink) {
      this.continueLink.addEventListener("click", this.handOver.bind(this));
    }
    // Back here from the acknowledgement before it could read the score: take it back.
    if (HANDOVER.test(window.name)) window.name = "";
    this.section.addEventListener("change", this.onChange.bind(this));
    this.reset();
    this.section.setAttribute("data-state", "ready");
    this.status.textContent = "";
  };

  Quiz.prototype.fail = function (error) {
    if (this.section.getAttribute("data-state") === "failed") return;
    this.section.setAttribute("data-state", "failed");
    this.status.textContent = FAILED_MESSAGE;
    this.announcer.textContent = FAILED_MESSAGE;
    // Show the way to each guide, since the answers cannot be checked here.
    this.questions.forEach(function (item) {
      var feedback = item.querySelector('[data-role="feedback"]');
      feedback.hidden = false;
      var explanations = feedback.querySelectorAll("[data-explains]");
      for (var i = 0; i < explanations.length; i++) explanations[i].hidden = true;
    });
    if (window.console) console.warn("Practice questions did not start:", error);
  };

  /* The outcome the guide reaches for this question's scenario, decided by the engine. */
  Quiz.prototype.rightOutcome = function (item) {
    var data = JSON.parse(item.querySelector('[data-role="question-data"]').textContent);
    var pyTree = this.rt.pyodide.toPy(data.tree);
    var pyAnswers = this.rt.pyodide.toPy(data.answers);
    try {
      return String(this.rt.engine.outcome_for(pyTree, pyAnswers));
    } finally {
      pyTree.destroy();
      pyAnswers.destroy();
    }
  };

  /* "Continue to the acknowledgement", followed in this tab: the score goes with the tab
   * (window.name), not in the address. A link opened in a new tab gets no score. */
  Quiz.prototype.handOver = function (event) {
    var score = this.score.getAttribute("data-score");
    if (!score || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    window.name = "cwc-score=" + score;
  };

  Quiz.prototype.onChange = function (event) {
    if (event.target.type !== "radio") return;
    var item = event.target.closest("[data-quiz-question]");
    item.querySelector('[data-role="hint"]').hidden = true;
  };

  Quiz.prototype.onClick = function (event) {
    var button = event.target.closest("button");
    if (!button || !this.section.contains(button) || button.disabled) return;
    if (this.section.getAttribute("data-state") !== "ready") return;
    var action = button.getAttribute("data-action");
    if (action === "check") this.check(button.closest("[data-quiz-question]"));
    else if (action === "retry") this.retry();
  };

  Quiz.prototype.check = function (item) {
    var chosen = item.querySelector('input[type="radio"]:checked');
    var hint = item.querySelector('[data-role="hint"]');
    if (!chosen) {
      hint.hidden = false;
      this.announcer.textContent = hint.textContent;
      return;
    }
    var right;
    try {
      right = this.rightOutcome(item);
    } catch (error) {
      this.fail(error);
      return;
    }
    var best = item.querySelector('input[data-outcome="' + CSS.escape(right) + '"]');
    var result = chosen === best ? "right" : chosen.hasAttribute("data-accepted") ? "accepted" : "wrong";
    item.setAttribute("data-result", result);
    var radios = item.querySelectorAll('input[type="radio"]');
    for (var i = 0; i < radios.length; i++) radios[i].disabled = true;
    best.closest("label").classList.add("cwc-quiz__choice--right");
    if (result === "accepted") chosen.closest("label").classList.add("cwc-quiz__choice--accepted");
    if (result === "wrong") chosen.closest("label").classList.add("cwc-quiz__choice--wrong");
    item.querySelector('[data-action="check"]').disabled = true;
    var feedback = item.querySelector('[data-role="feedback"]');
    var shown = [chosen.value, best.value];
    var explanations = feedback.querySelectorAll("[data-explains]");
    for (var j = 0; j < explanations.length; j++) {
      explanations[j].hidden = shown.indexOf(explanations[j].getAttribute("data-explains")) === -1;
    }
    var titles = feedback.querySelectorAll("[data-outcome-title]");
    for (var k = 0; k < titles.length; k++) {
      titles[k].hidden = titles[k].getAttribute("data-outcome-title") !== right;
    }
    var action = function (input) { return "“" + input.closest("label").textContent.trim() + "”"; };
    var verdict = feedback.querySelector('[data-role="verdict"]');
    verdict.textContent = result === "right"
      ? "Right: " + action(best) + "."
      : result === "accepted"
        ? "Also right: " + action(chosen) + " is more protective, and the policy allows it. " +
          "The guide's own answer is " + action(best) + "."
        : "Not quite. You chose " + action(chosen) + ". The guide's answer is " + action(best) + ".";
    verdict.setAttribute("data-result", result);
    feedback.hidden = false;
    verdict.focus();
    this.updateScore();
  };

  Quiz.prototype.retry = function () {
    this.reset();
    var first = this.questions[0] && this.questions[0].querySelector('input[type="radio"]');
    if (first) first.focus();
    this.announcer.textContent = "Your answers are cleared. Start again from the first situation.";
  };

  Quiz.prototype.reset = function () {
    this.questions.forEach(function (item) {
      item.removeAttribute("data-result");
      var radios = item.querySelectorAll('input[type="radio"]');
      for (var i = 0; i < radios.length; i++) {
        radios[i].checked = false;
        radios[i].disabled = false;
        radios[i].closest("label").classList.remove(
          "cwc-quiz__choice--right", "cwc-quiz__choice--accepted", "cwc-quiz__choice--wrong"
        );
      }
      item.querySelector('[data-action="check"]').disabled = false;
      item.querySelector('[data-role="hint"]').hidden = true;
      item.querySelector('[data-role="feedback"]').hidden = true;
    });
    this.updateScore();
  };

  Quiz.prototype.updateScore = function () {
    var total = this.questions.length;
    var checked = this.section.querySelectorAll("[data-quiz-question][data-result]").length;
    // A more protective action that the policy allows counts as right.
    var right = this.section.querySelectorAll(
      '[data-quiz-question][data-result="right"], [data-quiz-question][data-result="accepted"]'
    ).length;
    var done = total > 0 && checked === total;
    this.section.querySelector('[data-action="retry"]').disabled = checked === 0;
    this.section.setAttribute("data-checked", String(checked));
    if (done) {
      this.score.textContent = "You got " + right + " of " + total + " right." +
        (right < total ? " Read the explanations above, or try again." : " Well done.");
      this.score.setAttribute("data-score", right + "-of-" + total);
    } else {
      this.score.textContent = "You have checked " + checked + " of " + total + " answers.";
      this.score.removeAttribute("data-score");
    }
  };

  function boot() {
    var sections = document.querySelectorAll("section.cwc-quiz:not([data-bound])");
    if (!sections.length) return;
    var runtime = window.CWCRuntime
      ? window.CWCRuntime.start({ timeoutMs: TIMEOUT_MS })
      : Promise.reject(new Error("the runtime script did not load"));
    for (var i = 0; i < sections.length; i++) {
      sections[i].setAttribute("data-bound", "");
      new Quiz(sections[i], runtime);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
