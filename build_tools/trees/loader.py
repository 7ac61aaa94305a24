"""Read a decision-tree file into plain data that remembers where every value was written.

YAML 1.2 semantics: ``Yes``, ``No``, ``On``, ``Off``, ``y`` and ``n`` stay text; only
``true``/``false``, ``null``/``~`` and numbers are not text. Duplicate keys, anchors,
aliases, tags, several documents, files over 1 MB, invalid UTF-8, control characters and
deep nesting are problems, reported with line and column, never a traceback.

Events come from libyaml (through PyYAML's C binding) when it is installed, because the
pure-Python parser costs about 30 ms for a 50-question tree; otherwise from ruamel.yaml's
parser. Both emit the same events, and one composer below turns them into data, so the
two behave alike (only the wording of YAML syntax errors differs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools.errors import Problems
from build_tools.trees.model import Loc, SourceMap

MAX_BYTES = 1_000_000
"""Larger files are refused: a decision tree is a few kilobytes."""

MAX_DEPTH = 20
"""Deepest nesting accepted; the format itself needs five levels."""

_STR_TAG = "tag:yaml.org,2002:str"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

# The YAML 1.2 core schema: plain scalars that are not text.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


class _Stop(Exception):
    """Raised inside the composer when a file cannot be read any further."""


@dataclass
class RawTree:
    """A file's data as plain dicts, lists and scalars, with the place of every value."""

    data: Any
    where: SourceMap
    raw: dict[Loc, str] = field(default_factory=dict)
    """The source text of every scalar that is not text (for hints such as quoting)."""


def _libyaml_events(text: str) -> Iterator[Any]:
    import yaml

    return yaml.parse(text, Loader=yaml.CBaseLoader)


def _ruamel_events(text: str) -> Iterator[Any]:
    from ruamel.yaml import YAML

    events: Iterator[Any] = YAML(typ="safe", pure=True).parse(text)
    return events


def _default_parser() -> Callable[[str], Iterator[Any]]:
    try:
        import yaml
    except ImportError:
        return _ruamel_events
    return _libyaml_events if getattr(yaml, "__with_libyaml__", False) else _ruamel_events


PARSERS: dict[str, Callable[[str], Iterator[Any]]] = {
    "libyaml": _libyaml_events,
    "ruamel": _ruamel_events,
}
parse_events: Callable[[str], Iterator[Any]] = _default_parser()
"""The event source in use; tests swap it to compare the two parsers."""


def load_file(path: Path, shown: str, problems: Problems) -> RawTree | None:
    """Read ``path``; record problems under the name ``shown``; return None if unreadable."""
    data = b""
    try:
        size = path.stat().st_size
        if size <= MAX_BYTES:
            data = path.read_bytes()
    except OSError as error:
        problems.fail(shown, (1, 1), f"cannot read the file: {error.strerror or error}")
        return None
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        problems.fail(
            shown,
            (1, 1),
            f"the file is {max(size, len(data)) / 1e6:.1f} MB; a decision tree may be at most 1 MB",
            "split it into several guides, or check that this is the right file",
        )
        return None
    text = decode(data, shown, problems)
    return None if text is None else load_text(text, shown, problems)


