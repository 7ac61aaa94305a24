"""A diagram of each guide, drawn at build time as SVG: no script is needed to see it.

The tree becomes Graphviz DOT (:func:`tree_to_dot`); Graphviz compiled to WebAssembly
(the pinned npm package ``@viz-js/viz``, run with Node by ``diagram_svg.mjs``) lays it out
and draws it; :func:`clean_svg` makes the drawing fit for a page (it scales to the page
width, is an image with a title and a description, and refers to nothing outside itself).
Drawings are cached by the hash of their DOT and the Graphviz build, so a rebuild that
changes no guide starts no Node process, and one that changes some starts one for all.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from build_tools.errors import BuildError
from build_tools.site import dom

SCRIPT = Path(__file__).with_name("diagram_svg.mjs")

WRAP = 30
"""Characters a line of a question or an outcome, before it wraps."""
WRAP_LABEL = 22
"""Characters a line of an option label (labels sit between boxes, so they are narrower)."""

FONT = "Helvetica"
"""Graphviz measures text with Helvetica's metrics; Arial and Liberation Sans share them."""
SVG_FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"

TEXT = "#1a1a1a"
QUESTION_BORDER = "#5c5c5c"
EDGE = "#5c5c5c"


@dataclass(frozen=True)
class Kind:
    """How an outcome of one kind is drawn: a tint, a border and a tag, as in admonitions."""

    word: str  # the tag above the title, so colour is never the only sign
    border: str  # mkdocs-material's admonition colour
    fill: str  # that colour at 10% on white, like an admonition title
    tag: str  # a darker shade for the tag text: contrast ≥ 4.5:1 on the fill


KINDS: dict[str, Kind] = {
    "success": Kind("Success", "#00c853", "#e6f9ee", "#00662a"),
    "info": Kind("Info", "#00b8d4", "#e6f8fb", "#006273"),
    "warning": Kind("Warning", "#ff9100", "#fff4e6", "#8a4600"),
    "danger": Kind("Danger", "#ff1744", "#ffe8ec", "#b0002a"),
}


class DiagramError(BuildError):
    """A diagram could not be drawn: Node.js or the Graphviz package is missing, or it failed."""


# -- DOT -------------------------------------------------------------------------------


def tree_to_dot(tree: Any) -> str:
    """Return the Graphviz DOT of a tree, top to bottom.

    Questions are boxes numbered Q1, Q2 … in the file's order (as in the text outline),
    outcomes are tinted boxes by kind, and every arrow carries its option label.

    Drawn naively, a guide is too wide to read on A4 portrait: many boxes side by side
    and long arrows across the page shrink the words. So an outcome reached from several
    questions is drawn beside each of them, and a question that branches widely (see
    :func:`_branches`) hangs its answers one under another off a vertical line, like a
    tree view, with a question that continues the guide straight below.
    """
    lines = [f"digraph {_id(tree.id)} {{", *_HEADER]
    for number, (qid, question) in enumerate(tree.questions.items(), start=1):
        lines.append(_question_node(qid, question, number, qid == tree.start))
    arrivals = Counter(o.next for q in tree.questions.values() for o in q.options)
    copies: Counter[str] = Counter()
    for qid, question in tree.questions.items():
        targets: list[tuple[str, str]] = []  # (option label, node id)
        for option in question.options:
            if option.next in tree.questions:
                targets.append((option.label, _id("q-" + option.next)))
                continue
            copies[option.next] += 1
            copy = f"-{copies[option.next]}" if arrivals[option.next] > 1 else ""
            targets.append((option.label, _id(f"o-{option.next}{copy}")))
            lines.append(_outcome_node(targets[-1][1], tree.outcomes[option.next]))
        lines += _edges(tree, qid, targets, arrivals)
    for oid, outcome in tree.outcomes.items():
        if not arrivals[oid]:  # unreachable (an unchecked tree): still draw it
            lines.append(_outcome_node(_id("o-" + oid), outcome))
    lines.append("}")
    return "\n".join(lines) + "\n"


BUS_FROM = 3
"""A question with this many outcomes (or more) lists them one under another."""


