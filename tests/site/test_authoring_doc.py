"""The authors' guide (docs/authoring/writing-a-guide.md) shows an example that works."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.trees.validate import load_and_validate
from tests.helpers import real_docs
from tests.locations import ROOT

DOC = ROOT / "docs" / "authoring" / "writing-a-guide.md"


def test_the_complete_example_is_a_valid_guide_for_this_site(tmp_path: Path) -> None:
    """Copied into decision_trees/, the example passes every check against the real docs."""
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"## A complete example.*?```yaml\n(.*?)```", text, re.S).group(1)
    name = re.search(r"Save this as `decision_trees/([a-z0-9-]+)\.yaml`", text).group(1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(example, encoding="utf-8")
    (tree,) = load_and_validate(
        [path], real_docs(), root=tmp_path, contacts=ROOT / "docs" / "contacts.yml"
    )
    assert tree.id == name
