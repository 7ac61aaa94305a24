"""Helpers shared by the test modules (import them from here, never from a sibling test)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a folder on a free localhost port; yield its base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


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


# -- a small site with the trustees' pages (review points, document control, changes) ------

TRUSTEE_POINTS = """\
points:
  - id: keep-quiet-scope
    title: Who "anyone" is
    kind: clarity
    clauses: [policy/rules.md#keep-quiet]
    point: The rule says not to tell "anyone"; see [the rules](policy/rules.md#ask-first).
    why: A volunteer may not know whether the manager counts.
    suggestion: Name who may be told.
  - id: ask-first-law
    title: The law says more
    kind: law
    clauses: [policy/rules.md#ask-first, policy/rules.md#keep-quiet]
    point: Asking first is not always enough.
    why: Some requests have a deadline.
    suggestion: Say how soon to ask.
"""
"""Two review points on the fixture site's one policy page (tests/fixtures/site)."""

TRUSTEE_POLICY: dict = {
    "title": "Confidentiality Policy",
    "organisation": "Fixture charity",
    "version": "1.1",
    "approved_by": "Board of Trustees",
    "next_review": "2030-01-01",
    "approvals": [
        {"version": "1.0", "approved_on": "2025-06-12", "approved_by": "Board of Trustees",
         "minute": "2025/31", "tag": "policy-v1.0"},
    ],
}
"""Version 1.1 awaits approval; version 1.0 was approved, and its text is tagged."""

_NOT_SEARCHED = "---\nsearch:\n  exclude: true\n---\n\n"
TRUSTEE_PAGES = {
    "trustees/document-control.md": "# Document control\n\n<!-- document-control -->\n",
    "trustees/changes.md": "# What changed since the last approval\n\n<!-- changes -->\n",
    "trustees/review-points.md": "# Points for the Board's review\n\n<!-- review-points -->\n",
}
"""The trustees' pages, as the real site has them (out of the search index)."""


def trustee_site(target: Path, policy: dict | None = None,
                 points: str | None = TRUSTEE_POINTS) -> Path:
    """A copy of the fixture site with review points, the trustees' pages and a policy."""
    import shutil

    import yaml

    from tests.locations import SITE_FIXTURE

    shutil.copytree(SITE_FIXTURE, target)
    docs = target / "docs"
    (docs / "trustees").mkdir()
    for src, text in TRUSTEE_PAGES.items():
        (docs / src).write_text(_NOT_SEARCHED + text, encoding="utf-8")
    if points is not None:
        (docs / "policy" / "review-points.yml").write_text(points, encoding="utf-8")
    config_path = target / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["nav"] = [*config["nav"], {"For trustees": list(TRUSTEE_PAGES)}]
    if "search" not in config["plugins"]:
        config["plugins"] = ["search", *config["plugins"]]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")  # the real stamp
    config["exclude_docs"] = "*.yml\n"
    config["extra"] = {"policy": TRUSTEE_POLICY if policy is None else policy}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target
