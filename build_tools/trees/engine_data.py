"""Turn a checked tree into the plain data the engine runs on."""

from __future__ import annotations

from typing import Any

from build_tools.trees.model import Tree


def engine_data(tree: Tree) -> dict[str, Any]:
    """Return the JSON-able data :class:`build_tools.trees.engine.Engine` needs, and no texts.

    The shape is ``{"id", "start", "questions": {qid: {"options": [{"label", "next"}]}},
    "outcomes": {oid: {"kind"}}}``; the pages carry the words.
    """
    return {
        "id": tree.id,
        "start": tree.start,
        "questions": {
            qid: {"options": [{"label": o.label, "next": o.next} for o in question.options]}
            for qid, question in tree.questions.items()
        },
        "outcomes": {oid: {"kind": outcome.kind} for oid, outcome in tree.outcomes.items()},
    }
