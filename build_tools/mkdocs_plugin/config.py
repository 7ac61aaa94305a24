"""Typed configuration of the ``cwc-decision-trees`` MkDocs plugin (see SiteSettings)."""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from build_tools.site.settings import SiteSettings

_DEFAULTS = SiteSettings.__dataclass_fields__


def _default(name: str) -> Any:
    return _DEFAULTS[name].default


class DecisionTreesConfig(Config):
    """Options under ``plugins: - cwc-decision-trees:`` in ``mkdocs.yml``."""

    trees_dir = c.Type(str, default="decision_trees")
    """Folder of decision-tree YAML files, relative to mkdocs.yml."""
    guides_dir = c.Type(str, default=_default("guides_dir"))
    """Docs folder where pages for trees that no page embeds are generated."""
    nav_section = c.Type(str, default=_default("nav_section"))
    """Navigation section that lists every guide page not already in the nav."""
    clauses_dir = c.Type(str, default=_default("clauses_dir"))
    """Docs folder whose anchored headings and list items are the policy's clauses."""
    coverage_exclude = c.ListOfItems(c.Type(str), default=list(_default("coverage_exclude")))
    """Pages under ``clauses_dir`` that hold no clauses (left off the coverage page)."""
    coverage_page = c.Type(str, default=_default("coverage_page"))
    """Where the generated clause-coverage page goes ('' for none)."""
    board_pack_page = c.Type(str, default=_default("board_pack_page"))
    """Where the printable board pack goes ('' for none); keep it in ``clauses_dir``."""
    board_pack_extra = c.ListOfItems(c.Type(str), default=list(_default("board_pack_extra")))
    """Other pages the board pack carries after the policy, in order."""
    contacts_file = c.Type(str, default=_default("contacts_file"))
    """The contacts file, relative to the docs folder."""
    quiz_file = c.Type(str, default=_default("quiz_file"))
    """The practice questions, relative to the docs folder."""
    path_limit = c.Type(int, default=_default("path_limit"))
    """Stop with an error when a tree has more paths than this."""
