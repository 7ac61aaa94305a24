"""The folders show the architecture, and the imports keep to it.

- only ``build_tools/mkdocs_plugin/`` imports MkDocs, and it is wiring: under 150 lines;
- the tree core (``build_tools/trees/``) imports nothing from the site layer, the runtime,
  the set-up or the adapters;
- the site layer imports no adapter.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.locations import ROOT

PACKAGE = ROOT / "build_tools"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def modules_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else sorted(PACKAGE.rglob("*.py"))


def test_only_the_adapter_imports_mkdocs() -> None:
    """Every module that imports mkdocs is in build_tools/mkdocs_plugin/."""
    importing = [p.relative_to(ROOT).as_posix() for p in modules_under("")
                 if any(m.split(".")[0] == "mkdocs" for m in imports_of(p))]
    assert importing and all(p.startswith("build_tools/mkdocs_plugin/") for p in importing)


def test_the_adapter_is_under_150_lines() -> None:
    """The MkDocs plugin is wiring only: all of it fits in 150 lines."""
    lines = sum(len(p.read_text(encoding="utf-8").splitlines())
                for p in modules_under("mkdocs_plugin"))
    assert lines < 150


def test_the_tree_core_imports_no_other_layer() -> None:
    """build_tools/trees/ depends on nothing above it."""
    above = ("build_tools.site", "build_tools.runtime", "build_tools.setup",
             "build_tools.mkdocs_plugin", "build_tools.cli")
    for path in modules_under("trees"):
        bad = [m for m in imports_of(path) if m.startswith(above)]
        assert not bad, f"{path.name} imports {bad}"


def test_the_site_layer_imports_no_adapter() -> None:
    """build_tools/site/ works for any generator: it imports neither adapter."""
    for path in modules_under("site"):
        bad = [m for m in imports_of(path)
               if m.startswith(("build_tools.mkdocs_plugin", "build_tools.cli", "mkdocs"))]
        assert not bad, f"{path.name} imports {bad}"
