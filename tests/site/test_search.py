"""Search words: guides' keywords and clause titles become a page's tags (site/search.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from build_tools.site.anchors import Clause
from build_tools.site.search import clause_words, guide_words, unique, with_tags
from tests.helpers import real_trees


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["WhatsApp", "whatsapp", " WhatsApp "], ["WhatsApp"]),  # first spelling kept
        (["lost", "", "  ", "stolen"], ["lost", "stolen"]),  # blanks dropped
        (["end my life", "End My Life", "overdose"], ["end my life", "overdose"]),
    ],
)
def test_unique_keeps_each_word_once(words: list[str], expected: list[str]) -> None:
    """Words compare without case or surrounding space; order is kept."""
    assert unique(words) == expected


@pytest.mark.parametrize(
    ("meta", "words", "expected"),
    [
        ({}, ["suicide"], {"tags": ["suicide"]}),
        ({"title": "T"}, [], {"title": "T"}),  # nothing to add: unchanged
        ({"tags": ["Mine", "suicide"]}, ["Suicide", "overdose"],
         {"tags": ["Mine", "suicide", "overdose"]}),  # the author's tags first
        ({"tags": "not a list"}, ["lost"], {"tags": ["lost"]}),  # the theme ignores a string
        ({"search": {"boost": 2}}, ["lost"], {"search": {"boost": 2}, "tags": ["lost"]}),
    ],
)
def test_with_tags_adds_words_to_the_front_matter(
    meta: dict[str, Any], words: list[str], expected: dict[str, Any]
) -> None:
    """The page's own front matter stays; the words join its tags."""
    before = copy.deepcopy(meta)
    assert with_tags(meta, words) == expected
    assert meta == before  # a new dict: the page's own is not changed


def test_clause_words_are_the_page_title_then_each_clause() -> None:
    """A policy page is found by its title and the titles of its clauses."""
    clauses = [Clause("policy/p.md", "a", "If you are subpoenaed", "Police and courts"),
               Clause("policy/p.md", "b", "Support from CWC", "Police and courts")]
    assert clause_words(clauses) == ["Police and courts", "If you are subpoenaed",
                                     "Support from CWC"]
    assert clause_words([]) == []


def test_guide_words_cover_the_guide_its_questions_and_its_outcomes() -> None:
    """Every keyword of a real guide is among its search words, the guide's own first."""
    for tree in real_trees():
        words = {w.casefold() for w in guide_words([tree])}
        written = [*tree.keywords, *(w for q in tree.questions.values() for w in q.keywords),
                   *(w for o in tree.outcomes.values() for w in o.keywords)]
        assert {w.strip().casefold() for w in written} == words, tree.id
        assert guide_words([tree])[: len(unique(tree.keywords))] == unique(tree.keywords)
