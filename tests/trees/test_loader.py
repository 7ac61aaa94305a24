"""The loader: YAML 1.2 text, places of every value, and clean errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.errors import Problems
from build_tools.trees import loader
from tests.locations import FIXTURES


def load(text: str) -> tuple[loader.RawTree | None, Problems]:
    problems = Problems()
    return loader.load_text(text, "x.yaml", problems), problems


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("Yes", "Yes"), ("No", "No"), ("On", "On"), ("Off", "Off"), ("y", "y"), ("n", "n"),
        ("yes", "yes"), ("true", True), ("False", False), ("~", None), ("null", None),
        ("12", 12), ("0x1F", 31), ("0o17", 15), ("1.5", 1.5), ("1_000", "1_000"),
        ("2001-12-14", "2001-12-14"), ("=", "="),
    ],
)
def test_plain_scalars_follow_yaml_1_2(plain: str, value: object) -> None:
    """Only the YAML 1.2 core schema turns plain text into booleans, nulls and numbers."""
    raw, problems = load(f"label: {plain}\n")
    assert not problems
    assert raw is not None and raw.data == {"label": value}


def test_quoted_scalars_are_text() -> None:
    """Quotes keep anything as text."""
    raw, _ = load("a: 'true'\nb: \"12\"\n")
    assert raw is not None and raw.data == {"a": "true", "b": "12"}


def test_positions_of_keys_and_values() -> None:
    """Each key and value keeps its 1-based line and column."""
    raw, _ = load("title: T\nquestions:\n  q1:\n    options:\n      - label: Yes\n")
    assert raw is not None
    assert raw.where.value(("title",)) == (1, 8)
    assert raw.where.key(("questions", "q1")) == (3, 3)
    assert raw.where.value(("questions", "q1", "options", 0, "label")) == (5, 16)
    assert raw.where.key(("questions", "q1", "options", 0, "label")) == (5, 9)


def test_unknown_location_falls_back_to_nearest_parent() -> None:
    """A location not in the file points at its nearest written ancestor."""
    raw, _ = load("title: T\nquestions:\n  q1: {}\n")
    assert raw is not None
    assert raw.where.value(("questions", "q1", "options", 3)) == (3, 7)


def test_every_duplicate_key_is_reported() -> None:
    """Each repeated key is a problem at the repeat, naming the first line."""
    _, problems = load("a: 1\nb: 2\na: 3\nb: 4\n")
    assert [(p.line, p.message) for p in problems] == [
        (3, "duplicate key 'a' (first written on line 1)"),
        (4, "duplicate key 'b' (first written on line 2)"),
    ]


@pytest.mark.parametrize("parser", sorted(loader.PARSERS))
@pytest.mark.parametrize("depth", [21, 100_000])
def test_deep_nesting_is_a_problem_not_a_recursion_error(
    parser: str, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deeply nested brackets give one clean problem (libyaml has its own limit too)."""
    monkeypatch.setattr(loader, "parse_events", loader.PARSERS[parser])
    raw, problems = load("a: " + "[" * depth + "]" * depth + "\n")
    assert raw is None
    (problem,) = problems
    assert "nested more than 20 levels" in problem.message or "depth" in problem.message


def test_too_large_file_is_refused(tmp_path: Path) -> None:
    """A file over 1 MB is refused before it is parsed."""
    big = tmp_path / "big.yaml"
    big.write_text("title: " + "x" * 1_000_001 + "\n")
    problems = Problems()
    assert loader.load_file(big, "big.yaml", problems) is None
    assert problems[0].message == "the file is 1.0 MB; a decision tree may be at most 1 MB"


def test_byte_order_mark_is_ignored() -> None:
    """A UTF-8 BOM at the start is dropped, as editors on Windows write one."""
    problems = Problems()
    text = loader.decode("\ufefftitle: T\n".encode(), "x.yaml", problems)
    assert text == "title: T\n" and not problems


def test_invalid_utf8_position() -> None:
    """The bad byte's line and column are reported."""
    problems = Problems()
    assert loader.decode(b"a: ok\nb: \xc3\xa9\xff\n", "x.yaml", problems) is None
    assert (problems[0].line, problems[0].column) == (2, 5)


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "valid").glob("*.yaml")))
def test_both_parsers_agree_on_valid_files(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml and ruamel.yaml events give the same data and the same positions."""
    text = (FIXTURES / "valid" / name).read_text(encoding="utf-8")
    results = []
    for parser in sorted(loader.PARSERS):
        monkeypatch.setattr(loader, "parse_events", loader.PARSERS[parser])
        raw, problems = load(text)
        assert raw is not None and not problems
        results.append((raw.data, raw.where.values, raw.where.keys))
    assert results[0] == results[1]


SEMANTIC = sorted(
    p.name for p in (FIXTURES / "invalid").iterdir()
    if p.name not in {"tab-indent.yaml", "syntax-unclosed-bracket.yaml"}
)


@pytest.mark.parametrize("name", SEMANTIC)
def test_both_parsers_agree_on_invalid_files(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Apart from YAML syntax errors, both parsers lead to the same problems."""
    data = (FIXTURES / "invalid" / name).read_bytes()
    results = []
    for parser in sorted(loader.PARSERS):
        monkeypatch.setattr(loader, "parse_events", loader.PARSERS[parser])
        problems = Problems()
        text = loader.decode(data, name, problems)
        raw = loader.load_text(text, name, problems) if text is not None else None
        results.append((None if raw is None else raw.data, list(problems)))
    assert results[0] == results[1]
