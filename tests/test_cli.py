"""The command line: check, paths and schema, with exit status 0, 1 or 2 and no traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.cli import main
from tests.locations import FIXTURES, ROOT


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with decision_trees/ (the valid fixtures) and docs/, as the working folder."""
    shutil.copytree(FIXTURES / "valid", tmp_path / "decision_trees")
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_defaults_to_decision_trees_and_docs(project: Path, capsys) -> None:
    """With no arguments, check reads decision_trees/ and docs/ and exits 0."""
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "checked 3 trees: 0 errors\n"


def test_check_reports_errors_and_exits_1(project: Path, capsys) -> None:
    """Errors go to stderr in the uniform format, the summary to stdout."""
    shutil.copy(FIXTURES / "invalid" / "next-missing.yaml", project / "decision_trees")
    assert main(["check", "decision_trees", "--docs", "docs"]) == 1
    out, err = capsys.readouterr()
    assert out == "checked 4 trees: 1 error\n"
    assert err.startswith("decision_trees/next-missing.yaml:17:15: error: next 'kep'")
    assert "  hint: did you mean 'keep'?" in err


def test_check_reads_the_review_points_too(project: Path, capsys) -> None:
    """A review point about a clause that does not exist fails the check, at its line."""
    (project / "docs" / "policy" / "review-points.yml").write_text(
        "points:\n  - id: a-point\n    title: A point\n    kind: gap\n"
        "    clauses: [policy/exceptions.md#nowhere]\n    point: P.\n    why: W.\n"
        "    suggestion: S.\n", encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("docs/policy/review-points.yml:5:15: error: review point 'a-point' "
                          "names 'policy/exceptions.md#nowhere'")


@pytest.mark.parametrize(
    "argv", [["check", "nowhere"], ["check", "--docs", "nowhere"], ["paths", "nowhere.yaml"]]
)
def test_missing_paths_are_usage_errors(project: Path, argv: list[str], capsys) -> None:
    """A path that does not exist exits 2 with a one-line message."""
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: no such")


def test_bad_arguments_exit_2(capsys) -> None:
    """argparse's own usage errors exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(["paths"])
    assert caught.value.code == 2


def test_paths_lines(project: Path, capsys) -> None:
    """paths prints one line per path: answers then the outcome id."""
    assert main(["paths", "decision_trees/shared-node.yaml"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "Yes → tell-safeguarding", "No → Yes → tell-safeguarding",
    ]


def test_paths_json(project: Path, capsys) -> None:
    """paths --json prints the tree id, the count and the paths."""
    assert main(["paths", "decision_trees/non-ascii.yaml", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["tree"] == "non-ascii" and document["count"] == 2
    assert document["paths"][1] == {"answers": ["Non / pas du tout"], "outcome": "calme"}


def test_paths_limit(project: Path, capsys) -> None:
    """Above --limit, paths exits 1 with a clear message."""
    assert main(["paths", "decision_trees/shared-node.yaml", "--limit", "3"]) == 1
    assert "has 5 paths, more than the limit of 3" in capsys.readouterr().err


def test_paths_of_a_broken_tree(project: Path, capsys) -> None:
    """paths on a broken tree prints its errors and exits 1."""
    assert main(["paths", str(FIXTURES / "invalid" / "cycle.yaml")]) == 1
    err = capsys.readouterr().err
    assert "the questions loop: serious-harm → consent → serious-harm" in err


def test_schema_check_passes(capsys) -> None:
    """schema --check exits 0 while the shipped files match the model."""
    assert main(["schema", "--check"]) == 0


def test_every_invalid_fixture_gives_exit_1_without_traceback(capsys) -> None:
    """No broken input makes the command line crash."""
    assert main(["check", str(FIXTURES / "invalid"), "--docs", str(FIXTURES / "docs")]) == 1
    out, err = capsys.readouterr()
    count = len(list((FIXTURES / "invalid").iterdir()))
    assert out.startswith(f"checked {count} trees: ") and "Traceback" not in err


def test_module_entry_point_and_light_import() -> None:
    """'python -m build_tools' runs, and 'import build_tools' loads neither pydantic nor YAML."""
    code = ("import sys, build_tools; "
            "print(any(m.split('.')[0] in ('pydantic', 'ruamel', 'yaml') for m in sys.modules))")
    light = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert light.stdout.strip() == "False"
    run = subprocess.run([sys.executable, "-m", "build_tools", "check", str(FIXTURES / "valid"),
                          "--docs", str(FIXTURES / "docs")], cwd=ROOT, capture_output=True,
                         text=True)
    assert (run.returncode, run.stdout) == (0, "checked 3 trees: 0 errors\n")
