"""The volunteer induction: reading path, practice questions and acknowledgement.

No site-generator imports: the MkDocs plugin only finds the pages and hands their text in.

- the reading path: a marker line ``<!-- reading-list -->`` becomes the policy pages in
  reading order, each with a reading time computed from its text;
- the practice questions: a marker line ``<!-- practice-quiz -->`` becomes one question
  per guide, built from the guides' own ``scenarios``. The page carries each guide's
  engine data and the scenario's answers, never which choice is right: the engine works
  that out in the browser, as it does in the guide itself;
- the acknowledgement: a marker line ``<!-- acknowledgement -->`` becomes a printable
  sheet naming the policy version from ``extra.policy`` in ``mkdocs.yml``.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from build_tools.site.pages import relative_md, scan_markers
from build_tools.site.widget import (
    Cite,
    docs_link,
    environment,
    page_url_of,
    relative_url,
    rewrite_links,
)
from build_tools.trees.engine import to_fragment
from build_tools.trees.engine_data import engine_data

WORDS_PER_MINUTE = 200
"""A steady reading speed for plain prose (people read policy text no faster)."""

READING_LIST = "reading-list"
PRACTICE_QUIZ = "practice-quiz"
ACKNOWLEDGEMENT = "acknowledgement"
MARKERS = (READING_LIST, PRACTICE_QUIZ, ACKNOWLEDGEMENT)

_MARKER = re.compile(r"^ {0,3}<!--[ \t]*(?P<name>[a-z-]+)[ \t]*-->[ \t]*$")
SLOT = '<div class="cwc-induction-slot" data-induction-slot="{name}"></div>'
SLOT_HTML = re.compile(
    r'<div class="cwc-induction-slot" data-induction-slot="(?P<name>[a-z-]+)"></div>'
)

# What is not read aloud: comments, attribute lists, link targets, HTML tags, Markdown marks.
_NOT_READ = (
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\{:?\s*[#.][^}]*\}"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"<[^>]+>"),
    re.compile(r"^ {0,3}!!!.*$", re.M),
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_H1 = re.compile(r"^#\s+(.+?)\s*(?:\{[^}]*\})?\s*$", re.M)


# --- markers ---------------------------------------------------------------------------


def marker_lines(markdown: str) -> list[tuple[int, str]]:
    """(line index, name) of each induction marker outside fenced code."""
    return [
        (index, match.group("name"))
        for index, match in scan_markers(markdown, _MARKER)
        if match.group("name") in MARKERS
    ]


def has_marker(markdown: str, name: str) -> bool:
    """Whether the page carries the marker ``<!-- name -->`` (outside code)."""
    return any(found == name for _, found in marker_lines(markdown))


def replace_markers(markdown: str, replacements: Mapping[str, Callable[[], str]]) -> str:
    """Replace each marker with the Markdown its callable returns (called once per marker)."""
    lines = markdown.split("\n")
    for index, name in marker_lines(markdown):
        if name in replacements:
            lines[index] = replacements[name]()
    return "\n".join(lines)


def slot(name: str) -> str:
    """A placeholder that Markdown passes through, filled with HTML after conversion."""
    return "\n" + SLOT.format(name=name) + "\n"


# --- the reading path ------------------------------------------------------------------


def count_words(markdown: str) -> int:
    """The words a person reads on a Markdown page (no link targets, anchors or comments)."""
    text = markdown
    for pattern in _NOT_READ:
        text = pattern.sub(" ", text)
    return len(_WORD.findall(text))


def reading_minutes(markdown: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Minutes to read a page at ``words_per_minute``, rounded up, at least 1."""
    return max(1, math.ceil(count_words(markdown) / words_per_minute))


def page_title(markdown: str, default: str) -> str:
    """A page's first-level heading, or ``default``."""
    match = _H1.search(markdown)
    return match.group(1).strip() if match else default


@dataclass(frozen=True)
class ReadingItem:
    """One page of the reading path."""

    src: str
    title: str
    minutes: int


