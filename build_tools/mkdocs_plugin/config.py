"""Typed configuration of the ``cwc-decision-trees`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class DecisionTreesConfig(Config):
    """Options under ``plugins: - cwc-decision-trees:`` in ``mkdocs.yml``."""

    trees_dir = c.Type(str, default="decision_trees")
    """Folder of decision-tree YAML files, relative to mkdocs.yml."""

    guides_dir = c.Type(str, default="guides")
    """Docs folder where pages for trees that no page embeds are generated."""

    nav_section = c.Type(str, default="Guides")
    """Navigation section that lists every guide page not already in the nav."""

    clauses_dir = c.Type(str, default="policy")
    """Docs folder whose anchored headings and list items are the policy's clauses."""

    coverage_exclude = c.ListOfItems(c.Type(str), default=["policy/editorial-notes.md"])
    """Pages under ``clauses_dir`` that hold no clauses (left off the coverage page)."""

    coverage_page = c.Type(str, default="coverage.md")
    """Where the generated clause-coverage page goes ('' for none)."""

    board_pack_page = c.Type(str, default="policy/board-pack.md")
    """Where the printable board pack (whole policy + every guide's outline) goes ('' for none).
    Keep it in ``clauses_dir`` so the policy pages' relative links keep working."""

    path_limit = c.Type(int, default=10_000)
    """Stop with an error when a tree has more paths than this."""
