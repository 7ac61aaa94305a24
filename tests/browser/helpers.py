"""Helpers for the browser tests: the widget's markup, the manifest, the pages, printed PDFs."""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

READY = 30_000  # ms; generous for a loaded 2-core CI machine (the target is ~1 s)


def load_manifest(site: Path) -> dict[str, dict]:
    """decision-trees.json, by tree id."""
    data = json.loads((site / "decision-trees.json").read_text(encoding="utf-8"))
    return {tree["id"]: tree for tree in data["trees"]}


def widget(page: Page, tree_id: str) -> Locator:
    """The widget of one tree on the page."""
    return page.locator(f'section.decision-tree[data-tree="{tree_id}"]')


def current_step(section: Locator) -> Locator:
    """The one visible step of a widget."""
    return section.locator("[data-role=steps] > :is([data-question], [data-outcome]):visible")


def choose(section: Locator, label: str) -> None:
    """Click the option with this label in the current question."""
    current_step(section).get_by_role("button", name=label, exact=True).click()


def expect_outcome(section: Locator, outcome_id: str, title: str) -> None:
    """The widget shows this outcome, and only it."""
    step = current_step(section)
    expect(step).to_have_count(1)
    expect(step).to_have_attribute("data-outcome", outcome_id)
    expect(step.locator(".decision-tree__heading")).to_have_text(title)


def outside_site(url: str, root: str) -> bool:
    """True when a request goes anywhere but the site itself."""
    return not (url.startswith(root) or url.startswith(("data:", "blob:", "about:")))


def is_inside(url: str, root: str) -> bool:
    """True when ``url`` belongs to the site at ``root`` (or is inline data)."""
    return url.startswith(root) or url.startswith(("data:", "blob:", "about:"))


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to the site folder."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BEST_PRACTICE = ["best-practice"]
"""axe's best-practice rules: heading order, landmarks, one h1 per page, content in regions…"""
_RUN_AXE = """async ([selector, tags, rules, skip]) => {
  const result = await axe.run(selector ? document.querySelector(selector) : document,
    {runOnly: rules ? {type: "rule", values: rules} : {type: "tag", values: tags},
     rules: Object.fromEntries(skip.map(id => [id, {enabled: false}])),
     resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\\n    ` +
    v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " "))
      .join("\\n    "));
}"""


def axe_violations(page: Page, selector: str | None = None, *,
                   tags: list[str] = WCAG_TAGS, rules: list[str] | None = None,
                   skip: list[str] = ()) -> list[str]:
    """axe-core's violations inside ``selector`` (the whole page by default).

    Args:
        page: A page whose context has ``bypass_csp=True`` (the site's policy rightly
            refuses the injected script). axe is injected once per page load.
        selector: Where to look; page-wide rules (one h1, landmarks) need the whole page.
        tags: The rule sets to run (WCAG 2.x A/AA by default).
        rules: Run just these rules instead (e.g. ``["color-contrast"]``).
        skip: Rules of ``tags`` not to run this time (checked in another run).
    """
    from build_tools.setup.fetch import AXE_CORE, ensure_package

    if not page.evaluate("typeof window.axe === 'object'"):
        source = ensure_package(AXE_CORE, quiet=True) / "package" / "axe.min.js"
        page.add_script_tag(content=source.read_text("utf-8"))
    return page.evaluate(_RUN_AXE, [selector, tags, rules, list(skip)])


