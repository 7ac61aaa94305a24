"""One build of the site: the site layer's whole surface, for any site generator.

An adapter (the MkDocs plugin, a test, a future Zensical hook) makes a :class:`SiteBuild`
from :class:`~build_tools.site.settings.SiteSettings`, then calls, in order:

1. :meth:`SiteBuild.generated_pages` with the docs pages' Markdown: the pages to add (a
   page for each guide no page embeds, the coverage page, the board pack);
2. :meth:`SiteBuild.nav` with the written navigation: the same, with the guides added;
3. for each page, :meth:`SiteBuild.page_meta` with its front matter (the search words of
   the guides it embeds become its tags), :meth:`SiteBuild.page_markdown` before Markdown runs and
   :meth:`SiteBuild.page_html` after (markers become widgets, lists and pages), then
   :meth:`SiteBuild.final_html` on the whole page (the Content-Security-Policy);
4. :meth:`SiteBuild.write` with the output folder: the runtime, the static files, the
   search shim and ``decision-trees.json``.

Every deliberate error is a :class:`~build_tools.errors.BuildError`; a broken guide stops
the build when the :class:`SiteBuild` is made, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from build_tools.errors import BuildError, Problem, Problems, TreeErrors, display_path
from build_tools.runtime.bundle import RuntimeBundle, prepare_runtime
from build_tools.setup.fetch import IFRAME_WORKER, ensure_package
from build_tools.site import csp, dom, markers, theme_values
from build_tools.site.anchors import DocsIndex
from build_tools.site.assets import SiteAssets
from build_tools.site.board_pack import board_pack, fill_contents
from build_tools.site.changes import ChangesPage, Comparison, compare
from build_tools.site.contact_pages import ContactPages
from build_tools.site.coverage import coverage_page
from build_tools.site.diagram import diagram_html, render_svgs
from build_tools.site.document_control import document_control_markdown, read_document_control
from build_tools.site.induction import (
    acknowledgement,
    page_title,
    policy_pages,
    reading_list,
    render_reading_list,
)
from build_tools.site.manifest import FILE_NAME as MANIFEST
from build_tools.site.manifest import manifest, manifest_entry
from build_tools.site.markdown import GuideMarkdown
from build_tools.site.nav import in_nav_order, nav_pages, with_pages
from build_tools.site.pages import generated_page, guides_note
from build_tools.site.quiz import Practice, QuizRenderer, load_quiz
from build_tools.site.review_points import (
    CheckedPoint,
    NoteRenderer,
    coverage_note,
    insert_beside,
    load_review_points,
    points_by_clause,
    review_page_markdown,
)
from build_tools.site.search import clause_words, guide_words, with_tags
from build_tools.site.settings import SiteSettings
from build_tools.site.urls import page_url_of, rebase_markdown_links, relative_url
from build_tools.site.widget import TreeRenderer
from build_tools.trees.engine_data import engine_data
from build_tools.trees.model import Tree
from build_tools.trees.paths import TreePath, enumerate_paths
from build_tools.trees.paths_text import paths_text
from build_tools.trees.validate import SHARED_FILE, TreeSet, load_tree_set

_ID = re.compile(r'\sid="([^"]+)"')

ENGINE_PY = Path(__file__).resolve().parent.parent / "trees" / "engine.py"
"""The engine that runs in the page (under Pyodide, as ``cwc_engine``)."""
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---[ \t]*\n", re.S)
"""A page's YAML front matter (left out when the board pack carries the page)."""


@dataclass(frozen=True)
class GeneratedPage:
    """A page the build adds: where it goes (relative to the docs folder) and its Markdown."""

    src: str
    markdown: str


@dataclass(frozen=True)
class PageHtml:
    """A page's content after the site layer: the HTML, and the ids it now holds."""

    html: str
    ids: frozenset[str]


