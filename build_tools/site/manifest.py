"""``decision-trees.json``: what the tests (and other tools) need to know about each guide."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from build_tools.site.urls import page_url_of
from build_tools.trees.model import Tree
from build_tools.trees.paths import TreePath

FILE_NAME = "decision-trees.json"


def manifest_entry(tree: Tree, src: str, paths: Iterable[TreePath]) -> dict[str, Any]:
    """One tree's entry: title, page URL, start, outcomes, every path and every scenario."""
    return {
        "id": tree.id,
        "title": tree.title,
        "page": page_url_of(src),
        "start": tree.start,
        "outcomes": {
            oid: {"title": o.title, "kind": o.kind, "urgency": o.urgency,
                  "contacts": list(o.contacts), "shared": tree.shared.get(oid)}
            for oid, o in tree.outcomes.items()
        },
        "paths": [{"answers": list(p.answers), "outcome": p.outcome} for p in paths],
        "scenarios": [
            {"name": s.name, "answers": list(s.answers), "outcome": s.outcome}
            for s in tree.scenarios
        ],
    }


def manifest(entries: Iterable[Mapping[str, Any]]) -> str:
    """The text of ``decision-trees.json``."""
    return json.dumps({"trees": list(entries)}, ensure_ascii=False, indent=2) + "\n"
