"""Points for the Board's review: where the approved text has aged or has gaps, beside the text.

The policy's words never change on the site (a test keeps them as the charity approved
them), so what a review finds sits beside them. The points live in one data file
(``docs/policy/review-points.yml``)::

    points:
      - id: data-protection-act            # its anchor on the review page: #rp-<id>
        title: The law named has been replaced
        kind: law                          # law, gap, clarity or wording
        clauses:                           # the clauses it is about, first the main one
          - policy/storage-of-information.md#data-protection
        point: The policy names the Data Protection Act 1998 …
        why: …                             # why it matters
        suggestion: …                      # a suggested direction for the Board

Every clause is checked against the policy's clause anchors (an unknown one stops the
build with file, line and column). The texts are Markdown, with links written relative
to the docs folder as in the guides. They show:

- on the review page (marker ``<!-- review-points -->``), grouped by policy page and
  numbered in the policy's order, each linked to its clause;
- beside each clause they are about, as a collapsed "Note for reviewers" (a ``<details>``
  left out of the search index) that volunteers can pass over;
- in the board pack, which opens with them, with a one-line pointer beside each clause;
- as a count on the coverage page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from build_tools.errors import Problems, did_you_mean
from build_tools.site.anchors import Clause
from build_tools.site.markdown import GuideMarkdown, escape_raw_html
from build_tools.site.urls import relative_md, relative_url, rewrite_markdown_links
from build_tools.site.widget import environment
from build_tools.trees.model import Id, Loc, Text, _Strict
from build_tools.trees.validate import read_model

KINDS: dict[str, str] = {
    "law": "The law or its terms have changed",
    "gap": "Not covered by the policy",
    "clarity": "Unclear or inconsistent",
    "wording": "Wording kept as written",
}
"""What each kind of point is, as the pages say it."""

ANCHOR_PREFIX = "rp-"
"""A point's anchor on the review page (and in the board pack): ``rp-<id>``."""


class ReviewPoint(_Strict):
    """One point for the Board's review."""

    id: Id
    title: Text = Field(description="The point in a few words (a heading).")
    kind: Literal["law", "gap", "clarity", "wording"]
    clauses: list[Text] = Field(min_length=1, description=(
        "The clauses it is about, the main one first: 'policy/x.md#anchor'."))
    point: Text = Field(description="What the review found. Markdown.")
    why: Text = Field(description="Why it matters. Markdown.")
    suggestion: Text = Field(description="A suggested direction for the Board. Markdown.")


class ReviewPointsFile(_Strict):
    """``docs/policy/review-points.yml``."""

    points: list[ReviewPoint] = Field(min_length=1)


def _owner(loc: Loc) -> tuple[str, Any] | None:
    match loc:
        case ():
            return "the review points file", ReviewPointsFile
        case ("points", int(i)):
            return f"review point {i + 1}", ReviewPoint
    return None


@dataclass(frozen=True)
class CheckedPoint:
    """A review point whose clauses all exist, with its number in the policy's order."""

    number: int
    point: ReviewPoint
    clauses: tuple[Clause, ...]

    @property
    def anchor(self) -> str:
        """Its anchor on the review page and in the board pack."""
        return ANCHOR_PREFIX + self.point.id

    @property
    def label(self) -> str:
        """``3. The law named has been replaced``."""
        return f"{self.number}. {self.point.title}"


