"""The site layer's settings: where things are and how pages are rendered, in one object.

An adapter fills :class:`SiteSettings` from its own configuration (the MkDocs plugin from
``mkdocs.yml`` as MkDocs parsed it); :func:`read_settings` reads them straight from a
``mkdocs.yml`` file, for the command line and the tests, without MkDocs. Zensical reads
the same file, so the settings survive a move of generator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.errors import BuildError
from build_tools.site.markdown import MarkdownSettings
from build_tools.trees.paths import PATH_LIMIT


@dataclass(frozen=True)
class SiteSettings:
    """Everything the site layer needs to know about one site.

    Attributes:
        root: The folder of ``mkdocs.yml`` (paths in messages are shown relative to it).
        docs_dir: The docs folder.
        trees_dir: The folder of decision-tree YAML files.
        markdown: The site's Markdown extensions and their options.
        nav: The navigation as written in ``mkdocs.yml`` (None: the generator makes one).
        policy: Document control (``extra.policy``): title, organisation, version, approval.
        guides_dir: Docs folder for the pages of guides that no page embeds.
        nav_section: Navigation section that lists every guide page not already in the nav.
        clauses_dir: Docs folder whose pages hold the policy's clauses.
        coverage_exclude: Pages under ``clauses_dir`` that hold no clauses.
        coverage_page: Where the generated clause-coverage page goes ('' for none).
        board_pack_page: Where the printable board pack goes ('' for none); in
            ``clauses_dir``, so the policy pages' relative links keep working.
        board_pack_extra: Other pages the board pack carries after the policy, in order.
        board_pack_front: Pages the board pack opens with, before the policy, in order
            (document control, what changed since the last approval, the review points).
        contacts_file: The contacts file, relative to the docs folder.
        quiz_file: The practice questions, relative to the docs folder.
        review_points_file: The points for the Board's review, relative to the docs folder.
        config_file: The ``mkdocs.yml`` the settings come from (for line numbers in
            errors about ``extra.policy``), or None.
        path_limit: The most paths a guide may have.
        runtime: Whether to prepare the Pyodide runtime (off for tests of the layer alone).
    """

    root: Path
    docs_dir: Path
    trees_dir: Path
    markdown: MarkdownSettings = field(default_factory=MarkdownSettings)
    nav: Any = None
    policy: Mapping[str, Any] = field(default_factory=dict)
    guides_dir: str = "guides"
    nav_section: str = "Guides"
    clauses_dir: str = "policy"
    coverage_exclude: tuple[str, ...] = ("policy/editorial-notes.md",)
    coverage_page: str = "coverage.md"
    board_pack_page: str = "policy/board-pack.md"
    board_pack_extra: tuple[str, ...] = ("contacts.md", "trustees/good-practice.md")
    board_pack_front: tuple[str, ...] = (
        "trustees/document-control.md", "trustees/changes.md", "trustees/review-points.md"
    )
    contacts_file: str = "contacts.yml"
    quiz_file: str = "induction/practice-questions.yml"
    review_points_file: str = "policy/review-points.yml"
    path_limit: int = PATH_LIMIT
    runtime: bool = True
    config_file: Path | None = None

    @property
    def contacts_path(self) -> Path:
        """The contacts file."""
        return self.docs_dir / self.contacts_file

    @property
    def quiz_path(self) -> Path:
        """The practice questions file."""
        return self.docs_dir / self.quiz_file

    @property
    def review_points_path(self) -> Path:
        """The points for the Board's review."""
        return self.docs_dir / self.review_points_file


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, where tags such as ``!!python/name:…`` may appear, as plain data."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _any_tag)


BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
"""The extensions MkDocs always uses, whatever ``markdown_extensions`` says."""


def markdown_settings(extensions: Any) -> MarkdownSettings:
    """``markdown_extensions`` as written in mkdocs.yml (names, or name → options).

    MkDocs' built-in extensions come first, as MkDocs adds them.
    """
    names: list[str] = []
    configs: dict[str, Mapping[str, Any]] = {}
    for item in extensions or []:
        if isinstance(item, Mapping):
            for name, options in item.items():
                names.append(name)
                configs[name] = dict(options or {})
        else:
            names.append(str(item))
    builtins = [name for name in BUILTIN_EXTENSIONS if name not in names]
    return MarkdownSettings((*builtins, *names), configs)


def settings_from(
    config_file: Path, options: Mapping[str, Any], *, docs_dir: Path | None = None,
    extensions: Any = None, nav: Any = None, extra: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> SiteSettings:
    """Settings from a site's configuration, as any generator reads ``mkdocs.yml``.

    Args:
        config_file: The ``mkdocs.yml`` (its folder is the site's root).
        options: The plugin's options (``trees_dir``, ``guides_dir`` …; unknown ones ignored).
        docs_dir: The docs folder (default: ``docs`` beside the file).
        extensions: ``markdown_extensions``, as names or ``{name: options}`` mappings.
        nav: The written navigation.
        extra: ``extra`` (its ``policy`` is the document control).
        overrides: Settings that win over all of these (e.g. ``runtime=False``).
    """
    root = config_file.resolve().parent
    known = set(SiteSettings.__dataclass_fields__) - {"root", "docs_dir", "trees_dir",
                                                      "config_file"}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in options.items() if k in known
    }
    values.update(overrides)
    return SiteSettings(
        root=root,
        docs_dir=docs_dir or root / "docs",
        trees_dir=root / options.get("trees_dir", "decision_trees"),
        markdown=markdown_settings(extensions),
        nav=nav,
        policy=(extra or {}).get("policy") or {},
        config_file=config_file.resolve(),
        **values,
    )


def read_settings(config_file: Path, **overrides: Any) -> SiteSettings:
    """The settings of the site whose ``mkdocs.yml`` is ``config_file``.

    Plugin options (``plugins: - cwc-decision-trees: {…}``) are read too; ``overrides``
    win over both.

    Raises:
        BuildError: If the file cannot be read.
    """
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, yaml.YAMLError) as error:
        raise BuildError(f"{config_file}: cannot read the site settings: {error}") from None
    options: dict[str, Any] = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, Mapping) and "cwc-decision-trees" in plugin:
            options = dict(plugin["cwc-decision-trees"] or {})
    root = config_file.resolve().parent
    return settings_from(
        config_file, options, docs_dir=root / config.get("docs_dir", "docs"),
        extensions=config.get("markdown_extensions"), nav=config.get("nav"),
        extra=config.get("extra"), **overrides,
    )
