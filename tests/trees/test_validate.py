"""The validator: every rule, every problem in every file, in one uniform format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_tools.errors import Problem, TreeErrors
from build_tools.trees.validate import load_and_validate, suggest_id
from tests.helpers import docs_index
from tests.locations import FIXTURES, INVALID, VALID


def test_valid_trees_load_with_their_content() -> None:
    """A valid tree comes back typed, with id, source and YAML order kept."""
    (tree,) = load_and_validate([VALID / "shared-node.yaml"], docs_index())
    assert tree.id == "shared-node" and tree.source == VALID / "shared-node.yaml"
    assert list(tree.questions) == ["serious-harm", "life-at-risk", "consent"]
    assert list(tree.outcomes) == ["tell-safeguarding", "share", "keep"]
    assert [o.label for o in tree.questions["consent"].options] == ["On", "Off", "n"]
    assert tree.outcomes["keep"].cites[1] == "guides/police.md#when-the-police-ask"
    assert tree.scenarios[2].answers == ["No", "No", "n"]
    assert tree.position("questions", "consent", "options", 1, "label") == (26, 16)


def test_markdown_and_unicode_survive() -> None:
    """Long Markdown blocks and non-ASCII text come through unchanged."""
    trees = load_and_validate(sorted(VALID.glob("*.yaml")), docs_index())
    by_id = {tree.id: tree for tree in trees}
    assert by_id["non-ascii"].outcomes["calme"].body == "Rien à faire. 日本語も大丈夫。"
    assert "| now  | act  |" in (by_id["long-markdown"].summary or "")
    assert by_id["long-markdown"].outcomes["act"].body.startswith("## What to do\n")


def test_all_problems_in_all_files_are_reported_at_once() -> None:
    """Problems from several files come in one TreeErrors, sorted by file and line."""
    files = [INVALID / "next-missing.yaml", INVALID / "cycle.yaml", VALID / "non-ascii.yaml"]
    with pytest.raises(TreeErrors) as caught:
        load_and_validate(files, docs_index(), root=FIXTURES)
    assert [(p.path, p.line) for p in caught.value.problems] == [
        ("invalid/cycle.yaml", 17), ("invalid/cycle.yaml", 35), ("invalid/next-missing.yaml", 17),
    ]
    assert str(caught.value).endswith("\n3 errors in 2 files")


def test_error_format() -> None:
    """A problem prints as path:line:col: error: message, then an indented hint."""
    problem = Problem(
        "decision_trees/x.yaml", 12, 9, "unknown key 'optons'", "did you mean 'options'?"
    )
    assert problem.format() == (
        "decision_trees/x.yaml:12:9: error: unknown key 'optons'\n  hint: did you mean 'options'?"
    )


def test_without_docs_cites_are_not_resolved() -> None:
    """With docs_dir None, a cite to a missing page is not an error (its form still is)."""
    (tree,) = load_and_validate([INVALID / "cite-missing-page.yaml"], None)
    assert tree.id == "cite-missing-page"
    with pytest.raises(TreeErrors):
        load_and_validate([INVALID / "cite-bad-format.yaml"], None)


def test_same_tree_id_in_two_folders(tmp_path: Path) -> None:
    """Two files with the same stem would be the same tree: an error."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(VALID / "non-ascii.yaml", tmp_path / folder / "same.yaml")
    with pytest.raises(TreeErrors, match="tree id 'same' is also the id of a/same.yaml"):
        load_and_validate(sorted(tmp_path.glob("*/same.yaml")), docs_index(), root=tmp_path)


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    """A folder given as a tree file is reported as unreadable."""
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    with pytest.raises(TreeErrors, match="cannot read the file"):
        load_and_validate([folder], None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Serious Harm", "serious-harm"), ("première fois", "premiere-fois"), ("___", "my-id")],
)
def test_suggest_id(text: str, expected: str) -> None:
    """Hints suggest a valid id made from what the author wrote."""
    assert suggest_id(text) == expected