def decode(data: bytes, shown: str, problems: Problems) -> str | None:
    """Return ``data`` as text, or record why it is not UTF-8 text and return None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.fail(
            shown,
            _byte_position(data, error.start),
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
            "save it as UTF-8 (most editors offer 'UTF-8' under 'Save as' or 'Encoding')",
        )
        return None
    text = text.removeprefix("\ufeff")
    bad = _CONTROL.search(text)
    if bad:
        problems.fail(
            shown,
            _text_position(text, bad.start()),
            f"the file holds a control character (U+{ord(bad.group()):04X})",
            "is this a binary file? decision trees are plain text",
        )
        return None
    return text


def load_text(text: str, shown: str, problems: Problems) -> RawTree | None:
    """Compose YAML ``text`` into a :class:`RawTree`; None if it cannot be read."""
    composer = _Composer(shown, problems, text)
    try:
        for event in parse_events(text):
            composer.feed(event)
    except _Stop:
        return None
    except _yaml_errors() as error:
        problems.fail(shown, *_syntax_problem(error, text))
        return None
    return composer.result()


def _yaml_errors() -> tuple[type[Exception], ...]:
    """The error types of the two parsers (a YAML syntax error in the author's file)."""
    from ruamel.yaml.error import YAMLError

    try:
        import yaml
    except ImportError:
        return (YAMLError,)
    return (YAMLError, yaml.YAMLError)


def _syntax_problem(error: Any, text: str) -> tuple[tuple[int, int], str, str | None]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    lines = text.splitlines()
    hint = None
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        hint = "indent with spaces, not tabs"
    elif line > 1 and 0 < line - 1 <= len(lines) and "\t" in lines[line - 2]:
        hint = "indent with spaces, not tabs"
    return (line, column), message, hint or "check the indentation and the ':' after each key"


class _Frame:
    __slots__ = ("container", "loc", "key", "key_at", "seen", "discard")

    def __init__(self, container: Any, loc: Loc, discard: bool):
        self.container = container
        self.loc = loc
        self.key: Any = None  # the pending key of a mapping, or None
        self.key_at: tuple[int, int] = (1, 1)
        self.seen: dict[str, int] = {}
        self.discard = discard


_DISCARD = object()


class _Composer:
    """Builds plain data from parser events, iteratively, checking what YAML allows."""

    def __init__(self, shown: str, problems: Problems, text: str):
        self.shown = shown
        self.text = text
        self.problems = problems
        self.where = SourceMap()
        self.raw: dict[Loc, str] = {}
        self.stack: list[_Frame] = []
        self.root: Any = _DISCARD
        self.documents = 0

    def result(self) -> RawTree | None:
        if self.root is _DISCARD or self.root is None:
            self.problems.fail(
                self.shown, (1, 1), "the file is empty",
                "a decision tree starts with 'title:', 'start:', 'questions:' and 'outcomes:'",
            )
            return None
        return RawTree(self.root, self.where, self.raw)

    def stop(self, at: tuple[int, int], message: str, hint: str | None = None) -> None:
        self.problems.fail(self.shown, at, message, hint)
        raise _Stop

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        at = (event.start_mark.line + 1, event.start_mark.column + 1)
        if kind == "DocumentStartEvent":
            self._document(event, at)
        elif kind == "AliasEvent":
            self.stop(at, f"alias '*{event.anchor}' is not allowed",
                      "write the value out in full; anchors and aliases are not used in trees")
        elif kind in ("ScalarEvent", "SequenceStartEvent", "MappingStartEvent"):
            self._check_anchor_and_tag(event, at)
            if kind == "ScalarEvent":
                self._scalar(event, at)
            else:
                self._open({} if kind == "MappingStartEvent" else [], at)
        elif kind in ("SequenceEndEvent", "MappingEndEvent"):
            self.stack.pop()

    def _document(self, event: Any, at: tuple[int, int]) -> None:
        self.documents += 1
        if self.documents > 1:
            self.stop(at, "a second YAML document ('---') in the file",
                      "a file holds one tree; put another tree in a file of its own")
        version = getattr(event, "version", None)
        if version and tuple(version) != (1, 2):
            directive = re.search(r"^%YAML", self.text, re.MULTILINE)
            line = self.text.count("\n", 0, directive.start()) + 1 if directive else at[0]
            self.stop((line, 1), f"YAML {'.'.join(map(str, version))} is not supported",
                      "remove the '%YAML' line: trees are read as YAML 1.2")

    def _check_anchor_and_tag(self, event: Any, at: tuple[int, int]) -> None:
        if event.anchor is not None:
            self.stop(at, f"anchor '&{event.anchor}' is not allowed",
                      "write the value out in full; anchors and aliases are not used in trees")
        tag = event.tag
        if tag is not None and str(tag) not in (_STR_TAG, "!"):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            self.stop(at, f"tag '{shown}' is not allowed",
                      "remove it; to keep a value as text, put it in quotes")

    def _scalar(self, event: Any, at: tuple[int, int]) -> None:
        value: Any = event.value
        if event.tag is None and event.implicit[0]:
            value = resolve_plain(event.value)
        self._attach(value, at, event.value)

    def _open(self, container: Any, at: tuple[int, int]) -> None:
        loc, discard = self._attach(container, at, None)
        if len(self.stack) >= MAX_DEPTH:
            self.stop(at, f"the data is nested more than {MAX_DEPTH} levels deep",
                      "a decision tree needs at most five levels; check the indentation")
        self.stack.append(_Frame(container, loc, discard))

    def _attach(self, value: Any, at: tuple[int, int], text: str | None) -> tuple[Loc, bool]:
        """Put ``value`` where it belongs; return its location and whether it is dropped."""
        if not self.stack:
            self.root = value
            self.where.values[()] = at
            return (), False
        top = self.stack[-1]
        if isinstance(top.container, list):
            loc = (*top.loc, len(top.container))
            top.container.append(value)
        elif top.key is None:
            top.key = self._key(top, value, at, text)
            top.key_at = at
            return top.loc, True
        else:
            loc = (*top.loc, top.key) if top.key is not _DISCARD else top.loc
            if top.key is not _DISCARD:
                top.container[top.key] = value
                self.where.keys[loc] = top.key_at
            discard = top.discard or top.key is _DISCARD
            top.key = None
            if discard:
                return loc, True
        if top.discard:
            return loc, True
        self.where.values[loc] = at
        if text is not None and not isinstance(value, str):
            self.raw[loc] = text
        return loc, False

    def _key(self, frame: _Frame, key: Any, at: tuple[int, int], text: str | None) -> Any:
        if isinstance(key, dict | list):
            self.stop(at, "a key must be plain text, not a list or a mapping",
                      "check the indentation and the ':' after each key")
        if not isinstance(key, str):
            if text:
                self.problems.fail(self.shown, at, f"the key {text} is not text",
                                   f"put it in quotes: '{text}'")
            else:
                self.problems.fail(self.shown, at, "a key is missing before ':'",
                                   "write the key's name before the colon")
            key = text or ""
        if frame.discard:
            return _DISCARD
        if key in frame.seen:
            self.problems.fail(
                self.shown, at, f"duplicate key '{key}' (first written on line {frame.seen[key]})",
                "a key may appear once in a mapping: remove or rename one of them",
            )
            return _DISCARD
        frame.seen[key] = at[0]
        return key


def resolve_plain(text: str) -> Any:
    """Return the value of a plain scalar by the YAML 1.2 core schema (``Yes`` stays text)."""
    if _NULL.fullmatch(text):
        return None
    if _BOOL.fullmatch(text):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return _to_int(text)
    if _FLOAT.fullmatch(text):
        return _to_float(text)
    return text


def _to_int(text: str) -> int | float:
    if len(text) > 100:
        return float("inf")  # Python refuses to parse huge ints; the size is all that matters
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _to_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
