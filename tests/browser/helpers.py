"""Helpers for the browser tests: the widget's markup, the manifest, the pages, printed PDFs."""

from __future__ import annotations

import io
import json
import unicodedata
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
_RUN_AXE = """async ([selector, tags]) => {
  const result = await axe.run(document.querySelector(selector),
    {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id}: ${v.help} — ` +
    v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


def axe_violations(page: Page, selector: str) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations inside ``selector`` (axe is injected once).

    The page's context needs ``bypass_csp=True``: the site's policy refuses the script.
    """
    from build_tools.setup.fetch import AXE_CORE, ensure_package

    if not page.evaluate("typeof window.axe === 'object'"):
        source = ensure_package(AXE_CORE, quiet=True) / "package" / "axe.min.js"
        page.add_script_tag(content=source.read_text("utf-8"))
    return page.evaluate(_RUN_AXE, [selector, WCAG_TAGS])


def printed_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF the browser printed (ligatures such as "ﬁ" undone)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]