class SiteBuild:
    """Everything the site layer does for one build.

    Args:
        settings: Where things are and how pages are rendered.

    Raises:
        BuildError: For a broken guide, contacts file, practice file, review points file or
            document control (every problem at once, with file, line and column), or when
            the runtime cannot be prepared.
    """

    def __init__(self, settings: SiteSettings) -> None:
        self.settings = settings
        self.docs = DocsIndex(settings.docs_dir, settings.markdown)
        checked = self._check_trees()
        self.trees: dict[str, Tree] = {t.id: t for t in checked.trees}
        if checked.contacts is None:
            raise BuildError(f"{self._shown(settings.contacts_path)}: the contacts file does "
                             "not exist", "outcomes name contacts from it: see the authors' "
                             "guide, 'Contacts'")
        self.contacts = checked.contacts
        self.notices: list[Problem] = checked.notices
        self.paths: dict[str, list[TreePath]] = {
            t.id: enumerate_paths(engine_data(t), settings.path_limit) for t in checked.trees
        }
        self.markdown = GuideMarkdown(settings.markdown)
        clauses = self.docs.clauses(settings.clauses_dir)
        self.clauses = [c for c in clauses if c.page not in settings.coverage_exclude]
        titles = {c.ref: (c.page_title, c.title) for c in clauses}
        problems = Problems()
        self.document = read_document_control(settings.policy, settings.config_file,
                                              settings.root, problems)
        self.review_points: list[CheckedPoint] = self._load_review_points(problems)
        if settings.config_file is not None:
            theme_values.check_config(settings.config_file, settings.root, problems)
        problems.raise_if_any()
        self.points_by_clause = points_by_clause(self.review_points)
        self.renderer = TreeRenderer(self.markdown, titles, self.contacts)
        self.contact_pages = ContactPages(self.renderer, self.markdown, self.contacts)
        self.runtime: RuntimeBundle | None = (
            prepare_runtime(ENGINE_PY) if self.trees and settings.runtime else None
        )
        self.assets = SiteAssets(self.runtime)
        self.svgs = render_svgs(checked.trees)  # drawn once per build, cached by content
        self.tree_pages: dict[str, str] = {}
        self.generated: set[str] = set()  # the pages this build adds
        self.marked: dict[str, str] = {}  # marker name → the first page that carries it
        self.pages: dict[str, str] = {}  # every page's Markdown, as written or generated
        self._for_trustees: set[str] = set()  # pages holding review points or changes

    # -- checking ------------------------------------------------------------------------

    def _shown(self, path: Path) -> str:
        return display_path(path, self.settings.root)

    def _check_trees(self) -> TreeSet:
        folder = self.settings.trees_dir
        files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
        contacts = self.settings.contacts_path
        shared = folder / SHARED_FILE
        return load_tree_set(
            files, self.docs, root=self.settings.root,
            contacts=contacts if contacts.is_file() else None,
            shared=shared if shared.is_file() else None,
        )

    @cached_property
    def practice(self) -> list[Practice]:
        """The practice questions, checked against the guides (read when a page asks)."""
        path = self.settings.quiz_path
        if not path.is_file():
            raise BuildError(f"{self._shown(path)}: the practice questions file does not "
                             "exist", "a page carries <!-- practice-quiz -->: write the file "
                             "(see the authors' guide), or remove the marker")
        problems = Problems()
        found = load_quiz(path, self._shown(path), self.trees, problems)
        if problems:
            raise TreeErrors(problems)
        return found

    def _load_review_points(self, problems: Problems) -> list[CheckedPoint]:
        path = self.settings.review_points_path
        if not path.is_file():
            return []
        order = [p for p in self.nav_order() if p.startswith(self.settings.clauses_dir + "/")]
        return load_review_points(path, self._shown(path), self.clauses, order, problems,
                                  self.docs.explain_missing_anchor)

    @property
    def policy(self) -> dict[str, Any]:
        """Document control as the pages show it (see ``DocumentControl.view``)."""
        return self.document.view()

    @cached_property
    def comparison(self) -> Comparison:
        """This copy against the last approved version, from git (computed when asked)."""
        s = self.settings
        now = {p: self.pages[p] for p in self._policy_order()}
        return compare(self.document, s.root, s.docs_dir, s.clauses_dir, s.trees_dir, now,
                       list(now), paths_text(self.trees.values(), s.path_limit),
                       s.coverage_exclude)

    def _policy_order(self) -> list[str]:
        s = self.settings
        written = [p for p in self.pages if p not in self.generated]
        return policy_pages(self.nav_order(), written, s.clauses_dir, s.coverage_exclude)

    @property
    def watched(self) -> list[Path]:
        """What a live-reloading server should watch besides the docs: the guides' folder."""
        return [self.settings.trees_dir]

    # -- pages ---------------------------------------------------------------------------

    def generated_pages(self, pages: Mapping[str, str]) -> list[GeneratedPage]:
        """The pages to add to the site, given every docs page's Markdown by path.

        Raises:
            TreeErrors: A marker names a guide that does not exist (file and line).
        """
        problems = Problems()
        self.pages = dict(pages)
        for src, text in pages.items():
            for marker in markers.scan(text):
                self.marked.setdefault(marker.name, src)
                if marker.name not in markers.WITH_ARGUMENT:
                    continue
                if marker.arg not in self.trees:
                    problems.fail(self._shown(self.settings.docs_dir / src), (marker.line, 1),
                                  f"no decision tree '{marker.arg}'",
                                  f"the trees are: {', '.join(self.trees)}")
                elif marker.name == markers.DECISION_TREE:
                    self.tree_pages.setdefault(marker.arg, src)
        problems.raise_if_any()
        added = [*self._guide_pages(pages)]
        self.pages.update({page.src: page.markdown for page in added})
        added += self._trustee_pages()
        self.pages.update({page.src: page.markdown for page in added})
        self.generated = {page.src for page in added}
        return added

    def _guide_pages(self, pages: Mapping[str, str]) -> list[GeneratedPage]:
        added = []
        for tree_id, tree in self.trees.items():
            if tree_id in self.tree_pages:
                continue
            src = f"{self.settings.guides_dir}/{tree_id}.md"
            if src in pages:
                raise BuildError(f"docs/{src} exists but does not embed the tree '{tree_id}'",
                                 f"add the line <!-- decision-tree: {tree_id} --> to it")
            added.append(GeneratedPage(src, generated_page(tree, src)))
            self.tree_pages[tree_id] = src
        return added

    def _trustee_pages(self) -> list[GeneratedPage]:
        added = []
        s = self.settings
        if s.coverage_page:
            note = coverage_note(self.review_points, self.marked.get(markers.REVIEW_POINTS),
                                 s.coverage_page)
            text = coverage_page(self.clauses, self.ordered_trees(), self.tree_pages,
                                 s.coverage_page, note)
            added.append(GeneratedPage(s.coverage_page, text))
        if s.board_pack_page:
            order = [p for p in self.nav_order() if p.startswith(s.clauses_dir + "/")]
            carried = [p for p in [*s.board_pack_front, *order, *s.board_pack_extra]
                       if p in self.pages and p != s.board_pack_page]
            text = board_pack([(p, rebase_markdown_links(_FRONT_MATTER.sub("", self.pages[p]),
                                                          p, s.board_pack_page))
                               for p in carried], self.ordered_trees(), s.policy)
            added.append(GeneratedPage(s.board_pack_page, text))
        return added

    def nav_order(self) -> list[str]:
        """The pages the written nav names, in order."""
        return nav_pages(self.settings.nav)

    def ordered_trees(self) -> list[Tree]:
        """The guides in the order their pages come in the nav (then by id)."""
        by_id = sorted(self.trees.values(), key=lambda t: t.id)
        return in_nav_order(by_id, lambda t: self.tree_pages.get(t.id, ""), self.nav_order())

    def nav(self, nav: Any) -> Any:
        """The written nav with every guide page it does not name, under the Guides section."""
        return with_pages(nav, self.tree_pages.values(), self.settings.nav_section)

    def page_meta(self, src: str, meta: Mapping[str, Any]) -> dict[str, Any]:
        """A page's front matter with its search words added to its tags.

        A page that embeds a guide (written or generated alike: the page with its marker)
        gets the guide's keywords; a policy page, its title and its clauses' titles.

        Raises:
            BuildError: If a value the theme writes into an attribute would break the page.
        """
        theme_values.check_page_meta(self._shown(self.settings.docs_dir / src), meta)
        embedded = [self.trees[m.arg] for m in markers.scan(self.pages.get(src, ""),
                                                            [markers.DECISION_TREE])
                    if m.arg in self.trees]
        clauses = [c for c in self.clauses if c.page == src]
        return with_tags(meta, guide_words(embedded) + clause_words(clauses))

    def page_markdown(self, src: str, markdown: str) -> str:
        """A page's Markdown before conversion, with its markers made into slots.

        The reading list is Markdown and goes in place; a policy page ends with links to
        the guides that cite it.
        """

        def replace(marker: markers.Marker) -> str:
            if marker.name == markers.READING_LIST:
                return self._reading_list(src)
            if marker.name in markers.IN_MARKDOWN:
                self._for_trustees.add(src)
                return self._for_the_board(marker, src)
            return markers.slot(marker)

        note = guides_note(src, self.ordered_trees(), self.tree_pages)
        return markers.replace(markdown, replace) + note

    def _reading_list(self, src: str) -> str:
        order = self._policy_order()
        return render_reading_list(reading_list((p, self.pages[p]) for p in order), src)

    def _for_the_board(self, marker: markers.Marker, src: str) -> str:
        """The review points, the document control or the changes, as Markdown."""
        in_pack = src == self.settings.board_pack_page  # the policy is on the same page
        if marker.name == markers.REVIEW_POINTS:
            if not self.settings.review_points_path.is_file():
                raise BuildError(f"{self._shown(self.settings.review_points_path)}: the "
                                 "review points file does not exist", "a page carries "
                                 "<!-- review-points -->: write the file (see "
                                 "build_tools/site/review_points.py), or remove the marker")
            return review_page_markdown(self.review_points, src, marker.level, in_pack)
        if not (self.document.record.title and self.document.record.version):
            where = self._shown(self.settings.docs_dir / src)
            raise BuildError(f"{where}: <!-- {marker.name} --> needs extra.policy.title and "
                             "extra.policy.version in mkdocs.yml (the policy's document "
                             "control)", "add them under 'extra: policy:' in mkdocs.yml")
        if marker.name == markers.DOCUMENT_CONTROL:
            return document_control_markdown(self.document, src, marker.level,
                                             self.marked.get(markers.CHANGES))
        approved = self.comparison.approved
        titles = {p: page_title(t, p) for p, t in (approved.pages if approved else {}).items()}
        titles.update({p: page_title(self.pages[p], p) for p in self._policy_order()})
        return ChangesPage(self.comparison, titles, src, marker.level, in_pack).markdown()

    def page_html(self, src: str, html: str) -> PageHtml:
        """A page's HTML after conversion: every slot filled, and the tags its content needs."""
        url = page_url_of(src)
        needs: list[str] = []
        ids: set[str] = set()

        def fill(marker: markers.Marker) -> str:
            rendered = self._fill(marker, url, needs)
            if marker.name in markers.WITH_ARGUMENT:
                # Links may point into a guide (the coverage page links its outcomes). The
                # templates write every attribute in double quotes: a regex reads them.
                ids.update(_ID.findall(rendered))
            return rendered

        html, _ = markers.fill(html, fill)
        beside = self._beside_clauses(src, url)
        if beside or src in self._for_trustees:
            needs.append("review")
            html = insert_beside(html, beside)
        html = fill_contents(html)  # the board pack's contents, from its own headings
        return PageHtml(html + self.assets.tags(dict.fromkeys(needs), url), frozenset(ids))

    def _beside_clauses(self, src: str, url: str) -> dict[str, str]:
        """Clause anchor → what goes beside that clause on this page.

        On a policy page, the note for reviewers; in the board pack, a pointer to the
        points the pack opens with.
        """
        notes = NoteRenderer(self.markdown)
        review = self._url_of(markers.REVIEW_POINTS)
        if src == self.settings.board_pack_page:
            in_pack = markers.REVIEW_POINTS in {m.name for m in markers.scan(self.pages[src])}

            def href(point: CheckedPoint) -> str:
                if in_pack:
                    return f"#{point.anchor}"
                return relative_url(f"{review}#{point.anchor}", url) if review else ""

            return {ref.partition("#")[2]: notes.pointer(points, href)
                    for ref, points in self.points_by_clause.items()}
        return {ref.partition("#")[2]: notes.note(points, url, review)
                for ref, points in self.points_by_clause.items()
                if ref.partition("#")[0] == src}

    def _fill(self, marker: markers.Marker, url: str, needs: list[str]) -> str:
        name = marker.name
        if name == markers.DECISION_TREE:
            needs.append("widget")
            return self._widget(marker, url)
        if name == markers.GUIDE_OUTLINE:
            needs.append("outline")
            tree = self.trees[marker.arg]
            return (f'<div class="decision-tree-print-outline" id="{dom.outline(tree.id)}">'
                    f"{self.renderer.outline(tree, url, level=marker.level)}</div>\n"
                    + diagram_html(tree, self.svgs[tree.id]))
        if name == markers.PRACTICE_QUIZ:
            needs.append("quiz")
            return QuizRenderer(self.markdown).render(
                self.practice, self.tree_pages, url, self._url_of(markers.ACKNOWLEDGEMENT)
            )
        if name == markers.ACKNOWLEDGEMENT:
            needs.append("acknowledgement")
            cwc = [cid for cid, c in self.contacts.contacts.items()
                   if not c.national and c.group == "cwc"] + ["emergency-999"]
            known = [cid for cid in cwc if cid in self.contacts.contacts]
            try:
                return acknowledgement(self.policy,
                                       self._url_of(markers.PRACTICE_QUIZ), url,
                                       self.renderer.contact_list(known, url))
            except BuildError as error:
                where = self._shown(self.settings.docs_dir / self.marked[name])
                raise BuildError(f"{where}: {error.message}", error.hint) from None
        needs.append("contacts")
        pages = self.contact_pages
        if name == markers.CONTACTS:
            return pages.contacts_page(url, marker.level)
        if name == markers.WHAT_TO_DO_CARD:
            return pages.what_to_do_card(self.ordered_trees(), self.tree_pages, url,
                                         marker.level)
        return pages.practice_list(self.ordered_trees(), self.tree_pages, url,
                                   self.settings.contacts_file, marker.level)

    def _widget(self, marker: markers.Marker, url: str) -> str:
        tree = self.trees[marker.arg]
        # A page an author wrote shows the guide's summary with the widget; a generated
        # page already says it under its title.
        summary = self.tree_pages.get(tree.id) not in self.generated
        widget = self.renderer.widget(tree, engine_data(tree), url, level=marker.level,
                                      summary=summary)
        return widget + (
            '\n<details class="decision-tree-diagram__details" data-search-exclude>'
            "<summary>Diagram of this guide</summary>\n"
            f"{diagram_html(tree, self.svgs[tree.id])}\n</details>\n"
        )

    def _url_of(self, name: str) -> str | None:
        src = self.marked.get(name)
        return page_url_of(src) if src else None

    def final_html(self, html: str, name: str = "page.html") -> str:
        """The whole page, with its Content-Security-Policy as the first thing in <head>.

        ``name`` is the file's name; only HTML gets a policy (a theme may also render
        other files, such as a sitemap, from templates).
        """
        if not name.endswith(".html"):
            return html
        return csp.add_policy(html, shim=self._shim_text)

    @cached_property
    def _shim(self) -> Path:
        return ensure_package(IFRAME_WORKER, quiet=True) / "package" / "shim" / "index.js"

    @cached_property
    def _shim_text(self) -> str:
        return self._shim.read_text(encoding="utf-8")

    def write(self, site_dir: Path) -> None:
        """Write the runtime, the static files, the search shim and the manifest."""
        self.assets.write(site_dir, self._shim)
        entries = [manifest_entry(tree, self.tree_pages[tree_id], self.paths[tree_id])
                   for tree_id, tree in self.trees.items()]
        (site_dir / MANIFEST).write_text(manifest(entries), encoding="utf-8")

