"""Helpers shared by the test modules (import them from here, never from a sibling test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from build_tools.site.anchors import DocsIndex
from build_tools.site.markdown import MarkdownSettings
from tests.locations import DOCS, ROOT

# What a page has stored on the device, read in the page (for the privacy tests).
STORAGE = """async () => ({
  cookie: document.cookie,
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  indexedDB: (await indexedDB.databases()).map(d => d.name),
})"""
NOTHING_STORED = {"cookie": "", "local": [], "session": [], "indexedDB": []}


def build_site(site_dir: Path, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``site_dir``; return the finished process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
         "-d", str(site_dir)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
    )


def docs_index(docs: Path = DOCS) -> DocsIndex:
    """The fixture docs (or another folder) as the tree checks see it, with plain settings."""
    return DocsIndex(docs, MarkdownSettings())


def real_docs() -> DocsIndex:
    """The site's own docs, rendered with the site's own Markdown settings (mkdocs.yml)."""
    from build_tools.site.settings import read_settings

    settings = read_settings(ROOT / "mkdocs.yml")
    return DocsIndex(settings.docs_dir, settings.markdown)


def real_trees() -> list:
    """The real guides, checked as the site build checks them (docs, contacts, shared)."""
    from build_tools.trees.validate import SHARED_FILE, load_tree_set
    from tests.locations import TREES_DIR

    shared = TREES_DIR / SHARED_FILE
    return load_tree_set(
        sorted(TREES_DIR.glob("*.y*ml")), real_docs(), root=ROOT,
        contacts=ROOT / "docs" / "contacts.yml", shared=shared if shared.is_file() else None,
    ).trees
