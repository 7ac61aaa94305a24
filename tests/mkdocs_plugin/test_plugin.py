"""The MkDocs plugin, through real builds of a tiny fixture site (tests/fixtures/site)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import build_site
from tests.locations import FIXTURES

SITE_FIXTURE = FIXTURES / "site"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A private copy of the fixture site, free to break."""
    target = tmp_path / "project"
    shutil.copytree(SITE_FIXTURE, target)
    return target


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once."""
    site = tmp_path_factory.mktemp("fixture-site")
    result = build_site(site, SITE_FIXTURE / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return site


def test_marker_is_replaced_by_the_widget(fixture_site: Path) -> None:
    """The page marker becomes the widget, with its first question visible."""
    html = (fixture_site / "embedded.html").read_text(encoding="utf-8")
    assert re.search(r'<section class="decision-tree" data-tree="embedded-guide"[^>]*'
                     r'data-state="loading"', html)
    assert 'data-question="friend">' in html
    assert "<!-- decision-tree: embedded-guide -->" not in html


def test_marker_in_a_code_block_stays_an_example(fixture_site: Path) -> None:
    """A marker inside fenced code is shown as code, not compiled."""
    html = (fixture_site / "embedded.html").read_text(encoding="utf-8")
    assert "decision-tree: not-a-tree-this-is-an-example" in html


def test_tree_no_page_embeds_gets_its_own_page(fixture_site: Path) -> None:
    """A tree dropped into decision_trees/ is published on a generated page, in the nav."""
    page = fixture_site / "guides" / "dropped-in.html"
    html = page.read_text(encoding="utf-8")
    assert 'data-tree="dropped-in"' in html
    assert "A guide nobody embedded" in html
    assert 'href="../policy/rules.html"' in html  # summary link made relative to the page
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert 'href="guides/dropped-in.html"' in home  # listed in the navigation


def test_labels_like_on_and_off_stay_text(fixture_site: Path) -> None:
    """YAML 1.2: On and Off are labels, not booleans."""
    html = (fixture_site / "guides" / "dropped-in.html").read_text(encoding="utf-8")
    assert 'data-label="On"' in html and 'data-label="Off"' in html


def test_cites_and_body_links_point_at_built_pages(fixture_site: Path) -> None:
    """Cited clauses and Markdown links in bodies resolve relative to the embedding page."""
    html = (fixture_site / "embedded.html").read_text(encoding="utf-8")
    assert 'href="policy/rules.html#keep-quiet">Rules: Keep it to yourself</a>' in html
    assert 'href="policy/rules.html#keep-quiet">the rules</a>' in html


def test_pages_without_trees_load_no_runtime(fixture_site: Path) -> None:
    """Only pages that carry a tree reference the Pyodide runtime."""
    assert "cwc-runtime" not in (fixture_site / "index.html").read_text(encoding="utf-8")
    assert "cwc-runtime.js" in (fixture_site / "embedded.html").read_text(encoding="utf-8")


def test_manifest_lists_every_tree_with_page_and_paths(fixture_site: Path) -> None:
    """decision-trees.json: each tree's title, page URL and every path."""
    data = json.loads((fixture_site / "decision-trees.json").read_text(encoding="utf-8"))
    trees = {t["id"]: t for t in data["trees"]}
    assert set(trees) == {"embedded-guide", "dropped-in"}
    assert trees["embedded-guide"]["page"] == "embedded.html"
    assert trees["dropped-in"]["page"] == "guides/dropped-in.html"
    assert trees["embedded-guide"]["paths"] == [
        {"answers": ["Yes"], "outcome": "no-telling"},
        {"answers": ["No"], "outcome": "ask"},
    ]
    assert trees["embedded-guide"]["title"] == "Can I tell my friend?"


def test_policy_pages_link_to_the_guides_that_cite_them(fixture_site: Path) -> None:
    """A cited page ends with 'Not sure what to do?' and links to each citing guide."""
    html = (fixture_site / "policy" / "rules.html").read_text(encoding="utf-8")
    assert "Not sure what to do?" in html
    assert 'href="../embedded.html"' in html
    assert 'href="../guides/dropped-in.html"' in html


def test_coverage_page_lists_clauses_and_citing_outcomes(fixture_site: Path) -> None:
    """The generated coverage page shows each clause and the outcomes that cite it."""
    html = (fixture_site / "coverage.html").read_text(encoding="utf-8")
    assert "Keep it to yourself" in html and "Can I tell my friend?: Do not tell them" in html
    assert "2 of 2 clauses" in html


