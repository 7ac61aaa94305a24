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
"""Each state a control is checked in, as Chromium's forced CSS pseudo-classes."""
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"
_MARK_CONTROLS = """([selector, controls, css]) => {
  // The state's own colours, not a blend half-way through the theme's 125 ms transition.
  if (!document.getElementById("cwc-test-no-transitions")) {
    document.head.append(Object.assign(document.createElement("style"),
                                       {id: "cwc-test-no-transitions", textContent: css}));
  }
  // Only what is on screen: a guide's other steps are in the page, hidden.
  const shown = [...document.querySelectorAll(`${selector} :is(${controls})`)]
    .filter(el => el.checkVisibility());
  shown.forEach(el => el.setAttribute("data-cwc-test-control", ""));
  const rules = sheet => { try { return [...sheet.cssRules]; } catch { return []; } };
  const walk = list => list.some(r => (r.selectorText || "").includes(":active")
                                      || (r.cssRules && walk([...r.cssRules])));
  return {count: shown.length, active: [...document.styleSheets].some(s => walk(rules(s)))};
}"""


def contrast_in_every_state(page: Page, selector: str,
                            views: dict[str, Callable[[], None]] | None = None) -> list[str]:
    """axe's contrast rule with every control shown inside ``selector`` hovered, then
    focused (then pressed, if any style sheet styles ``:active``).

    Chromium only: its DevTools protocol forces the pseudo-classes on all the controls at
    once, so each state costs one axe run, not one per control.

    Args:
        page: The page (its context with ``bypass_csp=True``, for axe).
        selector: Where the controls are.
        views: Ways to show the page, each checked in every state: a name (put before
            each problem) and what switches the page to it, e.g. the two palettes. A
            state is forced once for all of them. By default the page as it is.
    """
    views = views or {"": lambda: None}
    marked = page.evaluate(_MARK_CONTROLS, [selector, CONTROLS, NO_TRANSITIONS])
    states = {k: v for k, v in CONTROL_STATES.items() if k != "pressed" or marked["active"]}
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll",
                     {"nodeId": root, "selector": "[data-cwc-test-control]"})["nodeIds"]
    assert len(nodes) == marked["count"]
    # Unmarked again, so axe's reports name the controls by their own attributes.
    page.evaluate("""() => document.querySelectorAll("[data-cwc-test-control]")
                             .forEach(el => el.removeAttribute("data-cwc-test-control"))""")
    problems = []
    try:
        for state, classes in states.items():
            for node in nodes:
                cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": classes})
            for view, show in views.items():
                show()
                where = f"{view}, {state}" if view else state
                problems += [f"{where}: {v}" for v in axe_violations(page, selector,
                                                                     rules=["color-contrast"])]
    finally:
        for node in nodes:
            cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": []})
        cdp.detach()
    return problems


def printed_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF the browser printed (ligatures such as "ﬁ" undone)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]
