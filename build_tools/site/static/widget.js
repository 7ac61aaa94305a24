/* Decision-tree widgets: pass clicks to the Python engine (running in Pyodide) and show
 * what it returns. The engine decides every step; this file only reads and writes the DOM.
 * Markup contract: README.md, "The widget's markup". Plain script, no framework.
 *
 * The answers live in this page's memory only: walking a guide never changes the address,
 * because every address a browser shows is written into its history (replaceState too).
 * A link that restores the answers is made only on request ("Link to this result"); when
 * such a link is opened, the guide restores it and clears it from the location bar. */
(function () {
  "use strict";

  // How long the engine may take to start before the widget gives up and shows the text
  // version. Tests shorten it with window.CWC_WIDGET_TIMEOUT_MS.
  var TIMEOUT_MS = window.CWC_WIDGET_TIMEOUT_MS || 15000;
  var FAILED_MESSAGE =
    "The interactive guide could not start on this device. The text version below has " +
    "every question and every outcome.";
  var STALE_LINK_MESSAGE =
    "Some answers in the link you followed no longer fit this guide. " +
    "It starts again from the last question that still applies.";
  var COPIED_MESSAGE = "Link copied. Paste it where you need it.";
  var COPY_BY_HAND_MESSAGE =
    "The link is selected in the box: copy it with Ctrl+C (Command+C on a Mac).";

  function toJs(proxy) {
    // Python dicts arrive as Map by default; the widget wants plain objects.
    var value = proxy.toJs({ dict_converter: Object.fromEntries });
    proxy.destroy();
    return value;
  }

  function Widget(section, runtime) {
    this.section = section;
    this.treeId = section.getAttribute("data-tree");
    this.status = section.querySelector('[data-role="status"]');
    this.announcer = section.querySelector('[data-role="announcer"]');
    this.answersPanel = section.querySelector('[data-role="answers-panel"]');
    this.answersList = section.querySelector('[data-role="answers"]');
    this.linkPanel = section.querySelector('[data-role="link-panel"]');
    this.engine = null;
    var self = this;
    runtime.then(
      function (rt) { self.start(rt); },
      function (error) { self.fail(error); }
    );
  }

  Widget.prototype.start = function (rt) {
    var dataNode = this.section.querySelector('[data-role="tree-data"]');
    var data = rt.pyodide.toPy(JSON.parse(dataNode.textContent));
    try {
      this.engine = rt.engine.Engine(data);
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      data.destroy();
    }
    this.module = rt.engine;
    this.section.addEventListener("click", this.onClick.bind(this));
    window.addEventListener("hashchange", this.onHashChange.bind(this));
    // Leaving the page (also into the back-forward cache): no link is left in a field.
    window.addEventListener("pagehide", this.hideLink.bind(this));
    this.section.setAttribute("data-state", "ready");
    // A busy machine delivers clicks late: one made while the buttons were still disabled
    // can reach them after this moment. Its timeStamp says when it was made (onClick).
    this.readyAt = performance.now();
    this.status.textContent = "";
    this.showRestored(this.restoreFromHash(), false);
  };

  Widget.prototype.showRestored = function (state, moveFocus) {
    this.show(state, moveFocus);
    if (state.dropped && state.dropped.length) {
      this.status.textContent = STALE_LINK_MESSAGE;
      this.announcer.textContent = STALE_LINK_MESSAGE;
    }
  };

  Widget.prototype.fail = function (error) {
    if (this.section.getAttribute("data-state") === "failed") return;
    this.section.setAttribute("data-state", "failed");
    this.section.querySelector('[data-role="steps"]').hidden = true;
    this.answersPanel.hidden = true;
    this.status.textContent = FAILED_MESSAGE;
    this.announcer.textContent = FAILED_MESSAGE;
    this.section.querySelector('[data-role="outline"]').open = true;
    if (window.console) console.warn("Decision guide '" + this.treeId + "' did not start:", error);
  };

  /* A link made by "Link to this result" carries the answers in its fragment
   * (#tree-id=Yes/No, also from file://). Only a fragment for this guide is read. */
  Widget.prototype.linkedAnswers = function () {
    var hash = window.location.hash;
    if (hash.indexOf("=") === -1) return null;  // an ordinary anchor, not a guide's link
    var parsed = toJs(this.module.from_fragment(hash));
    return parsed[0] === this.treeId ? parsed[1] : null;
  };

  Widget.prototype.restoreFromHash = function () {
    var answers = this.linkedAnswers();
    if (answers === null) return toJs(this.engine.restart());
    // The link has done its work: the location bar goes back to the bare page, so the
    // answers stay on screen but nowhere else (the link itself is what the person opened).
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    return answers.length ? toJs(this.engine.restore(answers)) : toJs(this.engine.restart());
  };

  Widget.prototype.onHashChange = function () {
    // A link for this guide pasted into the location bar while the page is open.
    if (this.linkedAnswers() === null) return;
    this.showRestored(this.restoreFromHash(), true);
  };

  /* The address that restores these answers: made only when asked for, never shown in
   * the location bar. */
  Widget.prototype.linkFor = function (state) {
    var labels = state.answers.map(function (a) { return a.label; });
    return window.location.href.split("#")[0] + "#" + this.module.to_fragment(this.treeId, labels);
  };

  /* "Link to this result": show the address in a read-only field and copy it when the
   * browser allows; otherwise leave it selected, to copy by hand. */
  Widget.prototype.showLink = function () {
    var panel = this.linkPanel;
    var field = panel.querySelector('[data-role="link-field"]');
    var status = panel.querySelector('[data-role="link-status"]');
    var announcer = this.announcer;
    field.value = this.linkFor(toJs(this.engine.state()));
    status.textContent = "";
    panel.querySelector('[data-role="link-offline"]').hidden = window.location.protocol !== "file:";
    panel.hidden = false;
    var report = function (copied) {
      if (panel.hidden) return;  // the answers changed while the browser was copying
      if (!copied) {
        field.focus();
        field.select();
      }
      status.textContent = copied ? COPIED_MESSAGE : COPY_BY_HAND_MESSAGE;
      announcer.textContent = status.textContent;
    };
    var byHand = function () {
      // The older way, which works from file:// too: copy the selected text of the field.
      field.focus();
      field.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      report(copied);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { report(true); }, byHand);
    } else {
      byHand();
    }
  };

  /* The link is for this result only: any change of step takes it away. */
  Widget.prototype.hideLink = function () {
    if (!this.linkPanel) return;
    this.linkPanel.hidden = true;
    this.linkPanel.querySelector('[data-role="link-field"]').value = "";
    this.linkPanel.querySelector('[data-role="link-status"]').textContent = "";
  };

  Widget.prototype.onClick = function (event) {
    // The second click of a double-click would land on whatever the first one put under
    // the pointer (the next question's answers, after Back): one click, one step.
    if (event.detail > 1) return;
    if (event.timeStamp < this.readyAt) return;
    var button = event.target.closest("button");
    if (!button || !this.section.contains(button) || button.disabled) return;
    if (this.section.getAttribute("data-state") !== "ready") return;
    var action = button.getAttribute("data-action");
    var state;
    this.status.textContent = "";
    if (button.hasAttribute("data-label")) {
      state = toJs(this.engine.choose(button.getAttribute("data-label")));
    } else if (action === "back") {
      state = toJs(this.engine.back());
    } else if (action === "restart") {
      state = toJs(this.engine.restart());
    } else if (action === "print") {
      this.printResult();
      return;
    } else if (action === "link") {
      this.showLink();
      return;
    } else if (action === "change") {
      state = toJs(this.engine.change(Number(button.getAttribute("data-index"))));
    } else {
      return;
    }
    this.show(state, true);
  };

  Widget.prototype.stepFor = function (state) {
    var attr = state.kind === "outcome" ? "data-outcome" : "data-question";
    return this.section.querySelector(
      '[data-role="steps"] > [' + attr + '="' + CSS.escape(state.node) + '"]'
    );
  };

  Widget.prototype.questionText = function (questionId) {
    var step = this.section.querySelector(
      '[data-question="' + CSS.escape(questionId) + '"] .decision-tree__heading'
    );
    return step ? step.textContent : questionId;
  };

  Widget.prototype.renderAnswers = function (answers) {
    var list = this.answersList;
    list.textContent = "";
    for (var i = 0; i < answers.length; i++) {
      var item = document.createElement("li");
      var question = document.createElement("span");
      question.className = "decision-tree__answer-question";
      question.textContent = this.questionText(answers[i].question);
      var label = document.createElement("strong");
      label.className = "decision-tree__answer-label";
      label.textContent = answers[i].label;
      var change = document.createElement("button");
      change.type = "button";
      change.className = "decision-tree__change";
      change.setAttribute("data-action", "change");
      change.setAttribute("data-index", String(i));
      change.textContent = "Change";
      var hidden = document.createElement("span");
      hidden.className = "decision-tree__vh";
      hidden.textContent = " your answer to: " + question.textContent;
      change.appendChild(hidden);
      item.append(question, " ", label, " ", change);
      list.appendChild(item);
    }
    this.answersPanel.hidden = answers.length === 0;
  };

  Widget.prototype.show = function (state, moveFocus) {
    var steps = this.section.querySelectorAll('[data-role="steps"] > [data-question], [data-role="steps"] > [data-outcome]');
    var current = this.stepFor(state);
    for (var i = 0; i < steps.length; i++) steps[i].hidden = steps[i] !== current;
    var buttons = current.querySelectorAll("button[data-label]");
    for (var j = 0; j < buttons.length; j++) buttons[j].disabled = false;
    this.renderAnswers(state.answers);
    this.section.querySelector('[data-action="back"]').disabled = !state.can_go_back;
    this.section.querySelector('[data-action="restart"]').disabled = state.answers.length === 0;
    this.hideLink();
    if (moveFocus) {
      var heading = current.querySelector(".decision-tree__heading");
      heading.focus();
      var urgency = current.querySelector('[data-role="urgency"] strong');
      var prefix = state.kind === "outcome"
        ? "Outcome" + (urgency ? " (" + urgency.textContent.replace(/\.$/, "") + ")" : "") + ": "
        : "Question: ";
      this.announcer.textContent = prefix + heading.textContent;
    }
  };

  /* "Print this result": a record of this guide's title, the answers given, the outcome
   * (how soon, what to do, whom to tell, good practice, the cited clauses), the date and
   * the policy version, and nothing else. */
  Widget.prototype.printResult = function () {
    var state = toJs(this.engine.state());
    var step = this.stepFor(state);
    var stamp = document.querySelector(".cwc-stamp");
    var record = document.createElement("div");
    record.className = "cwc-print-record md-typeset";
    record.setAttribute("data-role", "print-record");
    var add = function (tag, text, parent) {
      var el = document.createElement(tag);
      if (text) el.textContent = text;
      (parent || record).appendChild(el);
      return el;
    };
    var organisation = stamp ? stamp.getAttribute("data-organisation") : "";
    add("p", (organisation ? organisation + ": " : "") + "a record of a guide");
    add("h1", this.section.getAttribute("data-title"));
    add("h2", "Answers given");
    var list = add("ol");
    for (var i = 0; i < state.answers.length; i++) {
      var item = add("li", this.questionText(state.answers[i].question) + " ", list);
      add("strong", state.answers[i].label, item);
    }
    add("h2", "Outcome: " + step.querySelector(".decision-tree__heading").textContent);
    [".decision-tree__urgency", ".decision-tree__body", ".decision-tree__contacts",
      '[data-role="practice"]'].forEach(function (selector) {
      var part = step.querySelector(selector);
      if (part) record.appendChild(part.cloneNode(true));
    });
    add("h2", "What the policy says");
    var cites = add("ul");
    step.querySelectorAll(".decision-tree__cites a").forEach(function (link) {
      add("li", link.textContent, cites);
    });
    var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    var version = stamp ? stamp.getAttribute("data-policy") + ", " + stamp.getAttribute("data-approval") + "." : "";
    add("p", "Printed on " + today + ". " + version);
    // Every printed page names the record at the top and gives the policy's version, the
    // date and "Page N of M" at the foot (CSS margin boxes, as build_tools/site/paper.py
    // writes them for the board pack; a browser without them just leaves them out).
    var cssString = function (text) {
      return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\s+/g, " ") + '"';
    };
    var margins = document.createElement("style");
    margins.setAttribute("data-role", "print-margins");
    margins.textContent = "@media print { @page { " +
      "@top-left { content: " + cssString((organisation ? organisation + " · " : "") + "A record of a guide") + "; } " +
      "@bottom-left { content: " + cssString((version ? version + " " : "") + "Printed on " + today + ".") + "; } " +
      '@bottom-right { content: "Page " counter(page) " of " counter(pages); } } }';
    document.querySelectorAll('[data-role="print-record"], [data-role="print-margins"]').forEach(function (old) { old.remove(); });
    document.head.appendChild(margins);
    document.body.appendChild(record);
    document.body.classList.add("cwc-printing-result");
    window.addEventListener("afterprint", function done() {
      window.removeEventListener("afterprint", done);
      document.body.classList.remove("cwc-printing-result");
      record.remove();
      margins.remove();
    });
    window.print();
  };

  function boot() {
    var sections = document.querySelectorAll("section.decision-tree:not([data-bound])");
    if (!sections.length) return;
    var runtime = window.CWCRuntime
      ? window.CWCRuntime.start({ timeoutMs: TIMEOUT_MS })
      : Promise.reject(new Error("the runtime script did not load"));
    for (var i = 0; i < sections.length; i++) {
      sections[i].setAttribute("data-bound", "");
      new Widget(sections[i], runtime);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