def load_review_points(path: Path, shown: str, clauses: Sequence[Clause],
                       page_order: Sequence[str], problems: Problems,
                       explain: Callable[[str, str], str | None] | None = None,
                       ) -> list[CheckedPoint]:
    """Read and check the review points; record every problem with its place.

    Args:
        path: The file.
        shown: Its name in messages.
        clauses: Every clause of the policy, in page order.
        page_order: The policy pages in reading order (the points are numbered in it).
        problems: Where problems go.
        explain: ``DocsIndex.explain_missing_anchor``, for a hint about a misplaced anchor.
    """
    read = read_model(path, shown, ReviewPointsFile, problems, _owner)
    if read is None:
        return []
    content, where = read
    by_ref = {c.ref: c for c in clauses}
    anchors: dict[str, list[str]] = {}
    for c in clauses:
        anchors.setdefault(c.page, []).append(c.anchor)
    seen: dict[str, int] = {}
    found: list[tuple[ReviewPoint, tuple[Clause, ...]]] = []
    for i, point in enumerate(content.points):
        name = f"review point '{point.id}'"
        if point.id in seen:
            problems.fail(shown, where.value(("points", i, "id")), f"{name} is also point "
                          f"{seen[point.id]}", "give each point its own id")
        seen.setdefault(point.id, i + 1)
        named: list[Clause] = []
        for j, ref in enumerate(point.clauses):
            at = where.value(("points", i, "clauses", j))
            page, hash_, anchor = ref.partition("#")
            if not hash_ or not page.endswith(".md") or not anchor:
                problems.fail(shown, at, f"{name}: '{ref}' does not name a page and a clause",
                              "write the page's path under docs/ and the clause's anchor, "
                              "e.g. 'policy/exceptions.md#illegal-act'")
            elif page not in anchors:
                problems.fail(shown, at, f"{name} names '{page}', which is not a page of the "
                              "policy", did_you_mean(page, sorted(anchors),
                                                     fallback="the policy's pages are"))
            elif ref not in by_ref:
                hint = explain(page, anchor) if explain else None
                problems.fail(shown, at, f"{name} names '{ref}', but '{page}' has no clause "
                              f"'#{anchor}'", hint or did_you_mean(
                                  anchor, anchors[page], fallback="its clauses are"))
            elif by_ref[ref] in named:
                problems.fail(shown, at, f"{name} names '{ref}' twice", "keep one of them")
            else:
                named.append(by_ref[ref])
        if len(named) == len(point.clauses):
            found.append((point, tuple(named)))
    order = {page: i for i, page in enumerate(dict.fromkeys([*page_order,
                                                              *(c.page for c in clauses)]))}
    place = {c.ref: (order[c.page], i) for i, c in enumerate(clauses)}
    found.sort(key=lambda pair: place[pair[1][0].ref])  # stable: file order within a clause
    return [CheckedPoint(n, point, named) for n, (point, named) in enumerate(found, start=1)]


def points_by_clause(points: Sequence[CheckedPoint]) -> dict[str, list[CheckedPoint]]:
    """Clause ref (``policy/x.md#a``) → the points about it, in number order."""
    found: dict[str, list[CheckedPoint]] = {}
    for point in points:
        for clause in point.clauses:
            found.setdefault(clause.ref, []).append(point)
    return found


# -- the review page ---------------------------------------------------------------------


def _quoted(clause: Clause) -> str:
    return f"“{escape_raw_html(clause.title)}”"


def review_page_markdown(points: Sequence[CheckedPoint], src: str, level: int,
                         in_page: bool = False) -> str:
    """The review points as Markdown for the page at ``src``, grouped by policy page.

    Args:
        points: The checked points, in number order.
        src: The page they go on (docs-relative).
        level: The heading level of the groups (the points take the next one).
        in_page: The policy itself is on the same page (the board pack): clause links are
            to ``#anchor`` in the page.
    """

    def link(clause: Clause) -> str:
        target = f"#{clause.anchor}" if in_page else relative_md(clause.ref, src)
        return f"[{_quoted(clause)}]({target})"

    def text(markdown: str) -> str:
        return escape_raw_html(rewrite_markdown_links(markdown.strip(), src))

    group, point_level = "#" * min(level, 6), "#" * min(level + 1, 6)
    clauses = {c.ref for p in points for c in p.clauses}
    out = [f"**{len(points)} points** for the Board, on {len(clauses)} clauses. Each says "
           "what was found, why it matters and a direction the Board may wish to consider; "
           "none of them changes the policy until the Board decides.", ""]
    page = None
    for point in points:
        main = point.clauses[0]
        if main.page != page:
            page = main.page
            slug = page.rsplit("/", 1)[-1].removesuffix(".md")
            out += [f"{group} Points on “{escape_raw_html(main.page_title)}” "
                    f"{{#{ANCHOR_PREFIX}page-{slug}}}", ""]
        out += [f"{point_level} {point.number}. {escape_raw_html(point.point.title)} "
                f"{{#{point.anchor}}}", ""]
        about = link(main)
        if len(point.clauses) > 1:
            about += "; also " + ", ".join(
                link(c) + (f" ({escape_raw_html(c.page_title)})" if c.page != main.page else "")
                for c in point.clauses[1:])
        out += [f"*{KINDS[point.point.kind]}.* About {about}.", "",
                text(point.point.point), "",
                "**Why it matters.** " + text(point.point.why), "",
                "**Suggested direction.** " + text(point.point.suggestion), ""]
    return "\n" + "\n".join(out) + "\n"


