"""Points for the Board's review (build_tools/site/review_points.py): the file, and where they show.

The file's rules are checked with file, line and column; the note goes after its clause
(a heading's paragraphs, a list item's end); and a build of the fixture site with two
points shows them on the review page, beside each clause (collapsed, out of the search
index), in the board pack (which opens with the trustees' pages) and on the coverage page.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from build_tools.errors import Problems
from build_tools.site.review_points import insert_beside, load_review_points
from tests.helpers import TRUSTEE_POINTS, build_site, docs_index, trustee_site
from tests.locations import ROOT, SITE_FIXTURE


def clauses() -> list:
    docs = docs_index(SITE_FIXTURE / "docs")
    return docs.clauses("policy")


def load(text: str, tmp_path: Path) -> tuple[list, Problems]:
    path = tmp_path / "review-points.yml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    docs = docs_index(SITE_FIXTURE / "docs")
    found = load_review_points(path, "review-points.yml", docs.clauses("policy"),
                               ["policy/rules.md"], problems, docs.explain_missing_anchor)
    return found, problems


def test_a_good_file_gives_its_points_in_the_policys_order(tmp_path: Path) -> None:
    """Points are numbered in clause order (a point's first clause places it)."""
    points, problems = load(TRUSTEE_POINTS, tmp_path)
    assert not problems
    assert [(p.number, p.point.id, [c.anchor for c in p.clauses]) for p in points] == [
        (1, "keep-quiet-scope", ["keep-quiet"]),
        (2, "ask-first-law", ["ask-first", "keep-quiet"]),
    ]
    assert points[0].anchor == "rp-keep-quiet-scope"


class Broken(NamedTuple):
    name: str
    old: str
    new: str
    line: int
    column: int
    message: str


BROKEN = [
    Broken("an unknown anchor", "clauses: [policy/rules.md#keep-quiet]",
           "clauses: [policy/rules.md#keep-quite]", 5, 15,
           "names 'policy/rules.md#keep-quite', but 'policy/rules.md' has no clause '#keep-quite'"),
    Broken("an unknown page", "clauses: [policy/rules.md#keep-quiet]",
           "clauses: [policy/rulez.md#keep-quiet]", 5, 15,
           "names 'policy/rulez.md', which is not a page of the policy"),
    Broken("no anchor", "clauses: [policy/rules.md#keep-quiet]", "clauses: [policy/rules.md]",
           5, 15, "'policy/rules.md' does not name a page and a clause"),
    Broken("a clause named twice", "[policy/rules.md#ask-first, policy/rules.md#keep-quiet]",
           "[policy/rules.md#ask-first, policy/rules.md#ask-first]", 12, 42,
           "names 'policy/rules.md#ask-first' twice"),
    Broken("the same id twice", "id: ask-first-law", "id: keep-quiet-scope", 9, 9,
           "review point 'keep-quiet-scope' is also point 1"),
    Broken("an unknown kind", "kind: law", "kind: legal", 11, 11, "'legal' is not a kind"),
    Broken("an unknown key", "why: A volunteer", "wy: A volunteer", 7, 5,
           "unknown key 'wy' in review point 1"),
    Broken("a missing suggestion", "    suggestion: Say how soon to ask.\n", "", 9, 5,
           "review point 2 has no 'suggestion'"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[b.name for b in BROKEN])
def test_each_broken_file_names_its_place_and_what_is_wrong(case: Broken, tmp_path: Path) -> None:
    """Every rule of the file is reported at its line and column, with what is wrong."""
    assert case.old in TRUSTEE_POINTS
    _, problems = load(TRUSTEE_POINTS.replace(case.old, case.new), tmp_path)
    found = [(p.line, p.column, p.message) for p in problems]
    assert any((line, column) == (case.line, case.column) and case.message in message
               for line, column, message in found), found


def test_a_misplaced_anchor_gets_a_hint(tmp_path: Path) -> None:
    """An unknown anchor's hint names the clauses the page has."""
    _, problems = load(TRUSTEE_POINTS.replace("#keep-quiet]", "#keep]"), tmp_path)
    assert problems[0].hint == "its clauses are: 'keep-quiet', 'ask-first'"


# -- beside the clause ---------------------------------------------------------------------

PAGE = """\
<h1 id="rules">Rules</h1>
<h2 id="keep-quiet">Keep it to yourself</h2>
<p>Do not tell anyone.</p>
<p>Not even later.</p>
<div class="admonition question"><p>Not sure?</p></div>
<ul>
<li id="item">An item<ul>
<li>Nested</li>
</ul>
</li>
<li id="plain">Plain</li>
</ul>
<p id="para">A paragraph with an id.</p>
<h2 id="last">Last</h2>
<p>The end.</p>
"""


@pytest.mark.parametrize(("case", "anchor", "after"), [
    ("a heading: after its paragraphs, before a box", "keep-quiet",
     "<p>Not even later.</p>NOTE\n<div"),
    ("a list item: at its end, after its nested list", "item", "</ul>\nNOTE</li>"),
    ("a list item without a nested list", "plain", "Plain" + "NOTE</li>"),
    ("a paragraph with an id: just after it", "para", "with an id.</p>NOTE"),
    ("the last heading: at the end of the page", "last", "<p>The end.</p>NOTE"),
])
def test_the_note_goes_after_its_clause(case: str, anchor: str, after: str) -> None:
    """Where the content beside a clause goes, for each kind of clause."""
    assert after in insert_beside(PAGE, {anchor: "NOTE"}), case


def test_ids_not_in_the_page_are_left_out() -> None:
    """A note for a clause on another page changes nothing."""
    assert insert_beside(PAGE, {"elsewhere": "NOTE"}) == PAGE


# -- a build ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with two review points and the trustees' pages, built."""
    root = tmp_path_factory.mktemp("review-points")
    project = trustee_site(root / "project")
    result = build_site(root / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return root / "site"


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def test_the_review_page_lists_each_point_linked_to_its_clause(site: Path) -> None:
    """Grouped by policy page, numbered, each with its anchor and links to its clauses."""
    page = article(read(site, "trustees/review-points.html"))
    assert re.search(r'<h2 id="rp-page-rules">Points on “Rules”', page)
    assert re.search(r'<h3 id="rp-keep-quiet-scope">1\. Who "anyone" is', page)
    assert re.search(r'<h3 id="rp-ask-first-law">2\. The law says more', page)
    assert 'href="../policy/rules.html#ask-first"' in page
    assert 'href="../policy/rules.html#keep-quiet"' in page


def test_beside_each_clause_a_collapsed_note_out_of_the_search_index(site: Path) -> None:
    """The policy page has a closed <details> after each clause, named for what it is."""
    page = article(read(site, "policy/rules.html"))
    notes = re.findall(r'<details class="cwc-review-note" data-search-exclude>\s*'
                       r'<summary class="cwc-review-note__summary">([^<]*)</summary>', page)
    assert [html.unescape(n) for n in notes] == ["Notes for reviewers: 2 points",
                                                 "Note for reviewers: The law says more"]
    assert "<details open" not in page
    assert page.index('id="keep-quiet"') < page.index("cwc-review-note") < page.index(
        'id="ask-first"')
    assert 'href="../trustees/review-points.html#rp-ask-first-law"' in page


def test_the_notes_are_not_in_the_search_index(site: Path) -> None:
    """Search finds the clause's words, never a note's; the trustees' pages are left out."""
    index = json.loads(read(site, "search/search_index.json"))
    texts = " ".join(doc["text"] for doc in index["docs"])
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "Do not tell anyone." in texts
    assert "A volunteer may not know whether the manager counts" not in texts
    assert not locations & {"trustees/review-points.html", "trustees/changes.html",
                            "trustees/document-control.html"}


def test_the_board_pack_opens_with_the_trustees_pages_and_points_beside_clauses(
    site: Path,
) -> None:
    """Document control, then what changed, then the points; each clause points to its own."""
    page = article(read(site, "policy/board-pack.html"))
    order = [page.index(f">{title}") for title in (
        "Document control", "What changed since the last approval",
        "Points for the Board's review", "Rules")]
    assert order == sorted(order)
    pointers = re.findall(r'<p class="cwc-review-pointer" data-search-exclude>(.*?)</p>', page)
    assert len(pointers) == 2
    assert ('<a href="#rp-keep-quiet-scope">review point 1, Who "anyone" is</a>'
            in html.unescape(pointers[0]))
    assert 'href="#ask-first"' in page  # the points link to the clauses in the pack
    assert "cwc-review-note" not in page  # no collapsed notes on paper


def test_the_coverage_page_counts_the_points(site: Path) -> None:
    """The coverage page says how many points there are and links to them."""
    page = article(read(site, "coverage.html"))
    assert re.search(r"<strong>2 points for the Board.s review</strong> are about 2 of these "
                     r'clauses: see <a href="trustees/review-points.html">', page)


def test_a_broken_points_file_stops_the_build_at_its_line(tmp_path: Path) -> None:
    """An unknown clause stops the build with file:line:col, and no site is written."""
    project = trustee_site(tmp_path / "project",
                           points=TRUSTEE_POINTS.replace("#keep-quiet]", "#keep-quite]"))
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode != 0
    assert ("docs/policy/review-points.yml:5:15: error: review point 'keep-quiet-scope' names "
            "'policy/rules.md#keep-quite'") in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_every_real_point_is_about_a_real_clause() -> None:
    """The charity's review points file loads with no problem (every clause exists)."""
    from tests.helpers import real_docs

    docs = real_docs()
    path = ROOT / "docs" / "policy" / "review-points.yml"
    problems = Problems()
    points = load_review_points(path, "review-points.yml",
                                docs.clauses("policy", ("policy/editorial-notes.md",)), [],
                                problems)
    assert not problems and len(points) >= 13


def test_every_real_point_shows_on_the_review_page_beside_its_clauses_and_in_the_pack(
    built_site: Path,
) -> None:
    """Each real point is on the review page, beside every clause it names, and in the pack."""
    from tests.helpers import real_docs

    docs = real_docs()
    problems = Problems()
    points = load_review_points(ROOT / "docs" / "policy" / "review-points.yml", "points",
                                docs.clauses("policy", ("policy/editorial-notes.md",)), [],
                                problems)
    review = read(built_site, "trustees/review-points.html")
    pack = read(built_site, "policy/board-pack.html")
    missing = []
    for point in points:
        if f'id="{point.anchor}"' not in review or f'href="#{point.anchor}"' not in pack:
            missing.append(f"{point.point.id}: review page or board pack")
        for clause in point.clauses:
            page = read(built_site, clause.page.removesuffix(".md") + ".html")
            link = f'href="../trustees/review-points.html#{point.anchor}"'
            if link not in page[page.index(f'id="{clause.anchor}"'):]:
                missing.append(f"{point.point.id}: beside {clause.ref}")
    assert missing == []
