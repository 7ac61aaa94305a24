"""The coverage page for trustees: every clause of the policy and the outcomes that cite it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_tools.site import dom
from build_tools.site.anchors import Clause
from build_tools.site.markdown import escape_raw_html
from build_tools.site.urls import relative_md
from build_tools.trees.model import Tree


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_page(
    clauses: Sequence[Clause], trees: Sequence[Tree], tree_pages: Mapping[str, str],
    src: str = "coverage.md", note: str = "",
) -> str:
    """The Markdown of the coverage page (it lives at ``src``); ``note`` follows the count."""
    citing: dict[str, list[str]] = {c.ref: [] for c in clauses}
    for tree in trees:
        for oid, outcome in tree.outcomes.items():
            link = relative_md(f"{tree_pages[tree.id]}#{dom.outline_outcome(tree.id, oid)}", src)
            for ref in outcome.cites:
                citing.setdefault(ref, []).append(
                    f"[{escape_raw_html(tree.title)}: {escape_raw_html(outcome.title)}]({link})"
                )
    uncited = [c for c in clauses if not citing[c.ref]]
    out = [
        "# Clause coverage",
        "",
        "For trustees: every clause of the policy, and the outcomes of the guides that rest "
        "on it. The build computes this page from the guides' citations, so it is always "
        "up to date.",
        "",
        f"**{len(clauses) - len(uncited)} of {len(clauses)} clauses** are cited by at least "
        "one guide.",
        "",
        *([note, ""] if note else []),
    ]
    page_title = None
    for clause in clauses:
        if clause.page_title != page_title:
            page_title = clause.page_title
            out += ["", f"## {page_title}", "", "| Clause | Cited by |", "| --- | --- |"]
        link = f"[{_cell(clause.title)}]({relative_md(clause.ref, src)})"
        cell = "<br>".join(_cell(c) for c in citing[clause.ref]) or "**Not cited by any guide**"
        out.append(f"| {link} | {cell} |")
    if uncited:
        out += ["", "## Not cited by any guide {#uncited}", ""]
        out += [f"- [{_cell(c.title)}]({relative_md(c.ref, src)})" for c in uncited]
    return "\n".join(out) + "\n"