def reading_list(pages: Iterable[tuple[str, str]]) -> list[ReadingItem]:
    """The reading path from ``(src, markdown)`` pairs, in the order given."""
    return [ReadingItem(src, page_title(text, src), reading_minutes(text)) for src, text in pages]


def _minutes(n: int) -> str:
    return f"about {n} minute" + ("" if n == 1 else "s")


def render_reading_list(items: Sequence[ReadingItem], from_src: str) -> str:
    """Markdown: a numbered list of links with their reading times, then the total."""
    if not items:
        return ""
    lines = [
        f"1. [{item.title}]({relative_md(item.src, from_src)}) ({_minutes(item.minutes)})"
        for item in items
    ]
    total = sum(item.minutes for item in items)
    lines += ["", f"In all, {_minutes(total)} of reading.", ""]
    return "\n" + "\n".join(lines)


def flatten_nav(nav: Any) -> list[str]:
    """The page paths of a ``nav`` setting, in order.

    Entries may be strings, ``{title: path}`` mappings or nested sections.
    """
    found: list[str] = []
    if isinstance(nav, str):
        found.append(nav)
    elif isinstance(nav, Mapping):
        for value in nav.values():
            found += flatten_nav(value)
    elif isinstance(nav, list):
        for item in nav:
            found += flatten_nav(item)
    return found


def policy_pages(nav_order: Sequence[str], all_pages: Iterable[str], folder: str,
                 exclude: Iterable[str] = ()) -> list[str]:
    """The pages under ``folder`` to read, in nav order; all of them, sorted, if there is no nav.

    Args:
        nav_order: The page paths of the nav, in order (empty when the site has no nav).
        all_pages: The pages that exist (written by authors, not generated).
        folder: The policy's folder in docs/, e.g. ``policy``.
        exclude: Pages in that folder that are not part of the policy (editorial notes).
    """
    excluded = set(exclude)
    inside = {p for p in all_pages if p.startswith(folder.rstrip("/") + "/") and p not in excluded}
    if not nav_order:
        return sorted(inside)
    return [p for p in dict.fromkeys(nav_order) if p in inside]


