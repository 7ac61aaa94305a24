"""Where things are, for every test module: the one copy of these paths."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository."""
FIXTURES = ROOT / "tests" / "fixtures"
"""Test data, beside the tests."""
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
DOCS = FIXTURES / "docs"
"""A tiny docs folder that the fixture trees cite (with its own contacts file)."""
CONTACTS = DOCS / "contacts.yml"
RUNTIME_FIXTURES = FIXTURES / "runtime"
SITE_FIXTURE = FIXTURES / "site"
"""A tiny MkDocs site for integration builds."""
TREES_DIR = ROOT / "decision_trees"
SHARED_OUTCOMES = TREES_DIR / "shared" / "outcomes.yaml"
"""The outcomes several guides share (not a guide)."""
TREE_IDS = sorted(p.stem for p in TREES_DIR.glob("*.y*ml"))
"""Every real guide; a guide dropped into decision_trees/ is covered with no new test."""