def _branches(tree: Any, qid: str, arrivals: Counter[str]) -> tuple[list[int], int | None]:
    """Which options of a question hang off its vertical line, and which goes straight down.

    Returns the indices of the options on the line (empty when the question is drawn
    plainly, its answers side by side on the next row) and the index of the question
    that continues below (None if there is none, or it is drawn plainly).
    """
    options = tree.questions[qid].options
    outcomes = [i for i, o in enumerate(options) if o.next not in tree.questions]
    # A question reached from several places keeps a plain arrow: rows cannot be forced.
    own = [i for i, o in enumerate(options) if o.next in tree.questions and arrivals[o.next] == 1]
    if len(outcomes) < BUS_FROM and len(own) < 2:
        return [], None
    if len(own) == 1:
        return outcomes, own[0]
    return sorted(outcomes + own), None


def _rows(tree: Any, node: str, arrivals: Counter[str], memo: dict[str, int]) -> int:
    """How many rows the drawing of a node takes below the node's own row."""
    if node not in tree.questions:
        return 0
    if node not in memo:
        options = tree.questions[node].options
        line, below = _branches(tree, node, arrivals)
        if not line:
            memo[node] = 1 + max(_rows(tree, o.next, arrivals, memo) for o in options)
        else:
            row = sum(1 + _rows(tree, options[i].next, arrivals, memo) for i in line)
            if below is not None:
                row += 1 + _rows(tree, options[below].next, arrivals, memo)
            memo[node] = row
    return memo[node]


def _edges(
    tree: Any, qid: str, targets: list[tuple[str, str]], arrivals: Counter[str]
) -> list[str]:
    source = _id("q-" + qid)
    line, below = _branches(tree, qid, arrivals)
    plain = [i for i in range(len(targets)) if i not in line and i != below]
    lines = [_arrow(source, targets[i]) for i in plain]
    options = tree.questions[qid].options
    memo: dict[str, int] = {}
    previous, gap = source, 1
    for n, i in enumerate(line, start=1):
        joint, label = _id(f"line-{qid}-{n}"), _id(f"line-{qid}-{n}-label")
        lines += [
            f'  {joint} [shape=point, width=0.05, height=0.05, color="{EDGE}",'
            f' fillcolor="{EDGE}", label="", group={_id("line-" + qid)}];',
            # The label is a node on the row, not an edge label: Graphviz leaves no room
            # above a row for the labels of arrows within it, so they overlapped boxes.
            f"  {label} [shape=plain, label=<{_edge_label(targets[i][0])}>, fontsize=13];",
            f"  {previous} -> {joint} [arrowhead=none, minlen={gap}];",
            f"  {{rank=same; {joint} -> {label} [arrowhead=none]; {label} -> {targets[i][1]};}}",
        ]
        # The next answer goes below everything this one leads to.
        previous, gap = joint, 1 + _rows(tree, options[i].next, arrivals, memo)
    if below is not None:
        rows = sum(1 + _rows(tree, options[i].next, arrivals, memo) for i in line)
        lines.append(_arrow(source, targets[below], f", minlen={rows + 1}"))
    return lines


def _arrow(source: str, target: tuple[str, str], extra: str = "") -> str:
    label, node = target
    return f"  {source} -> {node} [label=<{_edge_label(label)}>{extra}];"


_HEADER = (
    '  graph [rankdir=TB, nodesep=0.2, ranksep=0.2, margin=0, pad=0.1, bgcolor="white"];',
    f'  node [shape=box, style="rounded,filled", fillcolor="white", color="{QUESTION_BORDER}",'
    f' fontname="{FONT}", fontsize=14, fontcolor="{TEXT}", margin="0.12,0.08"];',
    f'  edge [color="{EDGE}", fontname="{FONT}", fontsize=13, fontcolor="{TEXT}", arrowsize=0.7];',
)


def _question_node(qid: str, question: Any, number: int, start: bool) -> str:
    tag = f"Q{number}" + (" · Start" if start else "")
    label = f"<B>{_html(tag)}</B><BR/>{_lines(question.text, WRAP)}"
    # One group keeps the arrows between questions straight: a spine down the page.
    bold = ", penwidth=2" if start else ""
    return f"  {_id('q-' + qid)} [label=<{label}>, group=questions{bold}];"


URGENCY_WORDS = {"now": "NOW", "today": "TODAY", "soon": "SOON", "no-deadline": "NO DEADLINE"}
"""How soon, in the outcome's tag: the same words as the widget's, in short."""


