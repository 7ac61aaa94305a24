"""Document control: which version this is, whether the Board has approved it, and every approval.

The one place these values live is ``extra.policy`` in ``mkdocs.yml``::

    extra:
      policy:
        title: Confidentiality Policy
        organisation: Coping with Cancer in Leicestershire and Rutland (CWC)
        version: "1.1"                 # the version of the text in this copy
        approved_by: Board of Trustees # who approves it
        next_review: 2027-11-30
        approvals:                     # every approval on record, one entry each
          - version: "1.0"
            approved_on: 2026-03-01
            approved_by: Board of Trustees
            minute: "2026/14"          # the minute reference of the meeting
            tag: policy-v1.0           # the git tag of the approved text (optional)

A version is approved when an entry names it; until then every page says it is awaiting
approval. :meth:`DocumentControl.view` is what the stamp (``overrides/``), the
acknowledgement and the Document control page show; the MkDocs adapter hands it to the
theme as ``config.extra.policy``. The latest approval's ``tag`` is what the "what changed"
page compares the working tree with (:mod:`build_tools.site.changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from build_tools.errors import Problems, did_you_mean, display_path
from build_tools.site.markdown import escape_raw_html
from build_tools.site.urls import relative_md
from build_tools.trees.model import Loc, SourceMap

TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"
"""A git tag name as this site accepts it: no spaces, not starting with ``-``."""

Words = Annotated[str, StringConstraints(min_length=1)]
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN)]
LaxDate = Annotated[date, Field(strict=False)]
WHERE = "extra.policy"
RECORD_HINT = ("each approval is '- version: \"1.0\"', 'approved_on: 2026-03-01', "
               "'approved_by: Board of Trustees', 'minute: …' (and 'tag: policy-v1.0' "
               "once the approved text is tagged)")


class Approval(BaseModel):
    """One approval of the policy by the Board, as the minutes record it."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    version: Words = Field(description="The version approved, in quotes: \"1.0\".")
    approved_on: LaxDate = Field(description="The date of the meeting, YYYY-MM-DD.")
    approved_by: Words = Field(description="Who approved it: 'Board of Trustees'.")
    minute: Words = Field(description="The minute reference of the decision.")
    tag: Tag | None = Field(default=None, description="The git tag of the approved text.")
    note: Words | None = Field(default=None, description="Anything else the record should say.")


class PolicyRecord(BaseModel):
    """``extra.policy`` as written in ``mkdocs.yml``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: Words | None = None
    organisation: Words | None = None
    version: Words | None = None
    approved_by: Words | None = Field(default=None, description="Who approves the policy.")
    next_review: LaxDate | None = None
    approvals: list[Approval] = Field(default_factory=list)


@dataclass(frozen=True)
class DocumentControl:
    """The checked document control of one build.

    Attributes:
        raw: ``extra.policy`` as written (empty when the site has none).
        record: The same, checked.
    """

    raw: Mapping[str, Any]
    record: PolicyRecord

    @cached_property
    def approvals(self) -> list[Approval]:
        """Every approval, newest first (by date; the later entry first on the same date)."""
        indexed = list(enumerate(self.record.approvals))
        indexed.sort(key=lambda pair: (pair[1].approved_on, pair[0]), reverse=True)
        return [approval for _, approval in indexed]

    @property
    def current(self) -> Approval | None:
        """The latest approval of this copy's version, if the Board has approved it."""
        return next((a for a in self.approvals if a.version == self.record.version), None)

    @property
    def last(self) -> Approval | None:
        """The latest approval of any version."""
        return self.approvals[0] if self.approvals else None

    def view(self) -> dict[str, Any]:
        """What the stamp, the acknowledgement and the pages show.

        ``extra.policy`` as written, plus: ``approved_on`` and ``minute`` of this version's
        approval ('' while it awaits approval), ``approved_by`` (who approved it, or who is
        to), ``status``, ``last_approved`` (the latest approval of any version, or None)
        and ``approvals`` (newest first). Dates are ``YYYY-MM-DD`` text.
        """
        current, last = self.current, self.last
        out = dict(self.raw)
        out.update(
            approved_on=current.approved_on.isoformat() if current else "",
            minute=current.minute if current else "",
            approved_by=current.approved_by if current else self.record.approved_by or "",
            status="approved" if current else "awaiting approval",
            last_approved=_plain(last) if last else None,
            approvals=[_plain(a) for a in self.approvals],
        )
        return out


def _plain(approval: Approval) -> dict[str, str]:
    data = approval.model_dump()
    data["approved_on"] = approval.approved_on.isoformat()
    return {k: v if v is not None else "" for k, v in data.items()}


# -- reading ---------------------------------------------------------------------------


def read_document_control(policy: Mapping[str, Any], config_file: Path | None,
                          root: Path | None, problems: Problems) -> DocumentControl:
    """Check ``extra.policy``; record every problem with its line in ``mkdocs.yml``."""
    shown = display_path(config_file, root) if config_file else "mkdocs.yml"
    places = _places(config_file)
    try:
        record = PolicyRecord.model_validate(dict(policy))
    except ValidationError as error:
        for e in error.errors():
            loc = tuple(e["loc"])
            message, hint = _explain(e, loc)
            at = places.key(loc) if e["type"] == "extra_forbidden" else places.value(loc)
            problems.fail(shown, at, message, hint)
        record = PolicyRecord()
    return DocumentControl(policy, record)