def search_entries(site: Path) -> dict[str, dict]:
    """The built search index, by location."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {entry["location"]: entry for entry in index["docs"]}


@pytest.mark.parametrize(
    ("location", "tags"),
    [
        # a page an author wrote: the guide's words, then its question's and outcome's
        ("embedded.html", ["tittle-tattle", "chin wag", "pal", "boss"]),
        ("guides/dropped-in.html", ["orphan"]),  # a page the build generated
        ("policy/rules.html", ["Rules", "Keep it to yourself", "Ask first"]),  # clause titles
        ("policy/rules.html#keep-quiet", ["Rules", "Keep it to yourself", "Ask first"]),
        ("index.html", None),  # no guide, no clause: no tags
    ],
)
def test_search_index_carries_each_pages_search_words(
    fixture_site: Path, location: str, tags: list[str] | None
) -> None:
    """A guide's keywords (a clause page's titles) are its tags in the search index."""
    assert search_entries(fixture_site)[location].get("tags") == tags


def test_search_words_are_not_page_text(fixture_site: Path) -> None:
    """The keywords are in the index only: the page shows no tags and never says them."""
    html = (fixture_site / "embedded.html").read_text(encoding="utf-8")
    assert "tittle" not in html.lower() and "chin wag" not in html
    assert "md-tags" not in html


def test_board_pack_opens_with_contents_and_prints_its_margins(fixture_site: Path) -> None:
    """The built pack lists its own sections and guides, and styles its printed pages."""
    html = (fixture_site / "policy" / "board-pack.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="cwc-contents".*?</nav>', html, re.S)
    assert nav and 'href="#rules">Rules</a>' in nav.group(0)
    assert ">Can I tell my friend?</a>" in nav.group(0)  # a guide, under "The guides"
    assert "cwc-contents-slot" not in html
    assert "@bottom-right" in html and "Board pack" in html


def test_invalid_tree_fails_the_build_and_writes_no_site(project: Path, tmp_path: Path) -> None:
    """A broken tree stops the build with file:line:col errors before anything is written."""
    (project / "decision_trees" / "broken.yaml").write_text(
        "title: Broken\nstart: first\nquestions:\n  first:\n    text: Q?\n    optoins: []\n"
        "outcomes: {}\n",
        encoding="utf-8",
    )
    site = tmp_path / "site-out"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode != 0
    assert "decision_trees/broken.yaml:6:5: error:" in result.stderr
    assert "did you mean 'options'?" in result.stderr
    assert not site.exists()


def test_marker_naming_an_unknown_tree_fails_the_build(project: Path, tmp_path: Path) -> None:
    """A page that embeds a tree that does not exist stops the build at that line."""
    page = project / "docs" / "index.md"
    page.write_text(page.read_text() + "\n<!-- decision-tree: no-such-tree -->\n")
    result = build_site(tmp_path / "site-out", project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/index.md:5:1: error: no decision tree 'no-such-tree'" in result.stderr


def test_serve_watches_the_trees_folder(project: Path) -> None:
    """mkdocs serve rebuilds when a YAML file in decision_trees/ changes."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["cwc-decision-trees"]
    config.plugins.on_config(config)  # the plugin learns where its trees are

    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert str(project / "decision_trees") in server.watched


def test_an_embedded_guide_shows_its_summary_once(project: Path, tmp_path: Path) -> None:
    """What an author writes in a tree reaches the reader: a page that embeds the guide
    shows its summary at the widget's top; a generated page, once, under its title."""
    tree = project / "decision_trees" / "embedded-guide.yaml"
    tree.write_text(tree.read_text(encoding="utf-8").replace(
        "title: Can I tell my friend?\n",
        "title: Can I tell my friend?\nsummary: You can never promise to keep a secret "
        "from [the rules](policy/rules.md).\n", 1), encoding="utf-8")
    site = tmp_path / "out"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    embedded = (site / "embedded.html").read_text(encoding="utf-8")
    widget = embedded[embedded.index('<section class="decision-tree"'):]
    assert re.match(r'<section[^>]*>\s*<div class="decision-tree__summary"><p>You can never '
                    r'promise to keep a secret from <a href="policy/rules.html">the rules</a>'
                    r"\.</p>\s*</div>", widget), widget[:400]
    assert embedded.count("You can never promise") == 1
    generated = (site / "guides" / "dropped-in.html").read_text(encoding="utf-8")
    assert generated.count("It gets a page of its own.") == 1
    assert 'class="decision-tree__summary"' not in generated


def test_the_client_told_me_page_shows_the_guides_summary(built_site: Path) -> None:
    """The real page that embeds client-told-me carries its summary's words (issue 15): a guide
    embedded by its marker."""
    html = (built_site / "guides" / "client-told-me.html").read_text(encoding="utf-8")
    summary = html[html.index('<div class="decision-tree__summary">'):]
    text = " ".join(re.sub(r"<[^>]+>", " ", summary[:summary.index("</div>")]).split())
    assert text.startswith("Use this guide when a client, or a potential client, has told you")
    assert "Confidentiality is between the client and CWC" in text
