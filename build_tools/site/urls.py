"""URLs between the pages of a built site (``use_directory_urls: false``), from any depth.

Guides, cites and generated pages name pages as the docs folder does (``policy/x.md#a``);
the built site has ``policy/x.html#a``, and every link is written relative to the page it
is on, so the same folder works over http and opened from ``file://``.
"""

from __future__ import annotations

import posixpath
import re

_MD_SUFFIX = re.compile(r"\.md$")
_MD_HREF = re.compile(r'(href=")([^"#:?]+\.md)((?:#[^"]*)?")')
_MD_LINK = re.compile(r"(\]\()([^)\s#:?]+\.md)((?:#[^)\s]*)?\))")


def page_url_of(src_path: str) -> str:
    """The built URL of a docs page: ``a/b.md`` → ``a/b.html``."""
    return _MD_SUFFIX.sub(".html", src_path)


def relative_url(target: str, from_page_url: str) -> str:
    """``target`` (a site-relative URL, maybe with a fragment) as seen from ``from_page_url``."""
    path, _, fragment = target.partition("#")
    base = posixpath.dirname(from_page_url) or "."
    rel = posixpath.relpath(path, base) if path else posixpath.basename(from_page_url)
    return rel + (f"#{fragment}" if fragment else "")


def docs_link(ref: str, from_page_url: str) -> str:
    """A docs-relative reference (``policy/x.md#a``) as a URL relative to a built page."""
    path, _, fragment = ref.partition("#")
    target = page_url_of(path) + (f"#{fragment}" if fragment else "")
    return relative_url(target, from_page_url)


def relative_md(target: str, from_src: str) -> str:
    """A Markdown link from one docs page to another, both relative to the docs folder."""
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_src) or ".")
    return rel + (f"#{fragment}" if fragment else "")


def rewrite_html_links(html: str, from_page_url: str) -> str:
    """Point ``href="x.md#a"`` links (written relative to docs/) at the built pages."""
    return _MD_HREF.sub(
        lambda m: m.group(1) + docs_link(m.group(2) + m.group(3)[:-1], from_page_url) + '"',
        html,
    )


def rewrite_markdown_links(markdown: str, from_src: str) -> str:
    """Make ``[text](x.md#a)`` links (written relative to docs/) relative to ``from_src``."""
    return _MD_LINK.sub(
        lambda m: m.group(1) + relative_md(m.group(2), from_src) + m.group(3), markdown
    )


def rebase_markdown_links(markdown: str, from_src: str, to_src: str) -> str:
    """Links written on the page ``from_src``, made to work on ``to_src`` (both docs-relative).

    For a page's text carried onto another page (the board pack).
    """
    def rebase(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(from_src), match.group(2)))
        return match.group(1) + relative_md(target, to_src) + match.group(3)

    return _MD_LINK.sub(rebase, markdown)