def _name(loc: Loc) -> str:
    """``extra.policy.version``, ``approval 2 in extra.policy.approvals``."""
    if len(loc) >= 2 and loc[0] == "approvals" and isinstance(loc[1], int):
        return f"approval {loc[1] + 1} in {WHERE}.approvals"
    return WHERE


def _explain(e: Mapping[str, Any], loc: Loc) -> tuple[str, str | None]:
    kind, owner = e["type"], _name(loc)
    key = str(loc[-1]) if loc else ""
    in_approval = len(loc) >= 2 and loc[0] == "approvals"
    fields = Approval.model_fields if in_approval else PolicyRecord.model_fields
    if kind == "extra_forbidden" and loc == ("approved_on",):
        return (f"{WHERE}.approved_on is no longer used: approvals are recorded in "
                f"{WHERE}.approvals", "move the date into an entry of 'approvals:' for this "
                "version, with the minute reference (see the README, 'Recording an "
                "approval'); until then, leave it out and the policy shows as awaiting approval")
    if kind == "extra_forbidden":
        return (f"unknown key '{key}' in {owner}",
                did_you_mean(key, fields, fallback="the keys are"))
    if kind == "missing":
        return f"{owner} has no '{key}'", RECORD_HINT
    if key == "version" and kind == "string_type":
        return (f"the version in {owner} is not text: '{e['input']}'",
                'write it in quotes, e.g. version: "1.0" (unquoted, 1.10 would read as 1.1)')
    if key == "tag":
        return (f"'{e['input']}' is not a git tag name ({owner})",
                "a tag name has no spaces and does not start with '-', e.g. policy-v1.0")
    if key in ("approved_on", "next_review"):
        return (f"'{e['input']}' is not a date ('{key}' in {owner})",
                "write the date as YYYY-MM-DD, e.g. 2026-03-01")
    if key == "approvals" or (loc and loc[0] == "approvals" and len(loc) == 2):
        return f"{WHERE}.approvals must be a list of approvals", RECORD_HINT
    return f"'{key}' in {owner}: {e['msg']}", None


def _places(config_file: Path | None) -> SourceMap:
    """Line and column of every key and value under ``extra.policy`` (none if unread)."""
    places = SourceMap()
    if config_file is None:
        return places
    try:
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return places
    for key in ("extra", "policy"):
        node = _child(node, key)
        if node is None:
            return places

    def walk(n: yaml.Node, loc: Loc) -> None:
        places.values[loc] = (n.start_mark.line + 1, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                places.keys[(*loc, k.value)] = (k.start_mark.line + 1, k.start_mark.column + 1)
                walk(v, (*loc, k.value))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*loc, i))

    assert node is not None
    walk(node, ())
    return places


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if k.value == key), None)


# -- the page ----------------------------------------------------------------------------


def _cell(text: object) -> str:
    return escape_raw_html(str(text)).replace("|", "\\|").replace("\n", " ")


def status_sentence(view: Mapping[str, Any]) -> str:
    """``Approved by … on … (minute …).`` or ``Awaiting approval by ….`` (plain text)."""
    if view.get("approved_on"):
        return (f"Approved by the {view['approved_by']} on {view['approved_on']} "
                f"(minute {view['minute']}).")
    return f"Awaiting approval by the {view.get('approved_by') or 'Board of Trustees'}."


def document_control_markdown(control: DocumentControl, src: str, level: int,
                              changes_src: str | None) -> str:
    """The Document control page's content (Markdown) for the page at ``src``.

    Args:
        control: The checked document control.
        src: The page it goes on (docs-relative), for its links.
        level: The heading level of its sections.
        changes_src: The "what changed" page, if the site has one.
    """
    view = control.view()
    record = control.record
    hashes = "#" * min(level, 6)
    last = control.last
    lines = [
        f"- **Policy:** {_cell(record.title or '')}, version {_cell(record.version or '')}",
        f"- **Organisation:** {_cell(record.organisation or '')}",
        f"- **Status of this version:** {_cell(status_sentence(view))}",
    ]
    if control.current is None:
        lines.append("- **Last approved version:** " + (
            f"version {_cell(last.version)}, approved by the {_cell(last.approved_by)} on "
            f"{last.approved_on.isoformat()} (minute {_cell(last.minute)})" if last
            else "none on record (no version has been approved yet)"))
    if record.next_review:
        lines.append(f"- **Next review:** {record.next_review.isoformat()}")
    lines += ["", f"{hashes} Approval history {{#approval-history}}", ""]
    if control.approvals:
        lines += ["Every approval on record, newest first.", "",
                  "| Version | Approved on | Approved by | Minute reference | Git tag | Note |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for a in control.approvals:
            tag = f"`{a.tag}`" if a.tag else "none"
            lines.append(f"| {_cell(a.version)} | {a.approved_on.isoformat()} | "
                         f"{_cell(a.approved_by)} | {_cell(a.minute)} | {tag} | "
                         f"{_cell(a.note or '')} |")
    else:
        lines.append("No approval is recorded yet: the Board of Trustees has not approved "
                     "any version of this policy on record.")
    changes = (f" so that [What changed since the last approval]"
               f"({relative_md(changes_src, src)}) can compare a later draft with it"
               if changes_src else "")
    lines += ["", "When the Board approves a version, the date, who approved it and the minute "
              "reference are added to this history, and the approved text is tagged in the "
              f"charity's version history (git){changes}. The same record shows in the "
              "stamp at the foot of every page and on the volunteer's acknowledgement.", ""]
    return "\n" + "\n".join(lines) + "\n"
