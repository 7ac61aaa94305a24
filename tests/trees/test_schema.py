"""The JSON Schema: generated from the model, shipped twice, kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools.trees import schema
from tests.locations import VALID


@pytest.mark.parametrize("path", schema.SCHEMA_FILES, ids=lambda p: p.parent.name)
def test_shipped_schema_matches_the_model(path: Path) -> None:
    """Each schema file is what the model generates now."""
    assert path.is_file() and path.read_text(encoding="utf-8") == schema.schema_text(), (
        f"{path} is out of date: run '{schema.REGENERATE}'"
    )


def test_schema_describes_the_format() -> None:
    """The schema forbids unknown keys and knows the required ones, ids and kinds."""
    generated = schema.generate_schema()
    assert generated["$schema"].endswith("2020-12/schema")
    assert generated["additionalProperties"] is False
    assert set(generated["required"]) == {"title", "start", "questions", "outcomes"}
    assert generated["properties"]["questions"]["additionalProperties"] is False
    assert generated["$defs"]["Outcome"]["properties"]["kind"]["enum"] == [
        "success", "info", "warning", "danger",
    ]
    assert generated["$defs"]["Question"]["properties"]["options"]["minItems"] == 2


def test_valid_fixtures_name_the_schema() -> None:
    """A fixture shows the editor header that points at the shipped schema."""
    first = (VALID / "shared-node.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (VALID / first.split("$schema=")[1]).resolve()
    assert json.loads(target.read_text(encoding="utf-8")) == schema.generate_schema()
