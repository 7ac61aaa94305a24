"""The ``cwc-decision-trees`` MkDocs plugin: MkDocs events wired to the site layer.

Each event hands MkDocs' data to :class:`build_tools.site.build.SiteBuild` and puts the
answer back; nothing more.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from build_tools.errors import BuildError
from build_tools.mkdocs_plugin.config import DecisionTreesConfig
from build_tools.site.build import SiteBuild
from build_tools.site.settings import settings_from

log = logging.getLogger("mkdocs.plugins.cwc-decision-trees")


def _clean_errors[F: Callable[..., Any]](event: F) -> F:
    """Turn the site layer's deliberate errors into MkDocs' own (one message, no traceback)."""

    @functools.wraps(event)
    def wired(*args: Any, **kwargs: Any) -> Any:
        try:
            return event(*args, **kwargs)
        except BuildError as error:
            raise PluginError(error.format()) from None

    return wired  # type: ignore[return-value]


class DecisionTreesPlugin(BasePlugin[DecisionTreesConfig]):
    """Validate decision trees, compile them into pages, and ship their runtime."""

    site: SiteBuild

    @_clean_errors
    def on_config(self, config: Any) -> Any:
        """Check every guide before anything is written; prepare the runtime."""
        extensions = [{n: config.mdx_configs.get(n, {})} for n in config.markdown_extensions]
        self.site = SiteBuild(settings_from(
            Path(config.config_file_path), dict(self.config), docs_dir=Path(config.docs_dir),
            extensions=extensions, nav=config.nav, extra=config.extra,
        ))
        config.extra["policy"] = self.site.policy  # the approval record, as the stamp shows it
        for notice in self.site.notices:
            log.info(notice.format())
        return config

    @_clean_errors
    def on_files(self, files: Files, *, config: Any) -> Files:
        """Add the pages the site layer makes; add the guides to the nav."""
        written = {f.src_uri: f.content_string for f in files.documentation_pages()}
        for page in self.site.generated_pages(written):
            files.append(File.generated(config, page.src, content=page.markdown))
        config.nav = self.site.nav(config.nav)
        return files

    @_clean_errors
    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        """Search words join the page's tags; markers become slots; policy pages get links."""
        page.meta = self.site.page_meta(page.file.src_uri, page.meta)
        return self.site.page_markdown(page.file.src_uri, markdown)

    @_clean_errors
    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        """Fill the slots; MkDocs' link check learns the ids the widgets put on the page."""
        result = self.site.page_html(page.file.src_uri, html)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(result.ids)
        return result.html

    @event_priority(-100)  # last: the policy hashes the page's final inline scripts
    @_clean_errors
    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        """Every page carries the Content-Security-Policy."""
        return self.site.final_html(output)

    @event_priority(-100)
    @_clean_errors
    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        """The same policy for the theme's own HTML templates (404.html)."""
        return self.site.final_html(output_content, template_name)

    @event_priority(50)
    @_clean_errors
    def on_post_build(self, *, config: Any) -> None:
        """Write the runtime, the static files, the search shim and the manifest."""
        self.site.write(Path(config.site_dir))

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """Rebuild when a guide changes, like when a page changes."""
        for path in self.site.watched:
            server.watch(str(path))
        return server
