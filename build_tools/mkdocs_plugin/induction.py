"""Wires the volunteer induction (``build_tools.site.induction``) into the plugin's events.

The decision-trees plugin owns one :class:`InductionWiring` and calls it from its own
events, so the induction adds no plugin of its own and no setting to ``mkdocs.yml``:

- ``page_markdown``: the reading-list marker becomes the reading path; the practice and
  acknowledgement markers become slots;
- ``page_content``: the slots become the practice questions and the acknowledgement,
  with their scripts and styles (on those pages only);
- ``write_assets``: copy the induction's scripts and styles into the site.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from build_tools.site import induction
from build_tools.site.widget import page_url_of, relative_url

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "site" / "static"
ASSET_DIR = "assets/cwc-runtime"
ASSETS = ("quiz.js", "acknowledgement.js", "induction.css")


class InductionWiring:
    """The induction's part of the decision-trees plugin, for one build.

    Args:
        plugin: The decision-trees plugin (its trees, tree pages, runtime and settings).
        config: The MkDocs configuration.
    """

    def __init__(self, plugin: Any, config: Any) -> None:
        self._plugin = plugin
        self._config = config
        # The plugin's own Markdown converter and clause titles (same settings, one cache).
        self._renderer = induction.InductionRenderer(plugin.markdown, plugin.clause_titles)
        self._nav_order = induction.flatten_nav(config.nav or [])
        self._marked: dict[str, str] | None = None

    def _marked_pages(self, files: Files) -> dict[str, str]:
        """Marker name → the first page that carries it (found once per build)."""
        if self._marked is None:
            self._marked = {}
            for file in files.documentation_pages():
                for _, name in induction.marker_lines(file.content_string):
                    self._marked.setdefault(name, file.src_uri)
        return self._marked

    def page_markdown(self, markdown: str, *, page: Page, files: Files) -> str:
        """Put the reading path in place of its marker; leave slots for the rest."""
        self._marked_pages(files)
        src = page.file.src_uri
        return induction.replace_markers(markdown, {
            induction.READING_LIST: lambda: self._reading_list(src, files),
            induction.PRACTICE_QUIZ: lambda: induction.slot(induction.PRACTICE_QUIZ),
            induction.ACKNOWLEDGEMENT: lambda: induction.slot(induction.ACKNOWLEDGEMENT),
        })

    def _reading_list(self, src: str, files: Files) -> str:
        plugin = self._plugin.config
        # Generated pages (the coverage page, a board pack) are about the policy, not of it.
        documents = [f.src_uri for f in files.documentation_pages() if not f.generated_by]
        order = induction.policy_pages(
            self._nav_order, documents, plugin.clauses_dir, plugin.coverage_exclude
        )
        texts = [(p, files.get_file_from_path(p).content_string) for p in order]
        return induction.render_reading_list(induction.reading_list(texts), src)

    def _url_of(self, name: str) -> str | None:
        src = (self._marked or {}).get(name)
        return page_url_of(src) if src else None

    def page_content(self, html: str, *, page: Page) -> str:
        """Fill the slots; add the induction's scripts and styles to pages that have one."""
        url = page.file.dest_uri
        found: set[str] = set()

        def fill(match) -> str:
            name = match.group("name")
            found.add(name)
            if name == induction.PRACTICE_QUIZ:
                questions = induction.quiz_questions(
                    self._plugin.trees.values(), self._plugin.tree_pages, self._nav_order, url
                )
                return self._renderer.quiz(questions, url, self._url_of(induction.ACKNOWLEDGEMENT))
            try:
                policy = self._config.extra.get("policy") or {}
                return induction.acknowledgement(policy, self._url_of(induction.PRACTICE_QUIZ), url)
            except ValueError as error:
                raise PluginError(f"docs/{page.file.src_uri}: {error}") from None

        html = induction.SLOT_HTML.sub(fill, html)
        return html + self._assets(found, url) if found else html

    def _assets(self, found: set[str], url: str) -> str:
        def rel(path: str) -> str:
            return relative_url(path, url)

        tags = [f'<link rel="stylesheet" href="{rel(ASSET_DIR + "/induction.css")}">']
        if induction.PRACTICE_QUIZ in found and self._plugin.runtime is not None:
            tags.append(f'<script src="{rel(self._plugin.runtime.loader_path)}" defer></script>')
            tags.append(f'<script src="{rel(ASSET_DIR + "/quiz.js")}" defer></script>')
        if induction.ACKNOWLEDGEMENT in found:
            tags.append(f'<script src="{rel(ASSET_DIR + "/acknowledgement.js")}" defer></script>')
        return "\n" + "\n".join(tags) + "\n"

    def write_assets(self, site: Path) -> None:
        """Copy the induction's scripts and styles into the built site."""
        for name in ASSETS:
            target = site / ASSET_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(RUNTIME_DIR / name, target)
