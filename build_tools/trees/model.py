"""Typed models of a decision tree: what a file may hold, and the loaded tree.

:class:`TreeFile` is the format authors write (the JSON Schema is generated from it);
:class:`Tree` adds what the file name and the loader know: the id, the source path and
the line and column of every key and value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
"""Ids: lower-case letters and digits in words joined by ``-``."""

CITE_PATTERN = r"^[^#\s]+\.md#[^#\s]+$"
"""A cite names a docs page and a heading anchor: ``policy/exceptions.md#serious-harm``."""

KINDS = ("success", "info", "warning", "danger")

URGENCIES = ("now", "today", "soon", "no-deadline")
"""How soon to act: at once; before the end of the day (or before the client leaves);
within a few days; no deadline."""

URGENT_FOR_DANGER = ("now", "today")
"""The urgencies an outcome of kind ``danger`` may have: red is for harm and deadlines."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Keywords = list[Text]
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
    keywords: Keywords = Field(
        default_factory=list,
        description="Words people use for this situation, for the site search (not shown).",
    )


class Outcome(_Strict):
    """Where a path ends: what to do, how soon, whom to tell, and the policy it rests on."""

    title: Text = Field(description="What to do, in a few words, action first.")
    kind: Literal["success", "info", "warning", "danger"] = Field(
        description="How it is shown: success, info, warning or danger (danger: harm and "
        "deadlines only; it must be 'now' or 'today')."
    )
    urgency: Literal["now", "today", "soon", "no-deadline"] = Field(
        description="How soon to act: now (at once, e.g. call 999), today (before the end of "
        "the day or before the client leaves), soon (within a few days), no-deadline."
    )
    contacts: list[Id] = Field(
        min_length=1,
        description="Contact ids from the contacts file, in the order to try them.",
    )
    body: Text = Field(
        description="What the cited clauses say to do, and why. Markdown. Only the policy's "
        "words: anything else goes in 'practice'."
    )
    practice: str | None = Field(
        None,
        description="Good practice beyond the policy's words (how soon, fallbacks, how to "
        "take a disclosure). Markdown, shown in a box labelled as not policy, and listed "
        "for the trustees to approve.",
    )
    if_nobody_answers: str | None = Field(
        None,
        description="What to do when nobody on the contact list can be reached, if it "
        "differs from the contacts file's advice for this urgency. Markdown; good practice.",
    )
    cites: list[Annotated[str, StringConstraints(pattern=CITE_PATTERN)]] = Field(
        min_length=1,
        description="Docs pages and heading anchors, e.g. policy/exceptions.md#serious-harm.",
    )
    keywords: Keywords = Field(
        default_factory=list,
        description="Words people use for this situation, for the site search (not shown).",
    )


class SharedOutcome(_Strict):
    """An outcome written once in the shared outcomes file, used by several guides."""

    shared: Id = Field(
        description="The id of an outcome in decision_trees/shared/outcomes.yaml. A guide "
        "that reaches the same situation as another says the same words."
    )


def _outcome_tag(value: Any) -> str:
    return "shared" if isinstance(value, dict) and "shared" in value else "outcome"


OutcomeEntry = Annotated[
    Annotated[Outcome, Tag("outcome")] | Annotated[SharedOutcome, Tag("shared")],
    Discriminator(_outcome_tag),
]
"""An outcome written in full, or ``shared: ID`` naming one in the shared outcomes file."""
OUTCOME_TAGS = ("outcome", "shared")


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
    keywords: Keywords = Field(
        default_factory=list,
        description="Words people use for the situations this guide handles (suicide, "
        "WhatsApp, lost notebook …): they rank the guide first in the site search, unseen.",
    )
    start: Id = Field(description="The id of the first question.")
    questions: dict[Id, Question] = Field(
        min_length=1, description="Question id → question.", json_schema_extra=_CLOSED
    )
    outcomes: dict[Id, OutcomeEntry] = Field(
        min_length=1,
        description="Outcome id → outcome (or 'shared: ID' for a shared outcome).",
        json_schema_extra=_CLOSED,
    )
    scenarios: list[Scenario] = Field(
        default_factory=list, description="Worked examples the build replays."
    )


class SharedOutcomesFile(_Strict):
    """``decision_trees/shared/outcomes.yaml``: outcomes that several guides reach."""

    outcomes: dict[Id, Outcome] = Field(
        default_factory=dict, description="Outcome id → outcome.", json_schema_extra=_CLOSED
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
    outcomes: dict[str, Outcome]  # type: ignore[assignment]  # shared ones resolved
    shared: dict[str, str] = {}
    """Outcome id → the id in the shared outcomes file, for outcomes written there."""
    _source_map: SourceMap = PrivateAttr(default_factory=SourceMap)

    @classmethod
    def from_file(
        cls,
        content: TreeFile,
        tree_id: str,
        source: Path,
        where: SourceMap,
        shared: dict[str, Outcome] | None = None,
    ) -> Tree:
        """Return a tree from validated file content (no second validation).

        Args:
            content: The file's validated content.
            tree_id: The file stem.
            source: The file.
            where: Line and column of every key and value.
            shared: The shared outcomes by id; every ``shared:`` reference must be in it.
        """
        outcomes: dict[str, Outcome] = {}
        refs: dict[str, str] = {}
        for oid, entry in content.outcomes.items():
            if isinstance(entry, SharedOutcome):
                outcomes[oid] = (shared or {})[entry.shared]
                refs[oid] = entry.shared
            else:
                outcomes[oid] = entry
        fields = {**dict(content), "outcomes": outcomes}
        tree = cls.model_construct(**fields, id=tree_id, source=source, shared=refs)
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
