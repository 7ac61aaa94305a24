"""The docs pages of a build: the anchors each one has, and the policy's clauses.

One source for both. Each page is rendered with Python-Markdown and the site's own
settings (``toc`` gives headings their slugs, ``attr_list`` gives any element an explicit
``{ #id }``) and read once:

- its **anchors**: every ``id`` in the HTML, so a cite resolves here exactly when its link
  lands on the page in the browser;
- its **clauses** (pages under the policy folder): every heading below the page title and
  every list item or paragraph that has an id, with the words a person would call it (the
  heading's or the item's text). The widget labels citations with them; the coverage page
  lists them.

Pages are rendered the first time someone asks, and cached by path, size and modification
time, so a rebuild after a YAML edit renders nothing again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from build_tools.errors import BuildError
from build_tools.site.markdown import MarkdownSettings, render_page


@dataclass(frozen=True)
class Clause:
    """One citable place in the policy.

    Attributes:
        page: Path of the Markdown page relative to the docs folder (``policy/x.md``).
        anchor: The id (without ``#``).
        title: The heading or list-item text.
        page_title: The page's first-level heading.
    """

    page: str
    anchor: str
    title: str
    page_title: str

    @property
    def ref(self) -> str:
        """The clause as a ``cites`` entry: ``page.md#anchor``."""
        return f"{self.page}#{self.anchor}"


@dataclass(frozen=True)
class PageInfo:
    """What one rendered page holds: its title, every id, and its candidate clauses."""

    title: str
    ids: frozenset[str]
    parts: tuple[tuple[str, str], ...]
    """(id, text) of each heading below the title, and of each list item or paragraph with an id."""


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CLAUSE_TAGS = _HEADINGS | {"li", "p", "dt", "dd"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"}
_SPACE = re.compile(r"\s+")


class _Reader(HTMLParser):
    """Collects every id, the first h1's text, and the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.title = ""
        self.parts: list[tuple[str, str]] = []
        self._open: list[tuple[str, str | None, list[str]]] = []  # tag, id, text
        self._skip = 0  # inside a heading's permalink, or a list nested in an item

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        element_id = values.get("id")
        if element_id:
            self.ids.add(element_id)
        if tag in _VOID:
            return
        classes = (values.get("class") or "").split()
        nested = tag in ("ul", "ol") and any(t == "li" for t, _, _ in self._open)
        if self._skip or "headerlink" in classes or nested:
            self._skip += 1
            return
        if tag in _CLAUSE_TAGS and (element_id or tag == "h1"):
            self._open.append((tag, element_id, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._skip:
            self._skip -= 1
            return
        if self._open and self._open[-1][0] == tag:
            _, element_id, text = self._open.pop()
            words = _SPACE.sub(" ", "".join(text)).strip()
            if tag == "h1":
                self.title = self.title or words
            elif element_id:
                self.parts.append((element_id, words))

    def handle_data(self, data: str) -> None:
        if not self._skip and self._open:
            self._open[-1][2].append(data)


def read_html(html: str) -> PageInfo:
    """The title, ids and clause candidates of a page's HTML."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return PageInfo(reader.title, frozenset(reader.ids), tuple(reader.parts))


def html_ids(html: str, *, with_names: bool = False) -> set[str]:
    """Every ``id`` in an HTML text (and every ``name``, which a fragment can also target)."""
    ids = set(read_html(html).ids)
    if with_names:
        ids |= set(re.findall(r'\sname="([^"]+)"', html))
    return ids


_cache: dict[tuple[str, int, int, str], PageInfo] = {}


class DocsIndex(Mapping[str, set[str]]):
    """Every Markdown page of a docs folder → its anchors (rendered when first asked for).

    Args:
        docs_dir: The docs folder.
        settings: The site's Markdown settings.
    """

    def __init__(self, docs_dir: Path, settings: MarkdownSettings) -> None:
        if not docs_dir.is_dir():
            raise BuildError(f"{docs_dir}: the docs folder does not exist",
                             "pass the folder that holds the policy's Markdown pages")
        self.docs_dir = docs_dir
        self.settings = settings
        self._pages = {
            page.relative_to(docs_dir).as_posix(): page for page in sorted(docs_dir.rglob("*.md"))
        }

    def info(self, name: str) -> PageInfo:
        """The rendered page ``name`` (relative to the docs folder)."""
        page = self._pages[name]
        stat = page.stat()
        key = (str(page.resolve()), stat.st_mtime_ns, stat.st_size, self.settings.key)
        if key not in _cache:
            html = render_page(page.read_text(encoding="utf-8"), self.settings)
            _cache[key] = read_html(html)
        return _cache[key]

    def __getitem__(self, name: str) -> set[str]:
        return set(self.info(name).ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    def clauses(self, folder: str, exclude: tuple[str, ...] = ()) -> list[Clause]:
        """Every clause on the pages under ``folder`` (not ``exclude``), by page name, in order."""
        found = []
        for name in self._pages:
            if not name.startswith(folder.rstrip("/") + "/") or name in exclude:
                continue
            info = self.info(name)
            found += [Clause(name, anchor, title, info.title) for anchor, title in info.parts]
        return found

    def explain_missing_anchor(self, page: str, anchor: str) -> str | None:
        """Say why ``{ #anchor }`` written in ``page`` gives no anchor, if it is written there."""
        try:
            text = (self.docs_dir / page).read_text(encoding="utf-8")
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
