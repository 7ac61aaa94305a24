"""Every path through every guide as plain text, for reviewing a change in a diff.

``decision_trees/PATHS.txt`` is this text, committed beside the guides. A change to a
guide that changes what a reader is told shows up there as a few changed lines, which a
reviewer (a trustee, say) can read without knowing YAML. A test fails when the file is
out of date; :data:`REFRESH` is the command that rewrites it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from build_tools.trees.paths import PATH_LIMIT, enumerate_paths

FILE_NAME = "PATHS.txt"
REFRESH = "python -m build_tools paths --all --write"

HEADER = (
    "# Every path through every guide: the questions, the answers and where they lead.\n"
    f"# Written by '{REFRESH}'; do not edit by hand.\n"
)


def paths_text(trees: Iterable[Any], limit: int = PATH_LIMIT) -> str:
    """Return every path of every tree (sorted by tree id) as plain text.

    Each tree gives its id and title, then its paths, numbered, one line per question
    (``question → answer``), ending in ``⇒ outcome title [kind, urgency] (outcome-id)``,
    whom to tell (contact ids, in order), the clauses the outcome cites, and whether it
    carries good-practice advice beyond the policy.
    """
    blocks = [tree_paths_text(tree, limit) for tree in sorted(trees, key=lambda t: t.id)]
    return HEADER + "".join("\n" + block for block in blocks)


def tree_paths_text(tree: Any, limit: int = PATH_LIMIT) -> str:
    """Return the paths of one tree as plain text (see :func:`paths_text`)."""
    paths = enumerate_paths(tree, limit=limit)
    count = f"{len(paths)} path" + ("" if len(paths) == 1 else "s")
    lines = [f"== {tree.id}: {_flat(tree.title)} ({count})", ""]
    for number, path in enumerate(paths, start=1):
        prefix = f"{number}. "
        node = tree.start
        for answer in path.answers:
            question = tree.questions[node]
            lines.append(f"{prefix}{_flat(question.text)} → {answer}")
            prefix = " " * len(prefix)
            node = next(o.next for o in question.options if o.label == answer)
        outcome = tree.outcomes[path.outcome]
        shared = f", shared: {tree.shared[path.outcome]}" if path.outcome in tree.shared else ""
        lines.append(
            f"{prefix}⇒ {_flat(outcome.title)} [{outcome.kind}, {outcome.urgency}] "
            f"({path.outcome}{shared})"
        )
        lines.append(f"{prefix}  contacts: {', '.join(outcome.contacts)}")
        lines.append(f"{prefix}  cites: {', '.join(outcome.cites)}")
        if outcome.practice or outcome.if_nobody_answers:
            lines.append(f"{prefix}  good practice: {_flat(outcome.practice or '')}".rstrip())
        lines.append("")
    return "\n".join(lines)


def _flat(text: str) -> str:
    """Text on one line (a folded YAML block may carry line breaks)."""
    return " ".join(text.split())


def default_file(trees_dir: Path) -> Path:
    """Where the committed text lives for a folder of guides: ``<dir>/PATHS.txt``."""
    return trees_dir / FILE_NAME