# --- the practice questions ------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One choice of a practice question: an outcome title, and the outcomes that carry it.

    Guides may give two outcomes the same title (the same action, reached for different
    reasons); a reader cannot tell them apart, so they are one choice.
    """

    title: str
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    """One practice question: a guide's scenario, and that guide's outcomes as choices.

    Attributes:
        key: Unique on the page (``tree-id-N``, N the scenario's position in its file).
        tree: The guide (a :class:`build_tools.trees.model.Tree`).
        situation: The scenario's name, shown as the situation.
        answers: The scenario's answers; the engine replays them in the browser.
        choices: The guide's outcomes, one choice per title, in a stable order that does
            not give the answer away.
        walk_href: The guide page with the answers filled in (``#tree-id=answers``).
    """

    key: str
    tree: Any
    situation: str
    answers: tuple[str, ...]
    choices: tuple[Choice, ...]
    walk_href: str


def order_trees(trees: Iterable[Any], tree_pages: Mapping[str, str],
                nav_order: Sequence[str]) -> list[Any]:
    """Trees in the order their pages come in the nav; trees not in the nav last, by id."""
    position = {src: i for i, src in enumerate(dict.fromkeys(nav_order))}
    last = len(position)
    return sorted(trees, key=lambda t: (position.get(tree_pages.get(t.id, ""), last), t.id))


def select_scenarios(trees: Sequence[Any]) -> list[tuple[Any, int]]:
    """One scenario per guide, preferring situations that no other guide also tells.

    A situation two guides tell (the "Which guide do I need?" guide repeats the others')
    is asked once at most, and only when its guide has no situation of its own: the
    question should be unambiguous about which guide's outcomes answer it.

    Returns:
        ``(tree, index of the scenario in the tree's file)`` pairs, in the trees' order.
    """
    told = Counter(s.name.casefold() for tree in trees for s in tree.scenarios)
    asked: set[str] = set()
    chosen = []
    for tree in trees:
        names = [s.name.casefold() for s in tree.scenarios]
        own = [i for i, name in enumerate(names) if told[name] == 1]
        fresh = [i for i, name in enumerate(names) if name not in asked]
        if own or fresh:
            index = (own or fresh)[0]
            asked.add(names[index])
            chosen.append((tree, index))
    return chosen


def choices(tree: Any, situation: str) -> tuple[Choice, ...]:
    """A guide's outcomes as choices (one per title), shuffled by a hash of the question.

    The order is the same at every build and does not follow the guide's file, where the
    outcomes often come in the order of the questions that lead to them.
    """
    grouped: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for oid, outcome in tree.outcomes.items():
        key = " ".join(outcome.title.split()).casefold()
        grouped.setdefault(key, []).append(oid)
        titles.setdefault(key, outcome.title)

    def shuffle(key: str) -> str:
        return hashlib.sha256(f"{tree.id}\0{situation}\0{key}".encode()).hexdigest()

    return tuple(Choice(titles[k], tuple(grouped[k])) for k in sorted(grouped, key=shuffle))


def quiz_questions(trees: Iterable[Any], tree_pages: Mapping[str, str], nav_order: Sequence[str],
                   page_url: str) -> list[QuizQuestion]:
    """The practice questions for the page at ``page_url``, from the guides' scenarios."""
    questions = []
    for tree, index in select_scenarios(order_trees(trees, tree_pages, nav_order)):
        scenario = tree.scenarios[index]
        guide = page_url_of(tree_pages[tree.id])
        questions.append(QuizQuestion(
            key=f"{tree.id}-{index + 1}",
            tree=tree,
            situation=scenario.name,
            answers=tuple(scenario.answers),
            choices=choices(tree, scenario.name),
            walk_href=relative_url(f"{guide}#{to_fragment(tree.id, scenario.answers)}", page_url),
        ))
    return questions


class InductionRenderer:
    """Renders the induction's HTML for pages of one site build.

    Args:
        markdown: Renders a Markdown string to HTML with the site's own settings.
        clause_titles: ``policy/x.md#anchor`` → (page title, clause title), for citations.
    """

    def __init__(self, markdown: Callable[[str], str],
                 clause_titles: Mapping[str, tuple[str, str]]) -> None:
        self._markdown = markdown
        self._clause_titles = clause_titles

    def quiz(self, questions: Sequence[QuizQuestion], page_url: str,
             acknowledgement_url: str | None) -> str:
        """The practice questions as they go on the page at ``page_url``."""

        def md(text: str | None) -> Markup:
            return Markup(rewrite_links(self._markdown(text), page_url)) if text else Markup("")

        def cites(refs: Iterable[str]) -> list[Cite]:
            return [Cite(docs_link(ref, page_url), *self._clause_titles.get(ref, ("", ref)))
                    for ref in refs]

        continue_href = relative_url(acknowledgement_url, page_url) if acknowledgement_url else ""
        return environment().get_template("quiz.html.j2").render(
            questions=questions, engine_data=engine_data, md=md, cites=cites,
            continue_href=continue_href,
        )


def acknowledgement(policy: Mapping[str, Any], practice_url: str | None, page_url: str) -> str:
    """The printable acknowledgement, naming the policy version and its approval.

    Args:
        policy: ``extra.policy`` of ``mkdocs.yml``: ``title``, ``organisation``, ``version``,
            ``approved_by`` and ``approved_on`` (empty until the trustees approve it).
        practice_url: The practice page (site-relative URL), or None if there is none.
        page_url: The URL of the page the acknowledgement goes on.
    """
    missing = [k for k in ("title", "organisation", "version", "approved_by") if not policy.get(k)]
    if missing:
        raise ValueError(
            "the acknowledgement needs extra.policy." + ", extra.policy.".join(missing)
            + " in mkdocs.yml (the policy's document control)"
        )
    return environment().get_template("acknowledgement.html.j2").render(
        policy=policy,
        approved_on=str(policy.get("approved_on") or ""),
        practice_href=relative_url(practice_url, page_url) if practice_url else "",
    )
