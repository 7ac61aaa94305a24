"""Typed configuration of the ``cwc-decision-trees`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class DecisionTreesConfig(Config):
    """Options under ``plugins: - cwc-decision-trees:`` in ``mkdocs.yml``."""

    trees_dir = c.Type(str, default="decision_trees")
    """Folder of decision-tree YAML files, relative to mkdocs.yml."""
