"""Render compiled decision trees into HTML with Jinja2: the widget, its outline, the manifest.

Nothing here knows about MkDocs. The caller supplies a Markdown renderer (the site's own
settings) and the URL of the page the widget goes on, so that the links in the widget
(cited clauses, links between guides) are relative to that page and work from ``file://``.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

MarkdownRenderer = Callable[[str], str]

_HREF = re.compile(r'(href=")([^"#:?]+\.md)((?:#[^"]*)?")')
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_EXTERNAL = re.compile(
    r'<a href="(?P<href>(?:https?:)?//[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.S
)
EXTERNAL_NOTE = " (opens an external site)"


def escape_raw_html(markdown: str) -> str:
    """Markdown written in a tree, with any raw HTML shown as text rather than kept as markup.

    Python-Markdown passes raw HTML (``<script>`` too) straight through; authors write
    Markdown, so every ``<`` outside a code span becomes ``&lt;`` (code spans escape their
    own text).
    """
    out, last = [], 0
    for match in _CODE_SPAN.finditer(markdown):
        out.append(markdown[last:match.start()].replace("<", "&lt;"))
        out.append(match.group())
        last = match.end()
    out.append(markdown[last:].replace("<", "&lt;"))
    return "".join(out)


def mark_external_links(html: str) -> str:
    """Links to other sites get ``rel="noopener noreferrer"`` and say they leave the site."""

    def mark(match: re.Match[str]) -> str:
        rest = re.sub(r'\srel="[^"]*"', "", match.group("rest"))
        return (
            f'<a href="{match.group("href")}"{rest} rel="noopener noreferrer" '
            f'class="cwc-external">{match.group("text")}'
            f'<span class="decision-tree__vh">{EXTERNAL_NOTE}</span></a>'
        )

    return _EXTERNAL.sub(mark, html)


@dataclass(frozen=True)
class Cite:
    """A cited clause, ready for a template: its link and the words a person reads."""

    href: str
    page_title: str
    title: str


@cache
def environment() -> jinja2.Environment:
    """The package's Jinja2 environment: strict about undefined names, autoescaping."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_tools.site", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson_script"] = tojson_script
    return env


def tojson_script(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def page_url_of(src_path: str) -> str:
    """The built URL of a docs page (``use_directory_urls: false``): ``a/b.md`` → ``a/b.html``."""
    return re.sub(r"\.md$", ".html", src_path)


def relative_url(target: str, from_page_url: str) -> str:
    """``target`` (a site-relative URL) as seen from the page at ``from_page_url``."""
    path, _, fragment = target.partition("#")
    base = posixpath.dirname(from_page_url) or "."
    rel = posixpath.relpath(path, base) if path else posixpath.basename(from_page_url)
    return rel + (f"#{fragment}" if fragment else "")


def docs_link(ref: str, from_page_url: str) -> str:
    """A docs-root-relative link (``policy/x.md#a``) as a URL relative to a built page."""
    path, _, fragment = ref.partition("#")
    target = page_url_of(path) + (f"#{fragment}" if fragment else "")
    return relative_url(target, from_page_url)


def rewrite_links(html: str, from_page_url: str) -> str:
    """Point ``href="x.md#a"`` links (written relative to docs/) at the built pages."""
    return _HREF.sub(
        lambda m: m.group(1) + docs_link(m.group(2) + m.group(3)[:-1], from_page_url) + '"',
        html,
    )


class TreeRenderer:
    """Renders the HTML of decision trees for pages of one site build.

    Args:
        markdown: Renders a Markdown string to HTML with the site's own settings.
        clause_titles: ``policy/x.md#anchor`` → (page title, clause title), for citations.
    """

    def __init__(
        self, markdown: MarkdownRenderer, clause_titles: Mapping[str, tuple[str, str]]
    ) -> None:
        self._markdown = markdown
        self._clause_titles = clause_titles
        self._converted: dict[str, str] = {}

    def _md(self, text: str | None, page_url: str) -> Markup:
        if not text:
            return Markup("")
        # Each outcome body shows twice (its step and the outline): convert it once.
        if text not in self._converted:
            self._converted[text] = mark_external_links(self._markdown(escape_raw_html(text)))
        return Markup(rewrite_links(self._converted[text], page_url))

    def _cites(self, refs: Iterable[str], page_url: str) -> list[Cite]:
        cites = []
        for ref in refs:
            page_title, title = self._clause_titles.get(ref, ("", ref))
            cites.append(Cite(docs_link(ref, page_url), page_title, title))
        return cites

    def _context(self, tree: Any, page_url: str) -> dict[str, Any]:
        return {
            "tree": tree,
            "md": lambda text: self._md(text, page_url),
            "cites": lambda refs: self._cites(refs, page_url),
            "dom_id": lambda kind, node: f"dt-{tree.id}-{kind}-{node}",
        }

    def widget(self, tree: Any, engine_data: Mapping[str, Any], page_url: str) -> str:
        """The whole widget for one tree, as it goes on the page at ``page_url``."""
        template = environment().get_template("widget.html.j2")
        return template.render(data=engine_data, **self._context(tree, page_url))

    def outline(self, tree: Any, page_url: str) -> str:
        """Only the text version of a tree (for the printable board pack)."""
        template = environment().get_template("outline.html.j2")
        return template.render(**self._context(tree, page_url))


def manifest(entries: Iterable[Mapping[str, Any]]) -> str:
    """``decision-trees.json``: each tree's title, page and every path."""
    return json.dumps({"trees": list(entries)}, ensure_ascii=False, indent=2) + "\n"
