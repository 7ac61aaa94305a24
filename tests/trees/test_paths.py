"""Every path through a tree: answers in option order, counted before they are listed."""

from __future__ import annotations

import json

import pytest

from build_tools.trees.engine_data import engine_data
from build_tools.trees.paths import (
    TooManyPaths,
    TreePath,
    count_paths,
    enumerate_paths,
    paths_to_json,
)
from build_tools.trees.validate import load_and_validate
from tests.locations import VALID


def test_paths_of_a_shared_node_tree() -> None:
    """A DAG lists one path per way through it, in option order."""
    (tree,) = load_and_validate([VALID / "shared-node.yaml"], None)
    assert enumerate_paths(tree) == [
        TreePath(("Yes",), "tell-safeguarding"),
        TreePath(("No", "Yes"), "tell-safeguarding"),
        TreePath(("No", "No", "On"), "share"),
        TreePath(("No", "No", "Off"), "keep"),
        TreePath(("No", "No", "n"), "keep"),
    ]


def test_tree_and_engine_data_give_the_same_paths() -> None:
    """enumerate_paths takes a Tree or its engine data."""
    (tree,) = load_and_validate([VALID / "non-ascii.yaml"], None)
    assert enumerate_paths(tree) == enumerate_paths(engine_data(tree))


def test_paths_are_json_able() -> None:
    """paths_to_json gives plain lists and strings."""
    (tree,) = load_and_validate([VALID / "non-ascii.yaml"], None)
    text = json.dumps(paths_to_json(enumerate_paths(tree)), ensure_ascii=False)
    assert json.loads(text)[0] == {"answers": ["Oui ✓"], "outcome": "grave"}


def ladder(steps: int) -> dict:
    """A tree of ``steps`` questions, each with two options to the next: 2**steps paths."""
    questions = {
        f"q{i}": {"options": [{"label": "A", "next": f"q{i + 1}" if i + 1 < steps else "end"},
                              {"label": "B", "next": f"q{i + 1}" if i + 1 < steps else "end"}]}
        for i in range(steps)
    }
    return {"id": "ladder", "start": "q0", "questions": questions, "outcomes": {"end": {}}}


def test_counting_is_fast_for_huge_path_counts() -> None:
    """2**200 paths are counted (a DP over the DAG), not listed."""
    assert count_paths(ladder(200)) == 2**200


def test_too_many_paths_is_a_clear_error() -> None:
    """Above the limit, enumerate_paths refuses at once and says why."""
    with pytest.raises(TooManyPaths, match="tree 'ladder' has 1,024 paths, more than the "
                       "limit of 1,000"):
        enumerate_paths(ladder(10), limit=1000)


def test_a_loop_is_refused() -> None:
    """Engine data with a loop is an error, not a hang."""
    data = ladder(3)
    data["questions"]["q2"]["options"][0]["next"] = "q0"
    with pytest.raises(TooManyPaths, match="loops"):
        count_paths(data)
