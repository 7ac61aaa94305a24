"""The site layer on its own: a whole build of the fixture site with no MkDocs at all.

MkDocs reaches the end of its life in 2027; everything that is not wiring lives in
build_tools/site/, so another generator can call the same functions. This test refuses
any import of mkdocs and drives a build the way an adapter does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.locations import ROOT, SITE_FIXTURE

DRIVER = r'''
import importlib.abc, json, sys
from pathlib import Path


class NoMkDocs(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "mkdocs" or name.startswith("mkdocs."):
            raise ImportError(f"the site layer imported {name}")


sys.meta_path.insert(0, NoMkDocs())
from build_tools.site.build import SiteBuild
from build_tools.site.settings import read_settings

project, out = Path(sys.argv[1]), Path(sys.argv[2])
settings = read_settings(project / "mkdocs.yml", runtime=False)
site = SiteBuild(settings)
pages = {p.relative_to(settings.docs_dir).as_posix(): p.read_text(encoding="utf-8")
         for p in sorted(settings.docs_dir.rglob("*.md"))}
added = site.generated_pages(pages)
pages.update({page.src: page.markdown for page in added})
converter = settings.markdown.converter()
html, tags = {}, {}
for src, text in pages.items():
    tags[src] = site.page_meta(src, {}).get("tags")
    body = converter.reset().convert(site.page_markdown(src, text))
    page = site.page_html(src, body)
    whole = f"<html><head><meta charset=utf-8></head><body>{page.html}</body></html>"
    html[src] = site.final_html(whole)
out.mkdir(parents=True, exist_ok=True)
site.write(out)
print(json.dumps({"added": [p.src for p in added], "nav": site.nav(settings.nav), "html": html,
                  "tags": tags,
                  "mkdocs_loaded": any(m.split(".")[0] == "mkdocs" for m in sys.modules)}))
'''


def drive(tmp_path: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", DRIVER, str(SITE_FIXTURE), str(tmp_path / "out")],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_site_layer_builds_a_site_without_mkdocs(tmp_path: Path) -> None:
    """Pages, widgets, nav, search words, CSP and the manifest, with mkdocs imports refused."""
    result = drive(tmp_path)
    assert result["mkdocs_loaded"] is False
    assert set(result["added"]) == {"guides/dropped-in.md", "coverage.md", "policy/board-pack.md"}
    assert {"Guides": ["embedded.md", "guides/dropped-in.md"]} in result["nav"]
    embedded = result["html"]["embedded.md"]
    assert '<section class="decision-tree" data-tree="embedded-guide"' in embedded
    assert 'data-urgency="today"' in embedded and 'data-role="contacts"' in embedded
    assert '<meta http-equiv="Content-Security-Policy"' in embedded
    assert result["tags"]["embedded.md"] == ["tittle-tattle", "chin wag", "pal", "boss"]
    assert result["tags"]["guides/dropped-in.md"] == ["orphan"]
    manifest = json.loads((tmp_path / "out" / "decision-trees.json").read_text("utf-8"))
    assert sorted(t["id"] for t in manifest["trees"]) == ["dropped-in", "embedded-guide"]
