"""Random and mutated YAML never crashes the validator: a tree or TreeErrors, nothing else."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.errors import TreeErrors
from build_tools.trees.validate import load_and_validate
from tests.helpers import docs_index
from tests.locations import FIXTURES

SEEDS = [p.read_bytes() for p in sorted((FIXTURES / "valid").glob("*.yaml"))]
SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def check(folder: Path, data: bytes) -> None:
    path = folder / "fuzzed.yaml"
    path.write_bytes(data)
    try:
        trees = load_and_validate([path], docs_index(), root=folder)
    except TreeErrors as error:
        assert error.problems and all(p.line >= 1 and p.column >= 1 for p in error.problems)
        assert "error: " in str(error)
    else:
        assert [tree.id for tree in trees] == ["fuzzed"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid fixture with lines deleted or repeated and characters flipped."""
    lines = draw(st.sampled_from(SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "flip", "insert", "indent"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = draw(st.sampled_from([b" ", b"\t", b"  - "])) + lines[i]
        elif action == "insert":
            lines.insert(i, draw(st.sampled_from(
                [b"&a x\n", b"*a\n", b"- \n", b"? [a]\n", b"!!binary x\n", b"{{\n", b"%YAML 1.1\n",
                 b"---\n", b"key: [1, {a: b}]\n", b"\"\\x\"\n", b"\xff\xfe\n"])))
        elif lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            byte = draw(st.sampled_from(b":-[]{}#&*!|>'\"%@` \t\n\x00\xc3"))
            lines[i] = lines[i][:j] + bytes([byte]) + lines[i][j + 1:]
    return b"".join(lines)


@SETTINGS
@given(data=mutated())
def test_mutated_fixtures(folder: Path, data: bytes) -> None:
    """Mutations of valid trees give a tree or TreeErrors."""
    check(folder, data)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes(folder: Path, data: bytes) -> None:
    """Arbitrary bytes give TreeErrors (or, by chance, a tree)."""
    check(folder, data)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@, \n\tabcYesNo0")),
                    max_size=200))
def test_random_yaml_like_text(folder: Path, text: str) -> None:
    """Text made of YAML's own punctuation gives TreeErrors, never another exception."""
    check(folder, text.encode())
