"""The ``cwc-decision-trees`` MkDocs plugin (thin: the work is done by the core modules)."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.plugins import BasePlugin

from build_tools.plugin.config import DecisionTreesConfig
from build_tools.runtime.fetch import ensure_runtime

SHIM_PATH = "assets/javascripts/iframe-worker/shim.js"


class DecisionTreesPlugin(BasePlugin[DecisionTreesConfig]):
    """Validate decision trees, compile them into pages, and ship their runtime."""

    def on_post_build(self, *, config) -> None:
        """Copy the pinned iframe-worker shim that offline search needs."""
        packages = ensure_runtime(quiet=True)
        target = Path(config.site_dir) / SHIM_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packages["iframe-worker"] / "shim" / "index.js", target)
