"""Settings the theme writes into HTML attributes as they are: checked before a build.

mkdocs-material puts ``site_description`` into ``<meta name="description" content="…">``
(and ``site_name``, ``site_author``, ``repo_url``, a page's front-matter ``description``
and ``author``, and some ``extra`` and palette values into other attributes) without
escaping them. A double quote in one of them ends the attribute early and the rest of the
text falls out as stray attributes: search engines and link previews show garbage. A
``&`` that starts a character reference (``&amp;``, ``&#38;``) is read as that character.
The build refuses both, saying where and what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from build_tools.errors import BuildError, Problems, display_path

ANY = "*"
"""In a key path: any key of a mapping, any item of a list."""
CONFIG_KEYS: tuple[tuple[str, ...], ...] = (
    ("site_name",),
    ("site_description",),
    ("site_author",),
    ("repo_url",),
    ("site_url",),
    ("extra", "status", ANY),
    ("extra", "social", ANY, "link"),
    ("extra", "social", ANY, "name"),
    ("extra", "alternate", ANY, "link"),
    ("extra", "alternate", ANY, "lang"),
    ("theme", "palette", "media"),
    ("theme", "palette", "toggle", "name"),
    ("theme", "palette", ANY, "media"),
    ("theme", "palette", ANY, "toggle", "name"),
)
"""The ``mkdocs.yml`` values mkdocs-material 9 writes into attributes unescaped."""
PAGE_KEYS = ("description", "author")
"""The front-matter values it writes into ``<meta>`` attributes unescaped."""

_CHARACTER_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
QUOTE_HINT = (
    "write typographic quotes instead (“what do I do now?”), or single quotes "
    "('what do I do now?')"
)


def attribute_problem(value: str) -> tuple[str, str] | None:
    """What would go wrong with ``value`` in a double-quoted attribute, and what to do."""
    if '"' in value:
        return ("contains a double quote (\"), which ends the HTML attribute the theme "
                "writes it into, and breaks the markup of every page", QUOTE_HINT)
    found = _CHARACTER_REFERENCE.search(value)
    if found:
        return (f"contains '{found.group(0)}', which the page would show as one character "
                "(the theme writes it into an HTML attribute as it is)",
                f"write the character itself, or 'and' for '&' (not '{found.group(0)}')")
    return None


def check_config(config_file: Path, root: Path | None, problems: Problems) -> None:
    """Record a problem, with its line, for each attribute value that would break a page."""
    shown = display_path(config_file, root)
    try:
        document = yaml.compose(config_file.read_text(encoding="utf-8"),
                                Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return  # unreadable: the generator reports it better than we can
    for pattern in CONFIG_KEYS:
        for name, node in _matches(document, pattern, ()):
            found = attribute_problem(node.value)
            if found:
                message, hint = found
                position = (node.start_mark.line + 1, node.start_mark.column + 1)
                problems.fail(shown, position, f"{name} {message}", hint)


def check_page_meta(shown: str, meta: Mapping[str, Any]) -> None:
    """Refuse a page's front-matter value that would break the page's ``<meta>`` tags.

    Raises:
        BuildError: Naming the page (``shown``) and the key.
    """
    for key in PAGE_KEYS:
        value = meta.get(key)
        found = attribute_problem(value) if isinstance(value, str) else None
        if found:
            message, hint = found
            raise BuildError(f"{shown}: the front matter's '{key}' {message}", hint)


def _matches(node: yaml.Node | None, pattern: tuple[str, ...],
             at: tuple[str, ...]) -> Iterator[tuple[str, yaml.ScalarNode]]:
    """Every text value under ``node`` whose key path fits ``pattern``, with its dotted name."""
    if node is None:
        return
    if not pattern:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            yield ".".join(at), node
        return
    key, rest = pattern[0], pattern[1:]
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if key in (ANY, k.value):
                yield from _matches(v, rest, (*at, str(k.value)))
    elif isinstance(node, yaml.SequenceNode) and key == ANY:
        for index, item in enumerate(node.value):
            yield from _matches(item, rest, (*at[:-1], f"{at[-1]}[{index}]") if at else at)
