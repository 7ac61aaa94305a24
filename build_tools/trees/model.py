"""Typed models of a decision tree: what a file may hold, and the loaded tree.

:class:`TreeFile` is the format authors write (the JSON Schema is generated from it);
:class:`Tree` adds what the file name and the loader know: the id, the source path and
the line and column of every key and value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""Ids: lower-case letters and digits in words joined by ``-``."""

CITE_PATTERN = r"^[^#\s]+\.md#[^#\s]+$"
"""A cite names a docs page and a heading anchor: ``policy/exceptions.md#serious-harm``."""

KINDS = ("success", "info", "warning", "danger")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Loc = tuple[str | int, ...]
Position = tuple[int, int]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Option(_Strict):
    """One answer to a question, and where it leads."""

    label: Text = Field(description="The answer as the reader sees it; unique in its question.")
    next: Id = Field(description="The id of the next question or of an outcome.")


class Question(_Strict):
    """A question with two or more options."""

    text: Text = Field(description="The question. Plain text.")
    help: str | None = Field(None, description="Optional Markdown shown under the question.")
    options: list[Option] = Field(min_length=2, description="Two or more options.")


class Outcome(_Strict):
    """Where a path ends: what to do, and the policy it rests on."""

    title: Text = Field(description="What to do, in a few words.")
    kind: Literal["success", "info", "warning", "danger"] = Field(
        description="How it is shown: success, info, warning or danger."
    )
    body: Text = Field(description="What to do, why, and what happens next. Markdown.")
    cites: list[Annotated[str, StringConstraints(pattern=CITE_PATTERN)]] = Field(
        min_length=1,
        description="Docs pages and heading anchors, e.g. policy/exceptions.md#serious-harm.",
    )


class Scenario(_Strict):
    """A worked example: answers in order, and the outcome they must reach."""

    name: Text = Field(description="What happened, in a sentence.")
    answers: list[Text] = Field(min_length=1, description="Option labels, in order.")
    outcome: Id = Field(description="The outcome id the answers must reach.")


_CLOSED: dict[str, Any] = {"additionalProperties": False}  # ids outside the pattern are errors


class TreeFile(_Strict):
    """A decision-tree file, ``decision_trees/<tree-id>.yaml``."""

    model_config = ConfigDict(
        title="CWC decision tree",
        json_schema_extra={
            "description": "A decision guide of the CWC confidentiality policy: one tree per "
            "file, decision_trees/<tree-id>.yaml. See docs/authoring/writing-a-guide.md."
        },
    )

    title: Text = Field(description="The question the guide answers.")
    summary: str | None = Field(None, description="When to use this guide. Markdown.")
    start: Id = Field(description="The id of the first question.")
    questions: dict[Id, Question] = Field(
        min_length=1, description="Question id → question.", json_schema_extra=_CLOSED
    )
    outcomes: dict[Id, Outcome] = Field(
        min_length=1, description="Outcome id → outcome.", json_schema_extra=_CLOSED
    )
    scenarios: list[Scenario] = Field(
        default_factory=list, description="Worked examples the build replays."
    )


class SourceMap:
    """Line and column (1-based) of every key and value of a file, by location.

    A location is the tuple of keys and list indices from the top of the file, as
    pydantic reports them, e.g. ``("questions", "serious-harm", "options", 0, "next")``.
    """

    def __init__(self) -> None:
        self.values: dict[Loc, Position] = {}
        self.keys: dict[Loc, Position] = {}

    def value(self, loc: Loc) -> Position:
        """Where the value at ``loc`` starts (or its nearest known ancestor)."""
        return self._find(self.values, loc)

    def key(self, loc: Loc) -> Position:
        """Where the key of ``loc`` is written (the value's place for list items)."""
        return self._find(self.keys, loc) if loc in self.keys else self.value(loc)

    @staticmethod
    def _find(table: dict[Loc, Position], loc: Loc) -> Position:
        while loc and loc not in table:
            loc = loc[:-1]
        return table.get(loc, (1, 1))


class Tree(TreeFile):
    """A loaded tree: the file's content plus its id, source and source positions."""

    model_config = ConfigDict(title="Tree")

    id: str
    source: Path
    _source_map: SourceMap = PrivateAttr(default_factory=SourceMap)

    @classmethod
    def from_file(cls, content: TreeFile, tree_id: str, source: Path, where: SourceMap) -> Tree:
        """Return a tree from validated file content (no second validation)."""
        tree = cls.model_construct(**dict(content), id=tree_id, source=source)
        tree._source_map = where
        return tree

    @property
    def source_map(self) -> SourceMap:
        """Line and column of every key and value."""
        return self._source_map

    def position(self, *loc: str | int) -> Position:
        """Where the value at ``loc`` starts, e.g. ``tree.position("questions", "q1")``."""
        return self._source_map.value(loc)

    def key_position(self, *loc: str | int) -> Position:
        """Where the key of ``loc`` is written."""
        return self._source_map.key(loc)