def _outcome_node(node_id: str, outcome: Any) -> str:
    kind = KINDS[outcome.kind]
    tag = f"{kind.word.upper()} · {URGENCY_WORDS[outcome.urgency]}"
    label = (
        f'<FONT POINT-SIZE="12" COLOR="{kind.tag}"><B>{_html(tag)}</B></FONT>'
        f"<BR/>{_lines(outcome.title, WRAP)}"
    )
    return (
        f'  {node_id} [label=<{label}>, fillcolor="{kind.fill}", color="{kind.border}",'
        " penwidth=2];"
    )


def _edge_label(text: str) -> str:
    # A white ground keeps a label legible where an arrow passes behind it.
    return (
        '<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1" BGCOLOR="white"><TR><TD>'
        f"{_lines(text, WRAP_LABEL)}</TD></TR></TABLE>"
    )


def _id(text: str) -> str:
    """A DOT id, quoted: any text is safe inside."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    """Text for a DOT HTML-like label: ``&``, ``<``, ``>`` and quotes become entities."""
    return html.escape(text, quote=True)


def _lines(text: str, width: int) -> str:
    """Wrapped text as escaped lines joined by ``<BR/>``."""
    wrapped = textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False) or [""]
    return "<BR/>".join(_html(line) for line in wrapped)


# -- Drawing ---------------------------------------------------------------------------


def render_svg(tree: Any, describedby: str | None = None) -> str:
    """Return the page-ready SVG diagram of one tree (see :func:`render_svgs`)."""
    return render_svgs([tree], {tree.id: describedby} if describedby else None)[tree.id]


def render_svgs(
    trees: Iterable[Any], describedby: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return the page-ready SVG of every tree, by tree id, drawing what is not cached.

    Args:
        trees: Checked trees.
        describedby: Tree id → the DOM id of the element that describes the diagram in
            words, e.g. the widget's text outline (:func:`build_tools.site.dom.outline`); by
            default the figure's caption, which links to that outline.

    Raises:
        DiagramError: If Node.js or the Graphviz package is missing, or drawing fails.
    """
    trees = list(trees)
    dots = {tree.id: tree_to_dot(tree) for tree in trees}
    raw = draw(dots)
    return {
        tree.id: clean_svg(
            raw[tree.id],
            title=f"Diagram of the guide: {tree.title}",
            dom_id=dom.diagram_svg(tree.id),
            describedby=(describedby or {}).get(tree.id) or dom.diagram_caption(tree.id),
        )
        for tree in trees
    }


def draw(dots: Mapping[str, str]) -> dict[str, str]:
    """Return Graphviz's own SVG for each DOT text (by key), from the cache or from Node."""
    from build_tools.setup.fetch import VIZ

    key_of = {name: _cache_key(dot, VIZ.version) for name, dot in dots.items()}
    folder = diagram_cache()
    found = {name: folder / f"{key}.svg" for name, key in key_of.items()}
    missing = {name: dots[name] for name, path in found.items() if not path.exists()}
    if missing:
        drawn = _run_node(missing)
        folder.mkdir(parents=True, exist_ok=True)
        for name, svg in drawn.items():
            temp = found[name].with_suffix(".tmp")
            temp.write_text(svg, encoding="utf-8")
            temp.replace(found[name])  # whole files only, even if two builds race
    return {name: path.read_text(encoding="utf-8") for name, path in found.items()}


def diagram_cache() -> Path:
    """Where drawn diagrams are kept: ``<cache>/diagrams``."""
    from build_tools.setup.fetch import cache_dir

    return cache_dir() / "diagrams"


def _cache_key(dot: str, viz_version: str) -> str:
    # The script is in the key too: a change in how it draws must not reuse old drawings.
    script = hashlib.sha256(SCRIPT.read_bytes()).hexdigest()
    return hashlib.sha256(f"{dot}\0{viz_version}\0{script}".encode()).hexdigest()


def _viz_module() -> Path:
    from build_tools.setup.fetch import VIZ, FetchError, ensure_package

    try:
        return ensure_package(VIZ, quiet=True) / "package" / "dist" / "viz.js"
    except FetchError as error:
        raise DiagramError(
            f"the diagrams need {VIZ.spec} and it could not be fetched: {error.message}",
            "run 'build_tools/setup/bootstrap.sh' (or 'make build') with npm available",
        ) from error


