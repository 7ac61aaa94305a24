"""Markdown for the site layer, with the site's own settings: one converter, one set of rules.

- :class:`MarkdownSettings` are the extensions and their options (``mkdocs.yml``'s
  ``markdown_extensions``), so text rendered here looks as the pages around it do.
- :class:`GuideMarkdown` renders the Markdown authors write in guides (summaries, help,
  bodies, good practice) and in the site's data files: raw HTML is shown as text, links to
  other sites say they leave the site, links to docs pages point at the built pages. The
  widget, the text version, the board pack, the practice questions and the contact pages
  all use it, so a text renders the same, and as safely, wherever it appears.
- :func:`render_page` renders a whole docs page (raw HTML allowed: the site's own pages).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import markdown as markdown_lib
from markupsafe import Markup

from build_tools.site.urls import rewrite_html_links

_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_EXTERNAL = re.compile(
    r'<a href="(?P<href>(?:https?:)?//[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.S
)
EXTERNAL_NOTE = " (opens an external site)"
VISUALLY_HIDDEN = "decision-tree__vh"


@dataclass(frozen=True)
class MarkdownSettings:
    """Python-Markdown extensions and their options, as the site uses them.

    The default is MkDocs' own (``toc``, ``tables``, ``fenced_code``, always on) and
    ``attr_list``, which gives clauses their anchors.
    """

    extensions: tuple[Any, ...] = ("toc", "tables", "fenced_code", "attr_list")
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def converter(self) -> markdown_lib.Markdown:
        """A new Python-Markdown converter with these settings."""
        configs = {name: dict(options) for name, options in self.configs.items()}
        return markdown_lib.Markdown(extensions=list(self.extensions), extension_configs=configs)

    @property
    def key(self) -> str:
        """A text that changes when the settings do (for caches)."""
        return repr((self.extensions, sorted((k, sorted(v.items())) for k, v in
                                             self.configs.items())))


def escape_raw_html(markdown: str) -> str:
    """Markdown with any raw HTML shown as text rather than kept as markup.

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
            f'<span class="{VISUALLY_HIDDEN}">{EXTERNAL_NOTE}</span></a>'
        )

    return _EXTERNAL.sub(mark, html)


class GuideMarkdown:
    """Renders authors' Markdown for pages of one build (raw HTML shown as text).

    Args:
        settings: The site's Markdown settings.
    """

    def __init__(self, settings: MarkdownSettings) -> None:
        converter = settings.converter()

        @cache
        def convert(text: str) -> str:
            # The same texts (an outcome's body) appear on several pages: convert each once.
            return mark_external_links(converter.reset().convert(escape_raw_html(text)))

        self._convert = convert

    def html(self, text: str | None, page_url: str) -> Markup:
        """``text`` as HTML for the page at ``page_url`` (empty for no text)."""
        if not text:
            return Markup("")
        return Markup(rewrite_html_links(self._convert(text), page_url))


def render_page(text: str, settings: MarkdownSettings) -> str:
    """A whole docs page as HTML (the site's own page: raw HTML is kept)."""
    return _page_converter(settings).reset().convert(text)


_converters: dict[str, markdown_lib.Markdown] = {}


def _page_converter(settings: MarkdownSettings) -> markdown_lib.Markdown:
    if settings.key not in _converters:
        _converters[settings.key] = settings.converter()
    return _converters[settings.key]
