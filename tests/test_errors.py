"""One error family: every deliberate error reaches a person as one clean block, never a traceback.

Each member of the family is raised where the site layer would raise it, and goes out
through both adapters: the MkDocs plugin (as MkDocs' own ``PluginError``, which MkDocs
prints as one message) and the command line (``python -m build_tools``, exit status 1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from build_tools.cli import UsageError, main
from build_tools.errors import BuildError, Problem, TreeErrors
from build_tools.mkdocs_plugin import plugin as plugin_module
from build_tools.runtime.bundle import RuntimeBuildError
from build_tools.runtime.glue import GlueError
from build_tools.runtime.lockfile import LockfileError
from build_tools.setup.fetch import FetchError
from build_tools.site.csp import PolicyError
from build_tools.site.diagram import DiagramError
from build_tools.trees.paths import TooManyPaths
from tests.helpers import build_site
from tests.locations import ROOT, SITE_FIXTURE

FAMILY = [
    TreeErrors([Problem("decision_trees/x.yaml", 3, 5, "unknown key 'optons'", "did you mean?")]),
    TooManyPaths("tree 'x' has 20,000 paths, more than the limit of 10,000"),
    DiagramError("Node.js is needed to draw the guides' diagrams", "install Node.js"),
    RuntimeBuildError("making the Pyodide snapshot failed", "does the engine import?"),
    GlueError("pyodide.asm.mjs does not have the expected shape"),
    LockfileError("'pyodide lockfile add-wheels' failed"),
    FetchError("npm is needed once to fetch pyodide@314.0.7"),
    PolicyError("the page has no <head>"),
    BuildError("docs/contacts.yml: the contacts file does not exist", "see the authors' guide"),
]


def test_every_deliberate_error_is_a_build_error() -> None:
    """Each class the build raises on purpose derives from BuildError, with an optional hint."""
    for error in FAMILY:
        assert isinstance(error, BuildError)
    assert issubclass(UsageError, BuildError)


@pytest.mark.parametrize("error", FAMILY, ids=[type(e).__name__ for e in FAMILY])
def test_the_plugin_reports_it_as_one_message(error: BuildError, monkeypatch) -> None:
    """Through MkDocs: a PluginError with the message and hint, and no chained traceback."""

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(plugin_module, "SiteBuild", fail)
    plugin = plugin_module.DecisionTreesPlugin()
    plugin.load_config({})
    config = type("Config", (), {
        "config_file_path": str(SITE_FIXTURE / "mkdocs.yml"), "docs_dir": str(SITE_FIXTURE),
        "markdown_extensions": [], "mdx_configs": {}, "nav": None, "extra": {},
    })()
    with pytest.raises(PluginError) as caught:
        plugin.on_config(config)
    assert str(caught.value) == error.format()
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    if error.hint:
        assert str(caught.value).endswith(f"\n  hint: {error.hint}")


@pytest.mark.parametrize("error", FAMILY, ids=[type(e).__name__ for e in FAMILY])
def test_the_command_line_prints_it_as_one_block(error: BuildError, monkeypatch, capsys) -> None:
    """Through the CLI: the block on stderr, exit status 1, no traceback."""

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("build_tools.trees.validate.load_tree_set", fail)
    assert main(["check", str(ROOT / "decision_trees")]) == 1
    err = capsys.readouterr().err
    # The check prints each problem, and its own count ("checked 8 trees: 1 error").
    shown = [p.format() for p in error.problems] if isinstance(error, TreeErrors) else [
        error.format()]
    assert all(block in err for block in shown) and "Traceback" not in err


def test_a_real_failure_reaches_mkdocs_users_without_a_traceback(tmp_path: Path) -> None:
    """End to end: a site whose contacts file is missing stops with one clear message."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(SITE_FIXTURE, project)
    (project / "docs" / "contacts.yml").unlink()
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/contacts.yml: the contacts file does not exist" in result.stderr
    assert "hint: outcomes name contacts from it" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_usage_error_exits_2_with_one_line() -> None:
    """A command line that cannot be carried out says why in one line, exit status 2."""
    run = subprocess.run([sys.executable, "-m", "build_tools", "check", "no/such/folder"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr == "error: no such file or folder: no/such/folder\n"