CONTROLS = "button:not([disabled]), a, summary, input:not([disabled])"
"""What a person hovers, focuses and presses."""
CONTROL_STATES = {
    "hovered": ["hover"],
    "focused": ["focus", "focus-visible"],
    "pressed": ["hover", "focus", "active"],
}
"""Each state a control is checked in, as the CSS pseudo-classes it then matches."""
STATE_ATTRIBUTE = "data-cwc-test-state"
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
# Make every style rule that names :hover, :focus, :focus-visible or :active apply to the
# controls shown inside `selector` too when they carry the state as an attribute: a copy
# of the rule, the pseudo-class written as `[data-cwc-test-state~=…]` (the same
# specificity), right after the original in the same sheet and the same @media, @supports
# or @layer block, so it wins or loses the cascade as the original does. So one page
# evaluation puts every control in a state, as the browser's own hover or focus would
# style it (what Chromium's DevTools do with CSS.forcePseudoState, one call per control).
# The style sheets it cannot read, and any rule it cannot copy, are returned: each
# would be a gap in the check.
_FORCEABLE_STATES = """([selector, controls, css, attribute]) => {
  if (!document.getElementById("cwc-test-no-transitions")) {
    // The state's own colours, not a blend half-way through the theme's 125 ms transition.
    document.head.append(Object.assign(document.createElement("style"),
                                       {id: "cwc-test-no-transitions", textContent: css}));
  }
  const state = /:(hover|focus-visible|focus|active)(?![-\\w(])/g;
  const unreadable = [];
  let active = false;
  const copyRules = list => {
    for (let i = 0; i < list.cssRules.length; i++) {
      const rule = list.cssRules[i];
      if (rule instanceof CSSStyleRule && rule.selectorText.match(state)) {
        let changed = false;
        const selector = rule.selectorText.replace(state, (match, name, at, text) => {
          // After a pseudo-element (`::-webkit-scrollbar-thumb:hover`) the state is the
          // pseudo-element's own (the scrollbar's), not the control's: left as it is.
          const compound = text.slice(0, at).split(/[\\s>+~,(]/).pop();
          if (compound.includes("::")) return match;
          changed = true;
          if (name === "active") active = true;
          return `[${attribute}~="${name}"]`;
        });
        if (!changed) continue;
        try {
          list.insertRule(selector + rule.cssText.slice(rule.selectorText.length), i + 1);
        } catch (error) {
          unreadable.push(`${rule.selectorText}: ${error.message}`);
          continue;
        }
        i += 1;
      } else if (rule instanceof CSSImportRule && rule.styleSheet) {
        copyRules(rule.styleSheet);
      } else if (rule.cssRules && !(rule instanceof CSSStyleRule)) {
        copyRules(rule);  // @media, @supports, @layer, @container
      }
    }
  };
  if (!document.documentElement.hasAttribute("data-cwc-test-states")) {
    for (const sheet of document.styleSheets) {
      try { sheet.cssRules; } catch { unreadable.push(sheet.href); continue; }
      copyRules(sheet);
    }
    document.documentElement.setAttribute("data-cwc-test-states", String(active));
  }
  // Only what is on screen: a guide's other steps are in the page, hidden.
  const shown = [...document.querySelectorAll(`${selector} :is(${controls})`)]
    .filter(el => el.checkVisibility());
  return {count: shown.length, unreadable,
          active: document.documentElement.getAttribute("data-cwc-test-states") === "true"};
}"""
_SET_STATE = """([selector, controls, attribute, classes]) => {
  const shown = [...document.querySelectorAll(`${selector} :is(${controls})`)]
    .filter(el => el.checkVisibility() || el.hasAttribute(attribute));
  for (const el of shown) {
    if (classes.length) el.setAttribute(attribute, classes.join(" "));
    else el.removeAttribute(attribute);
  }
  return shown.length;
}"""


def contrast_in_every_state(page: Page, selector: str,
                            views: dict[str, Callable[[], None]] | None = None) -> list[str]:
    """axe's contrast rule with every control shown inside ``selector`` hovered, then
    focused (then pressed, if any style sheet styles ``:active``).

    The states are put on all the controls at once through copies of the style rules
    that name them (``_FORCEABLE_STATES``), so each state costs one page evaluation and
    one axe run per view, in any engine.

    Args:
        page: The page (its context with ``bypass_csp=True``, for axe), opened over
            http: a page from file:// cannot read its own style sheets.
        selector: Where the controls are.
        views: Ways to show the page, each checked in every state: a name (put before
            each problem) and what switches the page to it, e.g. the two palettes. A
            state is put on once for all of them. By default the page as it is.
    """
    views = views or {"": lambda: None}
    found = page.evaluate(_FORCEABLE_STATES, [selector, CONTROLS, NO_TRANSITIONS,
                                              STATE_ATTRIBUTE])
    assert found["unreadable"] == [], f"style the check cannot put states on: {found['unreadable']}"
    states = {k: v for k, v in CONTROL_STATES.items() if k != "pressed" or found["active"]}
    problems = []
    try:
        for state, classes in states.items():
            marked = page.evaluate(_SET_STATE, [selector, CONTROLS, STATE_ATTRIBUTE, classes])
            assert marked == found["count"], f"{state}: {marked} controls, not {found['count']}"
            for view, show in views.items():
                show()
                where = f"{view}, {state}" if view else state
                problems += [f"{where}: {v}" for v in axe_violations(page, selector,
                                                                     rules=["color-contrast"])]
    finally:
        page.evaluate(_SET_STATE, [selector, CONTROLS, STATE_ATTRIBUTE, []])
    return problems


def printed_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF the browser printed (ligatures such as "ﬁ" undone)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]
