"""Where trees go on pages, and the pages generated from them (no site-generator imports).

- the page marker: a line ``<!-- decision-tree: TREE-ID -->`` embeds a tree;
- a generated page for a tree that no page embeds;
- a "Not sure what to do?" note for each policy page, linking the guides that cite it;
- the coverage page: every clause with the outcomes that cite it;
- the manifest entry for ``decision-trees.json``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from build_tools.site.clauses import Clause
from build_tools.site.widget import escape_raw_html, page_url_of

MARKER = re.compile(r"^ {0,3}<!--[ \t]*decision-tree:[ \t]*(?P<id>\S+?)[ \t]*-->[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
SLOT = '<div class="decision-tree-slot" data-tree-slot="{id}"></div>'
SLOT_HTML = re.compile(r'<div class="decision-tree-slot" data-tree-slot="(?P<id>[^"]+)"></div>')


@dataclass(frozen=True)
class Marker:
    """A page marker: which tree, and where it was written."""

    tree_id: str
    line: int


def scan_markers(markdown: str, pattern: re.Pattern[str]) -> list[tuple[int, re.Match[str]]]:
    """(line index, match) of each line matching ``pattern`` outside fenced code.

    Markers shown as examples in a code block stay examples.
    """
    found = []
    fence = None
    for index, line in enumerate(markdown.split("\n")):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * 3
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
        elif match := pattern.match(line):
            found.append((index, match))
    return found


def _marker_lines(markdown: str) -> list[tuple[int, str]]:
    """(index, tree id) of each decision-tree marker line outside fenced code."""
    return [(index, match.group("id")) for index, match in scan_markers(markdown, MARKER)]


def find_markers(markdown: str) -> list[Marker]:
    """Every page marker in a Markdown text, with its line number (1-based)."""
    return [Marker(tree_id, index + 1) for index, tree_id in _marker_lines(markdown)]


def replace_markers(markdown: str) -> str:
    """Turn each marker into a slot that Markdown passes through untouched."""
    lines = markdown.split("\n")
    for index, tree_id in _marker_lines(markdown):
        lines[index] = "\n" + SLOT.format(id=tree_id) + "\n"
    return "\n".join(lines)


_MD_LINK = re.compile(r"(\]\()([^)\s#:?]+\.md)((?:#[^)\s]*)?\))")


def generated_page(tree: Any, src: str) -> str:
    """The Markdown of a page for a tree that no page embeds: title, summary, the widget.

    Links in the summary are written relative to the docs folder; they are made relative
    to the generated page at ``src``.
    """
    summary = ""
    if tree.summary:
        summary = _MD_LINK.sub(
            lambda m: m.group(1) + relative_md(m.group(2), src) + m.group(3), tree.summary.strip()
        ) + "\n\n"
    title, summary = escape_raw_html(tree.title), escape_raw_html(summary)
    return f"# {title}\n\n{summary}<!-- decision-tree: {tree.id} -->\n"


def relative_md(target: str, from_src: str) -> str:
    """A link from one docs page to another, both given relative to the docs folder."""
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return rel + (f"#{fragment}" if fragment else "")


def cited_pages(tree: Any) -> set[str]:
    """The docs pages that a tree's outcomes cite."""
    return {ref.partition("#")[0] for o in tree.outcomes.values() for ref in o.cites}


def guides_note(src: str, trees: Sequence[Any], tree_pages: Mapping[str, str]) -> str:
    """Markdown for the end of a policy page: the guides whose outcomes cite it ('' if none)."""
    citing = [t for t in trees if src in cited_pages(t) and tree_pages.get(t.id) != src]
    if not citing:
        return ""
    lines = ['\n\n!!! question "Not sure what to do?"\n']
    for tree in citing:
        link = relative_md(tree_pages[tree.id], src)
        lines.append(f"    - Use the guide: [{escape_raw_html(tree.title)}]({link})")
    return "\n".join(lines) + "\n"


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_page(
    clauses: Sequence[Clause], trees: Sequence[Any], tree_pages: Mapping[str, str],
    src: str = "coverage.md",
) -> str:
    """The coverage page: each clause of the policy and the outcomes that cite it."""
    citing: dict[str, list[str]] = {c.ref: [] for c in clauses}
    for tree in trees:
        for oid, outcome in tree.outcomes.items():
            link = relative_md(f"{tree_pages[tree.id]}#dt-{tree.id}-outline-o-{oid}", src)
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
    ]
    page_title = None
    for clause in clauses:
        if clause.page_title != page_title:
            page_title = clause.page_title
            out += ["", f"## {page_title}", "", "| Clause | Cited by |", "| --- | --- |"]
        link = f"[{_escape_cell(clause.title)}]({relative_md(clause.ref, src)})"
        cited_by = "<br>".join(_escape_cell(c) for c in citing[clause.ref])
        cell = cited_by or "**Not cited by any guide**"
        out.append(f"| {link} | {cell} |")
    if uncited:
        out += ["", "## Not cited by any guide {#uncited}", ""]
        out += [f"- [{_escape_cell(c.title)}]({relative_md(c.ref, src)})" for c in uncited]
    return "\n".join(out) + "\n"


def manifest_entry(tree: Any, src: str, paths: Iterable[Any]) -> dict[str, Any]:
    """One tree's entry in ``decision-trees.json``."""
    return {
        "id": tree.id,
        "title": tree.title,
        "page": page_url_of(src),
        "start": tree.start,
        "outcomes": {oid: {"title": o.title, "kind": o.kind} for oid, o in tree.outcomes.items()},
        "paths": [{"answers": list(p.answers), "outcome": p.outcome} for p in paths],
        "scenarios": [
            {"name": s.name, "answers": list(s.answers), "outcome": s.outcome}
            for s in tree.scenarios
        ],
    }


OUTLINE_SLOT = '<div class="decision-tree-outline-slot" data-tree-outline="{id}"></div>'
OUTLINE_SLOT_HTML = re.compile(
    r'<div class="decision-tree-outline-slot" data-tree-outline="(?P<id>[^"]+)"></div>'
)
PAGE_BREAK = '<div class="cwc-page-break" aria-hidden="true"></div>'
_HEADING_LINE = re.compile(r"^(#{1,5})(\s)", re.M)


def _demote(markdown: str) -> str:
    """Every heading one level down, so a page's title becomes a section of a bigger page."""
    return _HEADING_LINE.sub(lambda m: "#" + m.group(1) + m.group(2), markdown)


def board_pack(policy: Sequence[tuple[str, str]], trees: Sequence[Any]) -> str:
    """One printable page: the whole policy, then every guide as its text outline.

    Args:
        policy: (src, markdown) of each policy page, in reading order. The pack is written
            in the same folder, so their relative links keep working.
        trees: The guides, in the order they should print.
    """
    out = [
        "---", "search:", "  exclude: true", "---", "",
        "# Board pack: the policy and its guides", "",
        "For trustees: the whole Confidentiality Policy and the text of every guide on one "
        "page, to print for a board meeting (use your browser's Print; each section starts "
        "on a new page).", "",
    ]
    for _src, text in policy:
        out += [PAGE_BREAK, "", _demote(text.strip()), ""]
    out += [PAGE_BREAK, "", "## The guides", ""]
    for index, tree in enumerate(trees):
        if index:
            out += [PAGE_BREAK, ""]
        out += [f"### {escape_raw_html(tree.title)}", "", OUTLINE_SLOT.format(id=tree.id), ""]
    return "\n".join(out) + "\n"
