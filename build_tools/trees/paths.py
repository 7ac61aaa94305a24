"""Every path through a tree, from the start to an outcome: the answers and where they end.

Used by the tests (every path must replay), the manifest and the CLI. The paths are
counted first, so a tree with too many of them fails at once instead of hanging.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from build_tools.errors import BuildError

PATH_LIMIT = 10_000
"""The most paths a guide may have before the build stops (more means it should be split)."""


class TreePath(NamedTuple):
    """One way through a tree: the option labels chosen, and the outcome id reached."""

    answers: tuple[str, ...]
    outcome: str

    def to_json(self) -> dict[str, Any]:
        """Return ``{"answers": [...], "outcome": ...}``."""
        return {"answers": list(self.answers), "outcome": self.outcome}


class TooManyPaths(BuildError):
    """A tree has more paths than the limit allows."""


def enumerate_paths(data_or_tree: Any, limit: int = PATH_LIMIT) -> list[TreePath]:
    """Return every start → outcome path, in option order.

    Args:
        data_or_tree: A :class:`~build_tools.trees.model.Tree` or its engine data.
        limit: The most paths accepted.

    Raises:
        TooManyPaths: If the tree has more than ``limit`` paths (or loops).
    """
    data = _engine_data(data_or_tree)
    questions = data["questions"]
    count = count_paths(data)
    if count > limit:
        raise TooManyPaths(
            f"tree '{data.get('id', '?')}' has {count:,} paths, more than the limit of "
            f"{limit:,}: split it into smaller guides, or raise the limit"
        )
    paths: list[TreePath] = []
    labels: list[str] = []  # the answers on the way down; copied only at an outcome
    stack = [iter(questions[data["start"]]["options"])]
    while stack:
        option = next(stack[-1], None)
        if option is None:
            stack.pop()
            if labels:
                labels.pop()
            continue
        labels.append(option["label"])
        if option["next"] in questions:
            stack.append(iter(questions[option["next"]]["options"]))
        else:
            paths.append(TreePath(tuple(labels), option["next"]))
            labels.pop()
    return paths


def count_paths(data: dict[str, Any]) -> int:
    """Return how many start → outcome paths the engine data has (a DP over the DAG)."""
    questions = data["questions"]
    counts: dict[str, int] = {}
    on_path: set[str] = set()
    stack = [data["start"]]
    while stack:
        node = stack[-1]
        if node not in questions:
            counts[node] = 1
            stack.pop()
            continue
        waiting = [o["next"] for o in questions[node]["options"] if o["next"] not in counts]
        if not waiting:
            counts[node] = sum(counts[o["next"]] for o in questions[node]["options"])
            on_path.discard(node)
            stack.pop()
            continue
        if node in on_path or any(w in on_path for w in waiting):
            raise TooManyPaths(f"tree '{data.get('id', '?')}' loops through '{node}'")
        on_path.add(node)
        stack.extend(waiting)
    return counts[data["start"]]


def paths_to_json(paths: list[TreePath]) -> list[dict[str, Any]]:
    """Return the paths as JSON-able dicts."""
    return [path.to_json() for path in paths]


def _engine_data(data_or_tree: Any) -> dict[str, Any]:
    if isinstance(data_or_tree, dict):
        return data_or_tree
    from build_tools.trees.engine_data import engine_data

    return engine_data(data_or_tree)