def _run_node(dots: Mapping[str, str]) -> dict[str, str]:
    node = shutil.which("node")
    if node is None:
        raise DiagramError(
            "Node.js is needed to draw the guides' diagrams, and 'node' is not on PATH",
            "install Node.js 18 or newer (e.g. 'apt-get install nodejs') and build again",
        )
    request = {"viz": str(_viz_module()), "jobs": dict(dots)}
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if result.returncode != 0:
        raise DiagramError(f"drawing the diagrams failed (node exited {result.returncode}):\n"
                           f"{result.stderr.strip()}")
    answer = json.loads(result.stdout)
    failed = {name: errors for name, errors in answer["errors"].items() if errors}
    if failed:
        detail = "\n".join(f"  {name}: {'; '.join(errs)}" for name, errs in failed.items())
        raise DiagramError(f"Graphviz could not draw {len(failed)} diagram(s):\n{detail}")
    return answer["svgs"]


# -- Making the SVG fit for a page ------------------------------------------------------

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INNER_TITLE = re.compile(r"<title>.*?</title>\s*", re.S)
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_SIZE = re.compile(r'\s(width|height)="([\d.]+)pt"')
_XLINK = re.compile(r'\sxmlns:xlink="[^"]*"')
_FONT_FAMILY = re.compile(r'font-family="[^"]*"')
_INNER_ID = re.compile(r'(\sid=")([^"]+)(")')
_INNER_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def prefix_ids(svg_body: str, prefix: str) -> str:
    """Every id inside a drawing (and every reference to one) starts with ``prefix-``.

    Graphviz names its elements ``graph0``, ``node1``, ``edge1`` … in every drawing, so
    two diagrams on one page (the board pack) would share ids.
    """
    svg_body = _INNER_ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}{m.group(3)}", svg_body)
    return _INNER_REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg_body)


def clean_svg(svg: str, *, title: str, dom_id: str, describedby: str) -> str:
    """Return Graphviz's SVG ready to inline in a page.

    No prolog or comments; no fixed size (the ``viewBox`` stays, so it scales to the page
    width, never wider than drawn); ``role="img"`` with a ``<title>`` and a description
    by id; system fonts; every id inside prefixed with ``dom_id`` (unique on any page); and
    nothing that runs or loads: scripts, links and ``<title>`` tooltips of single boxes are
    removed.
    """
    svg = _PROLOG.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = _INNER_TITLE.sub("", svg)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S | re.I)
    svg = re.sub(r"</?a\b[^>]*>", "", svg)  # Graphviz wraps URL/tooltip nodes in links
    svg = _FONT_FAMILY.sub(f'font-family="{SVG_FONT}"', svg)
    opening = _SVG_TAG.search(svg)
    if opening is None:
        raise DiagramError("Graphviz's output has no <svg> element")
    tag = opening.group(0)
    width = dict((m.group(1), m.group(2)) for m in _SIZE.finditer(tag)).get("width", "0")
    new_tag = _XLINK.sub("", _SIZE.sub("", tag))
    title_id = f"{dom_id}-title"
    new_tag = new_tag[:-1].rstrip() + (
        f' id="{_html(dom_id)}" class="decision-tree-diagram__svg" role="img"'
        f' aria-labelledby="{_html(title_id)}" aria-describedby="{_html(describedby)}"'
        f' style="max-width: {float(width):g}pt">'
        f'\n<title id="{_html(title_id)}">{_html(title)}</title>'
    )
    body = prefix_ids(svg[opening.end():], dom_id)
    return svg[: opening.start()] + new_tag + body.rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------


def diagram_html(tree: Any, svg: str) -> str:
    """The figure for a guide page: the SVG and a caption that points at the text version."""
    from build_tools.site.widget import environment

    kinds = [kind for kind in KINDS if any(o.kind == kind for o in tree.outcomes.values())]
    return environment().get_template("diagram.html.j2").render(
        tree=tree,
        svg=Markup(svg),
        kinds=[(name, KINDS[name]) for name in kinds],
        outline=dom.outline(tree.id),
    )

