"""The files the site layer ships beside the pages, and the tags that load them.

Each kind of generated content needs a few static files (:data:`BUNDLES`); a page gets the
tags for what it holds, once each, in order, and nothing else (pages without a guide load
no Pyodide bytes). Every URL carries a version (a hash of the files), so a browser never
mixes cached files of two builds.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from build_tools.runtime.bundle import RuntimeBundle
from build_tools.site.urls import relative_url

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSET_DIR = RuntimeBundle.site_subdir
"""Where the runtime and the site layer's own files go in the built site."""
SHIM_PATH = "assets/javascripts/iframe-worker/shim.js"
"""Where the search's Web Worker shim goes (listed under ``extra.polyfills`` in mkdocs.yml)."""
RUNTIME = "<runtime>"
"""Stands for the Pyodide loader in a bundle."""

BUNDLES: dict[str, tuple[str, ...]] = {
    "widget": ("widget.css", "diagram.css", RUNTIME, "widget.js"),
    "outline": ("widget.css", "diagram.css"),
    "quiz": ("induction.css", RUNTIME, "quiz.js"),
    "acknowledgement": ("widget.css", "induction.css", "acknowledgement.js"),
    "contacts": ("widget.css",),
    "review": ("widget.css", "review.css"),
}
"""What each kind of content needs, in the order the tags go on the page."""


class SiteAssets:
    """The static files of one build and their tags.

    Args:
        runtime: The Pyodide runtime bundle, or None when no page needs it.
    """

    def __init__(self, runtime: RuntimeBundle | None) -> None:
        self.runtime = runtime

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every static file that ships, by name."""
        return tuple(sorted({f for b in BUNDLES.values() for f in b if f != RUNTIME}))

    @cached_property
    def version(self) -> str:
        """A short hash of the static files' bytes."""
        digest = hashlib.sha256()
        for name in self.files:
            digest.update(name.encode() + b"\0" + (STATIC_DIR / name).read_bytes())
        return digest.hexdigest()[:12]

    def tags(self, needs: Iterable[str], page_url: str) -> str:
        """The ``<link>`` and ``<script>`` tags for these bundles on the page at ``page_url``."""
        names: list[str] = []
        for bundle in needs:
            names += [n for n in BUNDLES[bundle] if n not in names]
        if RUNTIME in names and self.runtime is None:
            names.remove(RUNTIME)
        return "".join("\n" + self._tag(name, page_url) for name in names) + ("\n" if names else "")

    def _tag(self, name: str, page_url: str) -> str:
        if name == RUNTIME:
            assert self.runtime is not None
            href = f"{relative_url(self.runtime.loader_path, page_url)}?v={self.runtime.version}"
            return f'<script src="{href}" defer></script>'
        href = f"{relative_url(f'{ASSET_DIR}/{name}', page_url)}?v={self.version}"
        if name.endswith(".css"):
            return f'<link rel="stylesheet" href="{href}">'
        return f'<script src="{href}" defer></script>'

    def write(self, site_dir: Path, shim: Path) -> None:
        """Copy the runtime, the static files and the search shim into the built site."""
        if self.runtime is not None:
            self.runtime.write_to(site_dir)
        for name in self.files:
            _copy(STATIC_DIR / name, site_dir / ASSET_DIR / name)
        _copy(shim, site_dir / SHIM_PATH)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
