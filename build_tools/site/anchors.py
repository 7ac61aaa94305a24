"""The Markdown pages of a docs folder and the anchors each one has.

Anchors are found the way the site gets them: each page is rendered with Python-Markdown
and the same extensions as ``mkdocs.yml`` (``toc`` gives headings their slugs, with
``_1``, ``_2`` … for repeats; ``attr_list`` gives any element an explicit ``{ #id }``),
and every ``id`` in the HTML is collected. So a cite resolves here exactly when its link
lands on the page in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path

MARKDOWN_EXTENSIONS = (
    "toc",
    "attr_list",
    "admonition",
    "def_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.superfences",
)
"""The extensions of ``mkdocs.yml`` that can give an element an id."""

_cache: dict[tuple[str, int, int, tuple[str, ...]], set[str]] = {}


class _PageAnchors(Mapping[str, set[str]]):
    """Every page of a docs folder, its anchors rendered only when someone asks for them.

    Cites name a handful of pages; rendering every page (with code highlighting in the
    authors' guide) would cost more than all the rest of the checks.
    """

    def __init__(self, docs_dir: Path, extensions: tuple[str, ...]) -> None:
        self._pages = {
            page.relative_to(docs_dir).as_posix(): page for page in sorted(docs_dir.rglob("*.md"))
        }
        self._extensions = extensions
        self._renderer: object | None = None

    def __getitem__(self, name: str) -> set[str]:
        page = self._pages[name]
        stat = page.stat()
        key = (str(page.resolve()), stat.st_mtime_ns, stat.st_size, self._extensions)
        if key not in _cache:
            self._renderer = self._renderer or _markdown(self._extensions)
            _cache[key] = page_anchors(page.read_text(encoding="utf-8"), self._renderer)
        return _cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


def collect_anchors(
    docs_dir: Path, extensions: tuple[str, ...] = MARKDOWN_EXTENSIONS
) -> Mapping[str, set[str]]:
    """Return ``{page path relative to docs_dir (POSIX): set of anchors}`` for every page.

    Each page is rendered the first time its anchors are looked up, and cached by path,
    size and modification time, so a rebuild after a YAML edit does not render it again.
    """
    return _PageAnchors(docs_dir, extensions)


def page_anchors(text: str, renderer: object | None = None) -> set[str]:
    """Return the anchors of one page's Markdown ``text``."""
    md = renderer or _markdown(MARKDOWN_EXTENSIONS)
    md.reset()  # type: ignore[attr-defined]
    return html_ids(md.convert(text))  # type: ignore[attr-defined]


def slugify(value: str, separator: str = "-") -> str:
    """Python-Markdown's default ``toc`` slug: ``Serious harm!`` → ``serious-harm``.

    Shown here for reference and for the tests; anchors themselves come from rendering.
    """
    from markdown.extensions.toc import slugify as markdown_slugify

    return markdown_slugify(value, separator)


def explain_missing_anchor(docs_dir: Path, page: str, anchor: str) -> str | None:
    """Say why ``{ #anchor }`` written in ``page`` gives no anchor, if it is written there."""
    try:
        text = (docs_dir / page).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(r"\{:?[^}\n]*#" + re.escape(anchor) + r"[\s}]")
    for line in text.splitlines():
        if pattern.search(line) and line.lstrip().startswith(("-", "*", "+", "1")):
            return (f"'{page}' writes '#{anchor}' at the end of a list item, where Markdown "
                    "ignores it: put '{ #" + anchor + " }' on a line of its own below the "
                    "item's text, indented like the text")
        if pattern.search(line):
            return (f"'{page}' writes '#{anchor}', but Markdown does not turn it into an "
                    "anchor there: put it at the end of a heading, or on a line of its own "
                    "below a paragraph")
    return None


def _markdown(extensions: tuple[str, ...]) -> object:
    import markdown

    return markdown.Markdown(extensions=list(extensions))


class _IdCollector(HTMLParser):
    def __init__(self, attributes: tuple[str, ...] = ("id",)) -> None:
        super().__init__()
        self.attributes = attributes
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.attributes and value:
                self.ids.add(value)


def html_ids(html: str, *, with_names: bool = False) -> set[str]:
    """Every ``id`` in an HTML text (and every ``name``, which a fragment can also target)."""
    collector = _IdCollector(("id", "name") if with_names else ("id",))
    collector.feed(html)
    return collector.ids
