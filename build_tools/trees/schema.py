"""The JSON Schema of the decision-tree format, generated from the pydantic model.

Editors use it through a first line in each tree file::

    # yaml-language-server: $schema=../docs/authoring/decision-tree.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from build_tools.trees.model import TreeFile

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILES = (
    ROOT / "build_tools" / "trees" / "decision-tree.schema.json",
    ROOT / "docs" / "authoring" / "decision-tree.schema.json",
)
"""The shipped schema and its copy published with the authors' guide."""

REGENERATE = "python -m build_tools schema --write"


def generate_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a decision-tree file."""
    schema = TreeFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """Return the schema as the text of the shipped files."""
    return json.dumps(generate_schema(), indent=2, ensure_ascii=False) + "\n"


def stale_schema_files() -> list[Path]:
    """Return the schema files that differ from the model (missing ones included)."""
    text = schema_text()
    return [p for p in SCHEMA_FILES if not p.is_file() or p.read_text(encoding="utf-8") != text]


def write_schema_files() -> list[Path]:
    """Write the schema files; return them."""
    text = schema_text()
    for path in SCHEMA_FILES:
        path.write_text(text, encoding="utf-8")
    return list(SCHEMA_FILES)
