"""The ``cwc-decision-trees`` MkDocs plugin: wires the core into MkDocs events, nothing more.

- ``on_config``: load and validate every tree (a broken tree stops the build here, before
  anything is written) and prepare the Pyodide runtime (cached by hash).
- ``on_files``: generate pages for trees no page embeds, and the coverage page.
- ``on_nav``: list guide pages under the Guides section.
- ``on_page_markdown`` / ``on_page_content``: put each widget where its marker is; add the
  "Not sure what to do?" note to policy pages.
- ``on_post_build``: write the runtime, the widget script and ``decision-trees.json``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
from pathlib import Path

import markdown as markdown_lib
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from build_tools.errors import TreeErrors
from build_tools.mkdocs_plugin.config import DecisionTreesConfig
from build_tools.mkdocs_plugin.induction import InductionWiring
from build_tools.runtime.bundle import prepare_runtime
from build_tools.setup.fetch import ensure_runtime
from build_tools.site import csp, pages
from build_tools.site.clauses import collect_clauses
from build_tools.site.diagram import diagram_html, outline_id, render_svgs
from build_tools.site.widget import TreeRenderer, manifest, relative_url
from build_tools.trees.engine_data import engine_data
from build_tools.trees.paths import enumerate_paths
from build_tools.trees.validate import SHARED_FILE, load_and_validate

PACKAGE = Path(__file__).resolve().parent.parent
ENGINE_PY = PACKAGE / "trees" / "engine.py"
WIDGET_FILES = ("widget.js", "widget.css", "diagram.css")
WIDGET_DIR = "assets/cwc-runtime"
SHIM_PATH = "assets/javascripts/iframe-worker/shim.js"
_ID = re.compile(r'\sid="([^"]+)"')


class DecisionTreesPlugin(BasePlugin[DecisionTreesConfig]):
    """Validate decision trees, compile them into pages, and ship their runtime."""

    def on_config(self, config):
        """Validate every tree before anything is written; prepare the runtime."""
        root = Path(config.config_file_path).resolve().parent
        self.root = root
        self.trees_dir = root / self.config.trees_dir
        self.docs_dir = Path(config.docs_dir)
        files = sorted(self.trees_dir.glob("*.yaml")) + sorted(self.trees_dir.glob("*.yml"))
        try:
            contacts = self.docs_dir / "contacts.yml"
            shared = self.trees_dir / SHARED_FILE
            trees = load_and_validate(
                files, self.docs_dir, root=root, contacts=contacts if contacts.is_file() else None,
                shared=shared if shared.is_file() else None,
            )
            limit = self.config.path_limit
            self.paths = {t.id: enumerate_paths(engine_data(t), limit) for t in trees}
        except TreeErrors as error:
            raise PluginError(f"decision trees are invalid:\n{error}") from None
        self.trees = {t.id: t for t in trees}
        self.tree_pages: dict[str, str] = {}
        self.generated: set[str] = set()
        self.runtime = prepare_runtime(ENGINE_PY) if trees else None
        self.svgs = render_svgs(trees)  # drawn once per build, cached by content
        md = markdown_lib.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        # One converter with the site's Markdown settings for everything the plugin renders;
        # the same texts (outcome bodies) appear on several pages, so convert each once.
        self.markdown = functools.lru_cache(maxsize=None)(lambda text: md.reset().convert(text))
        clauses = collect_clauses(self.docs_dir, self.config.clauses_dir)
        self.clauses = [c for c in clauses if c.page not in self.config.coverage_exclude]
        self.clause_titles = {c.ref: (c.page_title, c.title) for c in clauses}
        self.renderer = TreeRenderer(self.markdown, self.clause_titles)
        self.induction = InductionWiring(self, config)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        """Find where each tree is embedded; generate pages for the rest and for coverage."""
        problems = []
        for file in files.documentation_pages():
            for marker in pages.find_markers(file.content_string):
                if marker.tree_id not in self.trees:
                    problems.append(
                        f"{self._shown(file.abs_src_path)}:{marker.line}:1: error: "
                        f"no decision tree '{marker.tree_id}'\n"
                        f"  hint: the trees are: {', '.join(self.trees)}"
                    )
                else:
                    self.tree_pages.setdefault(marker.tree_id, file.src_uri)
        if problems:
            raise PluginError("\n".join(problems))
        for tree_id, tree in self.trees.items():
            if tree_id in self.tree_pages:
                continue
            src = f"{self.config.guides_dir}/{tree_id}.md"
            if files.get_file_from_path(src) is not None:
                raise PluginError(
                    f"docs/{src} exists but does not embed the tree '{tree_id}'\n"
                    f"  hint: add the line <!-- decision-tree: {tree_id} --> to it"
                )
            files.append(File.generated(config, src, content=pages.generated_page(tree, src)))
            self.tree_pages[tree_id] = src
            self.generated.add(src)
        if self.config.coverage_page:
            content = pages.coverage_page(
                self.clauses, list(self.trees.values()), self.tree_pages, self.config.coverage_page
            )
            files.append(File.generated(config, self.config.coverage_page, content=content))
        if self.config.board_pack_page:
            policy = [
                (src, files.get_file_from_path(src).content_string)
                for src in _nav_sources(config.nav)
                if src.startswith(self.config.clauses_dir + "/") and files.get_file_from_path(src)
            ]
            order = {src: i for i, src in enumerate(_nav_sources(config.nav))}
            trees = sorted(
                self.trees.values(), key=lambda t: order.get(self.tree_pages[t.id], len(order))
            )
            content = pages.board_pack(policy, trees)
            files.append(File.generated(config, self.config.board_pack_page, content=content))
        return files

    def _shown(self, path: str | None) -> str:
        """A docs file's path as errors show it: relative to mkdocs.yml when possible."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except (TypeError, ValueError):
            return str(path)

    def on_nav(self, nav: Navigation, *, config, files: Files) -> Navigation:
        """List every guide page that the nav does not mention in the Guides section."""
        listed = {p.file.src_uri for p in nav.pages}
        missing = [src for src in self.tree_pages.values() if src not in listed]
        if not missing:
            return nav
        section = next(
            (i for i in nav.items if isinstance(i, Section) and i.title == self.config.nav_section),
            None,
        )
        if section is None:
            section = Section(self.config.nav_section, [])
            nav.items.append(section)
        for src in sorted(set(missing)):
            page = Page(None, files.get_file_from_path(src), config)
            page.parent = section
            section.children.append(page)
        nav.pages = [p for p in _walk_pages(nav.items)]
        previous_pages, next_pages = [None, *nav.pages[:-1]], [*nav.pages[1:], None]
        for previous, page, following in zip(previous_pages, nav.pages, next_pages, strict=True):
            page.previous_page, page.next_page = previous, following
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config, files: Files) -> str:
        """Mark where widgets go; add links to the guides that cite this policy page."""
        note = pages.guides_note(page.file.src_uri, list(self.trees.values()), self.tree_pages)
        markdown = self.induction.page_markdown(markdown, page=page, files=files)
        return pages.replace_markers(markdown) + note

    def on_page_content(self, html: str, *, page: Page, config, files: Files) -> str:
        """Put each tree's widget in its slot, with the runtime scripts once per page."""
        url = page.file.dest_uri
        found = False

        def widget(match) -> str:
            nonlocal found
            found = True
            tree = self.trees[match.group("id")]
            rendered = self.renderer.widget(tree, engine_data(tree), url) + self._diagram(tree)
            # MkDocs checks links to anchors against the ids it saw in the Markdown; the
            # widget's ids (e.g. the outline's, linked from the coverage page) count too.
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(_ID.findall(rendered))
            return rendered

        html = pages.SLOT_HTML.sub(widget, html)
        outlines = False

        def outline(match) -> str:
            nonlocal outlines
            outlines = True
            tree = self.trees[match.group("id")]
            return (
                f'<div class="decision-tree-print-outline" id="{outline_id(tree.id)}">'
                f"{self.renderer.outline(tree, url)}</div>\n"
                + diagram_html(tree, self.svgs[tree.id])
            )

        html = pages.OUTLINE_SLOT_HTML.sub(outline, html)
        if found:
            html += self._page_assets(url)
        elif outlines:
            href = relative_url(WIDGET_DIR + "/diagram.css", url) + f"?v={_widget_version()}"
            html += f'\n<link rel="stylesheet" href="{href}">\n'

        return self.induction.page_content(html, page=page)

    def _diagram(self, tree) -> str:
        """The guide's diagram, folded away under the widget (it prints on its own page)."""
        return (
            '\n<details class="decision-tree-diagram__details" data-search-exclude>'
            "<summary>Diagram of this guide</summary>\n"
            f"{diagram_html(tree, self.svgs[tree.id])}\n</details>\n"
        )

    def _page_assets(self, url: str) -> str:
        def rel(path: str) -> str:
            return relative_url(path, url)

        # Versioned URLs, so a browser never mixes cached files from two builds.
        runtime_v, widget_v = self.runtime.version, _widget_version()
        return (
            f'\n<link rel="stylesheet" href="{rel(WIDGET_DIR + "/widget.css")}?v={widget_v}">'
            f'\n<link rel="stylesheet" href="{rel(WIDGET_DIR + "/diagram.css")}?v={widget_v}">'
            f'\n<script src="{rel(self.runtime.loader_path)}?v={runtime_v}" defer></script>'
            f'\n<script src="{rel(WIDGET_DIR + "/widget.js")}?v={widget_v}" defer></script>\n'
        )

    @event_priority(-100)  # last: the policy hashes the page's final inline scripts
    def on_post_page(self, output: str, *, page: Page, config) -> str:
        """Put the Content-Security-Policy (build_tools/site/csp.py) into every page."""
        return csp.add_policy(output, shim=self._shim())

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        """The same policy for the theme's own HTML templates (404.html)."""
        if not template_name.endswith(".html"):
            return output_content
        return csp.add_policy(output_content, shim=self._shim())

    @functools.cache  # noqa: B019 (one plugin instance per build)
    def _shim(self) -> str:
        packages = ensure_runtime(quiet=True)
        return (packages["iframe-worker"] / "shim" / "index.js").read_text(encoding="utf-8")

    @event_priority(50)
    def on_post_build(self, *, config) -> None:
        """Write the runtime, the widget files, the search shim and the manifest."""
        site = Path(config.site_dir)
        packages = ensure_runtime(quiet=True)
        _copy(packages["iframe-worker"] / "shim" / "index.js", site / SHIM_PATH)
        self.induction.write_assets(site)
        if self.runtime is not None:
            self.runtime.write_to(site)
            for name in WIDGET_FILES:
                _copy(PACKAGE / "site" / "static" / name, site / WIDGET_DIR / name)
        entries = [
            pages.manifest_entry(tree, self.tree_pages[tree_id], self.paths[tree_id])
            for tree_id, tree in self.trees.items()
        ]
        (site / "decision-trees.json").write_text(manifest(entries), encoding="utf-8")

    def on_serve(self, server, *, config, builder):
        """Rebuild when a decision tree changes, like when a page changes."""
        server.watch(str(self.trees_dir))
        return server


def _widget_version() -> str:
    """A short hash of the widget's own files."""
    digest = hashlib.sha256()
    for name in WIDGET_FILES:
        digest.update((PACKAGE / "site" / "static" / name).read_bytes())
    return digest.hexdigest()[:12]


def _nav_sources(nav) -> list[str]:
    """The page paths named in mkdocs.yml's ``nav``, in order."""
    found: list[str] = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found.extend(_nav_sources(value))
        elif isinstance(value, str) and value.endswith(".md"):
            found.append(value)
    return found


def _walk_pages(items) -> list[Page]:
    found: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            found.append(item)
        if getattr(item, "children", None):
            found.extend(_walk_pages(item.children))
    return found


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
