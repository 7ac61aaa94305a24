"""The site's navigation as ``mkdocs.yml`` writes it: page order, and guides added to it.

A nav is a list whose entries are a page path (``a.md``), ``{title: path}``, or
``{section title: [entries]}``. Nothing here needs a generator's own nav objects: the
adapter hands the written nav in and gets one back, before the generator builds its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


def nav_pages(nav: Any) -> list[str]:
    """The Markdown pages a nav names, in order (links to other sites left out)."""
    found: list[str] = []
    if isinstance(nav, str):
        if nav.endswith(".md"):
            found.append(nav)
    elif isinstance(nav, Mapping):
        for value in nav.values():
            found += nav_pages(value)
    elif isinstance(nav, list | tuple):
        for item in nav:
            found += nav_pages(item)
    return found


def with_pages(nav: Any, pages: Iterable[str], section: str) -> Any:
    """The nav with every page in ``pages`` that it does not name added under ``section``.

    The section is the top-level ``{section: [...]}`` entry, made at the end if there is
    none. A site without a nav (None) gets None back: the generator lists every page.
    """
    if nav is None:
        return None
    listed = set(nav_pages(nav))
    missing = sorted(set(pages) - listed)
    if not missing:
        return nav
    out = list(nav)
    for index, item in enumerate(out):
        if isinstance(item, Mapping) and list(item) == [section] and isinstance(
            item[section], list
        ):
            out[index] = {section: [*item[section], *missing]}
            return out
    return [*out, {section: missing}]


def in_nav_order[T](items: Iterable[T], page_of: Callable[[T], str],
                 nav_order: Sequence[str]) -> list[T]:
    """Items in the order their pages come in the nav; the rest last, in the order given."""
    position = {src: i for i, src in enumerate(dict.fromkeys(nav_order))}
    indexed = list(enumerate(items))
    last = len(position)
    indexed.sort(key=lambda pair: (position.get(page_of(pair[1]), last), pair[0]))
    return [item for _, item in indexed]
