"""Every path through every guide as plain text: the committed decision_trees/PATHS.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.cli import main, shared_file, tree_files
from build_tools.trees.paths_text import REFRESH, paths_text, tree_paths_text
from build_tools.trees.validate import load_and_validate
from tests.locations import ROOT, VALID


def test_committed_paths_file_is_up_to_date() -> None:
    """decision_trees/PATHS.txt says what the guides say now (else: refresh it)."""
    folder = ROOT / "decision_trees"
    trees = load_and_validate(tree_files([folder]), None, shared=shared_file([folder]))
    committed = ROOT / "decision_trees" / "PATHS.txt"
    assert committed.is_file(), f"decision_trees/PATHS.txt is missing: run '{REFRESH}'"
    if committed.read_text(encoding="utf-8") != paths_text(trees):
        pytest.fail(f"decision_trees/PATHS.txt is out of date: run '{REFRESH}' and commit it")


def test_format_of_one_tree() -> None:
    """Title and count, numbered paths: question → answer lines, outcome, contacts, cites."""
    (tree,) = load_and_validate([VALID / "shared-node.yaml"], None)
    text = tree_paths_text(tree)
    assert text.startswith(
        "== shared-node: A client has told me something. Can I share it? (5 paths)\n"
        "\n"
        "1. Does it suggest that a child, young person or vulnerable adult is at serious risk"
        " of harm? → Yes\n"
        "   ⇒ Tell a member of the safeguarding team today [danger, today] (tell-safeguarding)\n"
        "     contacts: charity-manager\n"
        "     cites: policy/exceptions.md#serious-harm\n"
        "\n"
        "2. Does it suggest"
    )
    assert (
        "5. Does it suggest that a child, young person or vulnerable adult is at serious risk"
        " of harm? → No\n"
        "   Is someone's life at risk? → No\n"
        "   Has the client agreed that you may share it? → n\n"
        "   ⇒ Keep it confidential [info, soon] (keep)\n"
        "     contacts: charity-manager\n"
        "     cites: policy/exceptions.md#serious-harm_1, guides/police.md#when-the-police-ask\n"
    ) in text


def test_all_trees_sorted_by_id_with_a_header() -> None:
    """One block a tree, sorted by id, under a header naming the command that writes it."""
    trees = load_and_validate(sorted(VALID.glob("*.yaml"), reverse=True), None)
    text = paths_text(trees)
    assert text.splitlines()[1] == f"# Written by '{REFRESH}'; do not edit by hand."
    heads = [line.split(":")[0] for line in text.splitlines() if line.startswith("== ")]
    assert heads == ["== long-markdown", "== non-ascii", "== shared-node"]
    folded = "This question is written over several lines in a folded block, so that it"
    assert f"1. {folded}" in text  # a folded block is one line


def test_cli_write_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--write writes DIR/PATHS.txt; --check passes, then fails once the file differs."""
    target = tmp_path / "PATHS.txt"
    assert main(["paths", "--all", str(VALID), "--write", str(target)]) == 0
    assert main(["paths", "--all", str(VALID), "--check", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main(["paths", "--all", str(VALID), "--check", str(target)]) == 1
    assert capsys.readouterr().err == f"{target} is out of date: run '{REFRESH}'\n"


def test_cli_prints_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --write or --check the text goes to stdout; `paths FILE` is unchanged."""
    assert main(["paths", "--all", str(VALID)]) == 0
    assert "== non-ascii:" in capsys.readouterr().out
    assert main(["paths", str(VALID / "non-ascii.yaml")]) == 0
    assert capsys.readouterr().out == "Oui ✓ → grave\nNon / pas du tout → calme\n"
