"""The guides' diagrams: DOT from a tree, SVG drawn by Graphviz (WebAssembly, in Node), cached."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from build_tools.site import diagram
from build_tools.site.diagram import KINDS, DiagramError, clean_svg, diagram_html, tree_to_dot
from build_tools.trees.validate import load_and_validate
from tests.locations import VALID

TRICKY = """\
title: 'Quotes " and <b>tags</b> & <script>alert(1)</script>'
start: first
questions:
  first:
    text: 'Is it "quoted", <i>tagged</i> & back\\slashed? {braces} [brackets] ; -> edge'
    options:
      - label: '<script>alert("x")</script>'
        next: bad
      - label: "It's a \\"label\\" & more"
        next: fine
outcomes:
  bad:
    title: '</title><script>evil()</script>'
    kind: danger
    urgency: now
    contacts: [charity-manager]
    body: x
    cites: [policy/a.md#b]
  fine:
    title: 'A & B <> "C"'
    kind: success
    urgency: soon
    contacts: [charity-manager]
    body: x
    cites: [policy/a.md#b]
"""


@pytest.fixture(scope="module")
def fixtures() -> list:
    """The valid fixture trees."""
    return load_and_validate(sorted(VALID.glob("*.yaml")), None)


@pytest.fixture
def tricky(tmp_path: Path):
    """A tree whose every text tries to break out of DOT, HTML or SVG."""
    path = tmp_path / "tricky.yaml"
    path.write_text(TRICKY, encoding="utf-8")
    return load_and_validate([path], None)[0]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty diagram cache of the test's own (the Graphviz package stays in the real one)."""
    folder = tmp_path / "diagrams"
    monkeypatch.setattr(diagram, "diagram_cache", lambda: folder)
    return folder


def label_text(dot: str) -> str:
    """The words of a DOT file's labels, with line breaks and entities undone."""
    return html.unescape(re.sub(r"<BR/>", " ", dot))


def node_line(dot: str, node: str) -> str:
    """The line that declares ``node``."""
    return next(line for line in dot.splitlines() if line.startswith(f'  "{node}" ['))


def contrast(one: str, two: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(one), luminance(two)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# -- DOT ---------------------------------------------------------------------------------


def test_dot_has_every_question_option_and_outcome(fixtures: list) -> None:
    """Every question text, option label and outcome title is in the DOT."""
    for tree in fixtures:
        words = label_text(tree_to_dot(tree))
        for question in tree.questions.values():
            assert " ".join(question.text.split()) in words
            for option in question.options:
                assert option.label in words
        for outcome in tree.outcomes.values():
            assert outcome.title in words


def test_questions_are_numbered_in_file_order(fixtures: list) -> None:
    """Q1, Q2 … follow the order of the file, as in the text outline; the start is marked."""
    tree = next(t for t in fixtures if t.id == "shared-node")
    dot = tree_to_dot(tree)
    for number, qid in enumerate(tree.questions, start=1):
        assert f"<B>Q{number}" in node_line(dot, f"q-{qid}")
    assert "Q1 · Start" in node_line(dot, f"q-{tree.start}")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_outcomes_are_coloured_by_kind(kind: str, tmp_path: Path) -> None:
    """An outcome's box has its kind's tint and border, and names its kind in words."""
    source = (VALID / "shared-node.yaml").read_text(encoding="utf-8")
    path = tmp_path / "t.yaml"
    source = source.replace("kind: success\n    urgency: soon", f"kind: {kind}\n    urgency: today")
    path.write_text(source, encoding="utf-8")
    (tree,) = load_and_validate([path], None)
    line = node_line(tree_to_dot(tree), "o-share")
    assert f'fillcolor="{KINDS[kind].fill}"' in line
    assert f'color="{KINDS[kind].border}"' in line
    assert KINDS[kind].word.upper() in line


def test_an_outcome_reached_twice_is_drawn_twice(fixtures: list) -> None:
    """A shared outcome gets a box beside each question that leads to it."""
    dot = tree_to_dot(next(t for t in fixtures if t.id == "shared-node"))
    assert '"o-tell-safeguarding-1" [' in dot and '"o-tell-safeguarding-2" [' in dot
    assert '"o-share" [' in dot


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_colours_keep_their_contrast(kind: str) -> None:
    """Text on every outcome tint reaches 4.5:1 (WCAG AA), the kind word included."""
    assert contrast(diagram.TEXT, KINDS[kind].fill) >= 4.5
    assert contrast(KINDS[kind].tag, KINDS[kind].fill) >= 4.5


def test_dot_escapes_quotes_html_and_scripts(tricky) -> None:
    """Quotes, tags and scripts in a tree's texts are text in the DOT, never markup."""
    dot = tree_to_dot(tricky)
    assert "<script>" not in dot and "<i>" not in dot and "</title>" not in dot
    assert "&lt;script&gt;alert(&quot;x&quot;)" in dot  # the label wraps after this
    assert "&lt;/title&gt;&lt;script&gt;evil()" in dot
    assert "back\\slashed? {braces}<BR/>[brackets] ; -&gt; edge" in dot
    assert 'digraph "tricky" {' in dot


# -- SVG ---------------------------------------------------------------------------------

GRAPHVIZ_LIKE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz -->
<svg width="62pt" height="133pt"
 viewBox="0.00 0.00 62.00 133.00" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph"><title>t</title>
<g id="node1" class="node"><title>q&#45;a</title>
<a xlink:href="http://example.org/" xlink:title="tip"><text font-family="Times,serif">Q1</text></a>
<script>alert(1)</script>
</g></g>
</svg>
"""


@pytest.fixture
def cleaned() -> str:
    """A Graphviz-like SVG after clean_svg."""
    title = 'Diagram of the guide: A & "B"'
    return clean_svg(
        GRAPHVIZ_LIKE, title=title, dom_id="dt-x-diagram-svg", describedby="dt-x-outline-all"
    )


def test_svg_scales_to_the_page(cleaned: str) -> None:
    """No prolog, doctype or fixed size; the viewBox stays; never wider than drawn."""
    assert cleaned.startswith("<svg")
    opening = cleaned[: cleaned.index(">") + 1]
    assert not re.search(r'\s(width|height)=', opening)
    assert 'viewBox="0.00 0.00 62.00 133.00"' in opening
    assert 'style="max-width: 62pt"' in opening


def test_svg_is_an_image_with_a_title_and_a_description(cleaned: str) -> None:
    """role=img, labelled by its own <title>, described by the id we pass."""
    opening = cleaned[: cleaned.index(">") + 1]
    assert 'role="img"' in opening
    assert 'aria-labelledby="dt-x-diagram-svg-title"' in opening
    assert 'aria-describedby="dt-x-outline-all"' in opening
    assert re.findall(r"<title[^>]*>.*?</title>", cleaned) == [
        '<title id="dt-x-diagram-svg-title">Diagram of the guide: A &amp; &quot;B&quot;</title>'
    ]


def test_svg_runs_and_loads_nothing(cleaned: str) -> None:
    """No script, no link, no outside reference; system fonts only."""
    assert "<script" not in cleaned and "<a " not in cleaned and "<!--" not in cleaned
    assert re.findall(r"https?://[^\"]*", cleaned) == ["http://www.w3.org/2000/svg"]  # a name
    assert "Times" not in cleaned and "sans-serif" in cleaned


# -- Drawing -----------------------------------------------------------------------------


def test_real_render_of_the_fixtures(fixtures: list, cache: Path) -> None:
    """One Node process draws every fixture tree; the SVGs are clean and complete."""
    svgs = diagram.render_svgs(fixtures)
    assert sorted(svgs) == sorted(tree.id for tree in fixtures)
    for tree in fixtures:
        svg = svgs[tree.id]
        assert svg.startswith("<svg") and 'role="img"' in svg and "<script" not in svg
        assert f"Diagram of the guide: {html.escape(tree.title, quote=True)}" in svg
        words = html.unescape(svg)
        for outcome in tree.outcomes.values():
            assert outcome.title.split()[0] in words
    assert len(list(cache.glob("*.svg"))) == len(fixtures)


def test_real_render_escapes_everything(tricky, cache: Path) -> None:
    """Graphviz accepts the escaped DOT; the SVG shows the texts and runs nothing."""
    svg = diagram.render_svg(tricky, describedby="dt-tricky-outline-all")
    assert "<script" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'aria-describedby="dt-tricky-outline-all"' in svg


def test_second_render_comes_from_the_cache(
    fixtures: list, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree drawn before is read from the cache: no Node process at all."""
    first = diagram.render_svgs(fixtures)

    def no_node(*args, **kwargs):
        raise AssertionError("node was started for a cached diagram")

    monkeypatch.setattr(subprocess, "run", no_node)
    assert diagram.render_svgs(fixtures) == first


def test_missing_node_says_what_to_install(
    fixtures: list, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Node.js the error names it and says what to do."""
    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    with pytest.raises(DiagramError, match=r"Node.js is needed .*\n  hint: install Node.js"):
        diagram.render_svgs(fixtures[:1])


def test_missing_package_says_what_to_run(
    fixtures: list, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the Graphviz package cannot be fetched, the error says which command fetches it."""
    from build_tools.setup import fetch

    def fail(pin, quiet=False):
        raise fetch.FetchError("npm is needed once to fetch it")

    monkeypatch.setattr(fetch, "ensure_package", fail)
    hint = r"@viz-js/viz@.*\n  hint: run 'build_tools/setup/bootstrap.sh'"
    with pytest.raises(DiagramError, match=hint):
        diagram.render_svgs(fixtures[:1])


def test_graphviz_failure_is_a_diagram_error(cache: Path) -> None:
    """DOT that Graphviz rejects fails the build with Graphviz's message."""
    with pytest.raises(DiagramError, match=r"could not draw 1 diagram\(s\):\n  broken: .*syntax"):
        diagram.draw({"broken": "digraph { a -> }"})


# -- HTML --------------------------------------------------------------------------------


def test_diagram_html_is_a_figure_with_a_caption(tricky) -> None:
    """A figure with the SVG, a caption pointing at the outline, and a key of the kinds used."""
    svg = '<svg viewBox="0 0 1 1" role="img"></svg>'
    page = diagram_html(tricky, svg)
    assert page.startswith('<figure class="decision-tree-diagram" id="dt-tricky-diagram">')
    assert svg in page
    assert '<figcaption id="dt-tricky-diagram-caption">' in page
    assert 'href="#dt-tricky-outline-all"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    key = re.findall(r"</span>(\w+)</li>", page)
    assert key == ["Success", "Danger"]


def test_every_id_inside_a_drawing_is_prefixed_with_its_guide() -> None:
    """Two diagrams on one page never share an id (Graphviz says graph0, node1 … in each)."""
    body = '<svg viewBox="0 0 1 1"><g id="graph0"><g id="node1"><path fill="url(#g1)"/>' \
        '<use href="#node1"/></g></g></svg>'
    cleaned = clean_svg(body, title="T", dom_id="dt-x-diagram-svg", describedby="d")
    inner = cleaned[cleaned.index("</title>"):]
    assert 'id="dt-x-diagram-svg-graph0"' in inner and 'id="dt-x-diagram-svg-node1"' in inner
    assert "url(#dt-x-diagram-svg-g1)" in inner and 'href="#dt-x-diagram-svg-node1"' in inner
    assert 'id="graph0"' not in cleaned


def test_an_outcome_box_names_its_kind_and_how_soon(fixtures: list) -> None:
    """The tag above an outcome's title says its kind and its urgency, in words."""
    tree = next(t for t in fixtures if t.id == "shared-node")
    assert "DANGER · TODAY" in node_line(tree_to_dot(tree), "o-tell-safeguarding-1")