def coverage_note(points: Sequence[CheckedPoint], review_src: str | None, src: str) -> str:
    """A sentence for the coverage page: how many points, on how many clauses ('' if none)."""
    if not points:
        return ""
    clauses = {c.ref for p in points for c in p.clauses}
    where = (f": see [Points for the Board's review]({relative_md(review_src, src)})"
             if review_src else "")
    return (f"**{len(points)} points for the Board's review** are about {len(clauses)} of "
            f"these clauses{where}.")


# -- beside the clauses ------------------------------------------------------------------


class NoteRenderer:
    """The "Note for reviewers" beside a clause, and the board pack's one-line pointer.

    Args:
        markdown: The site's renderer for authors' Markdown.
    """

    def __init__(self, markdown: GuideMarkdown) -> None:
        self._markdown = markdown

    def note(self, points: Sequence[CheckedPoint], page_url: str,
             review_url: str | None) -> str:
        """The collapsed note for one clause, on the page at ``page_url``."""
        return environment().get_template("review_note.html.j2").render(
            points=points, kinds=KINDS,
            md=lambda text: self._markdown.html(text, page_url),
            href=lambda p: relative_url(f"{review_url}#{p.anchor}", page_url)
            if review_url else "",
        )

    def pointer(self, points: Sequence[CheckedPoint], href: Any) -> str:
        """The board pack's line beside a clause: which points are about it, linked."""
        return environment().get_template("review_pointer.html.j2").render(
            points=points, href=href)


_BODY = {"p", "ul", "ol", "dl", "table", "blockquote", "pre"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_ITEMS = {"li", "dd"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _Places(HTMLParser):
    """Finds where the content beside each wanted clause goes.

    - a heading: after the paragraphs, lists and tables that follow it at its level, up
      to the next heading or anything else (a note, a box);
    - a list item: at its end, inside it (after any list nested in it);
    - a paragraph: just after it.
    """

    def __init__(self, html: str, wanted: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.wanted = wanted
        self.places: dict[str, int] = {}
        self._lines = [0] + [i + 1 for i, ch in enumerate(html) if ch == "\n"]
        self._open: list[tuple[str, str | None]] = []
        self._heading: tuple[str, int, int] | None = None  # anchor, depth, end of the body

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _end_of_tag(self) -> int:
        return self.html.index(">", self._offset()) + 1

    def _settle(self) -> None:
        if self._heading is not None:
            anchor, _, end = self._heading
            self.places.setdefault(anchor, end)
            self._heading = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        depth = len(self._open)
        if self._heading is not None and depth == self._heading[1] and tag not in _BODY:
            self._settle()
        self._open.append((tag, dict(attrs).get("id")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(t == tag for t, _ in self._open):
            return
        while self._open:
            open_tag, element_id = self._open.pop()
            if open_tag == tag:
                break
        depth = len(self._open)
        if self._heading is not None and depth < self._heading[1]:
            self._settle()  # the heading's parent ends
        if self._heading is not None and depth == self._heading[1] and tag in _BODY:
            self._heading = (self._heading[0], depth, self._end_of_tag())
        if element_id not in self.wanted:
            return
        if tag in _ITEMS:
            self.places.setdefault(element_id, self._offset())
        elif tag in _HEADINGS:
            self._settle()
            self._heading = (element_id, depth, self._end_of_tag())
        else:
            self.places.setdefault(element_id, self._end_of_tag())

    def close(self) -> None:
        super().close()
        self._settle()


def insert_beside(html: str, beside: Mapping[str, str]) -> str:
    """``html`` with ``beside[id]`` placed after the clause whose element has that id.

    Ids that are not in the page are left out.
    """
    if not beside:
        return html
    finder = _Places(html, set(beside))
    finder.feed(html)
    finder.close()
    out, last = [], 0
    ordered = sorted(finder.places.items(), key=lambda pair: pair[1])
    for element_id, offset in ordered:
        out += [html[last:offset], beside[element_id]]
        last = offset
    out.append(html[last:])
    return "".join(out)

