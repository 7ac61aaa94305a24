"""Check decision trees against every rule of the format, and report all problems at once.

Order of work: the contacts file and the shared outcomes file first (guides refer to
them), then each tree: read it (:mod:`build_tools.trees.loader`), check its shape with
the pydantic model, then check what the model cannot: links, loops, reachability, labels,
scenarios (replayed by the engine), urgency, contacts and cites (resolved against the
docs pages). A file whose shape is wrong is not checked further, so one mistake does not
cascade.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from build_tools.errors import (
    Problem,
    Problems,
    did_you_mean,
    display_path,
    plural,
)
from build_tools.trees import engine
from build_tools.trees.contacts import Contact, ContactsFile, Fallbacks
from build_tools.trees.engine_data import engine_data
from build_tools.trees.loader import RawTree, load_file
from build_tools.trees.model import (
    ID_PATTERN,
    KINDS,
    OUTCOME_TAGS,
    URGENCIES,
    URGENT_FOR_DANGER,
    Loc,
    Option,
    Outcome,
    Question,
    Scenario,
    SharedOutcome,
    SharedOutcomesFile,
    SourceMap,
    Tree,
    TreeFile,
)

ID_RULE = "ids are lower-case letters and digits in words joined by '-'"

_FIELD_HINTS = {
    "title": "add 'title:' and the text",
    "start": "add 'start:' with the id of the first question",
    "questions": "add 'questions:' with at least one question",
    "outcomes": "add 'outcomes:' with at least one outcome",
    "text": "add 'text:' with the question",
    "options": "add 'options:' with two or more '- label: …' / 'next: …' items",
    "label": "add 'label:' with the answer the reader sees",
    "next": "add 'next:' with the id of a question or an outcome",
    "kind": "add 'kind:' with one of " + ", ".join(KINDS),
    "body": "add 'body:' with what to do",
    "cites": "add 'cites:' with pages and anchors, e.g. '- policy/exceptions.md#serious-harm'",
    "name": "add 'name:' saying what happened",
    "answers": "add 'answers:' with the option labels in order, e.g. [Yes, No]",
    "outcome": "add 'outcome:' with the outcome id the answers reach",
    "urgency": "add 'urgency:' with one of " + ", ".join(URGENCIES),
    "contacts": "add 'contacts:' with contact ids in the order to try them, e.g. "
    "[safeguarding-lead, charity-manager]",
    "role": "add 'role:' saying what the contact is, e.g. 'Safeguarding lead'",
    "if_nobody_answers": "add 'if_nobody_answers:' with 'now:', 'today:', 'soon:' and "
    "'no-deadline:'",
}

class Docs(Protocol):
    """The docs pages that cites point into: page (relative to the docs folder) → anchors.

    The site layer provides it (:class:`build_tools.site.anchors.DocsIndex`), rendering
    pages with the site's own Markdown settings; the tree core only asks.
    """

    def __contains__(self, page: object) -> bool: ...

    def __getitem__(self, page: str) -> set[str]: ...

    def __iter__(self) -> Any: ...

    def explain_missing_anchor(self, page: str, anchor: str) -> str | None:
        """Why a ``{ #anchor }`` written in ``page`` gives no anchor, if it is written there."""
        ...


SHARED_FILE = Path("shared") / "outcomes.yaml"
"""Where shared outcomes live, relative to the trees folder."""


@dataclass
class TreeSet:
    """Checked trees with what they refer to.

    Attributes:
        trees: The trees, in the order of the files given.
        contacts: The contacts file, or None when none was given.
        shared: The shared outcomes by id (empty when there is no shared file).
        notices: Things to act on that do not stop the build (contacts to be confirmed).
    """

    trees: list[Tree]
    contacts: ContactsFile | None = None
    shared: dict[str, Outcome] = field(default_factory=dict)
    notices: list[Problem] = field(default_factory=list)


def load_and_validate(
    paths: list[Path],
    docs: Docs | None,
    *,
    root: Path | None = None,
    contacts: Path | None = None,
    shared: Path | None = None,
) -> list[Tree]:
    """Load and check every tree; return them, or raise with every problem in every file.

    The same as :func:`load_tree_set`, for callers that need only the trees.
    """
    return load_tree_set(paths, docs, root=root, contacts=contacts, shared=shared).trees


def load_tree_set(
    paths: list[Path],
    docs: Docs | None,
    *,
    root: Path | None = None,
    contacts: Path | None = None,
    shared: Path | None = None,
) -> TreeSet:
    """Load and check every tree and what they refer to, or raise with every problem.

    Args:
        paths: The YAML files, one tree each; the tree id is the file stem.
        docs: The docs pages that ``cites`` point into; ``None`` skips resolving them.
        root: What the paths in error messages are shown relative to (default: the
            working folder).
        contacts: The contacts file; ``None`` skips checking contact ids.
        shared: The shared outcomes file, if the guides have one.

    Raises:
        TreeErrors: Carrying every problem found.
    """
    problems = Problems()
    contacts_file = (
        load_contacts(contacts, display_path(contacts, root), problems) if contacts else None
    )
    known = set(contacts_file.contacts) if contacts_file else None
    check = OutcomeCheck(problems, docs, known)
    shared_outcomes = _load_shared(shared, root, problems, check) if shared else {}
    trees: list[Tree] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        shown = display_path(path, root)
        tree = load_tree(path, shown, problems, shared_outcomes)
        if tree is None:
            continue
        if tree.id in first_seen:
            problems.fail(shown, (1, 1), f"tree id '{tree.id}' is also the id of "
                          f"{first_seen[tree.id]}", "rename one of the files")
        first_seen.setdefault(tree.id, shown)
        check_tree(tree, shown, problems, check)
        trees.append(tree)
    if shared and shared_outcomes:
        _check_shared_used(shared, root, problems, trees, shared_outcomes)
    problems.raise_if_any()
    return TreeSet(trees, contacts_file, shared_outcomes, problems.notices)


# --- the contacts file and the shared outcomes -----------------------------------------


Owner = Callable[[Loc], "tuple[str, type[BaseModel] | None] | None"]
"""Names the part of a file at a location, e.g. ``question 3`` (None: not this file's)."""
_extra_owner: ContextVar[Owner | None] = ContextVar("_extra_owner", default=None)


def read_model(
    path: Path, shown: str, model: type[Any], problems: Problems, owner: Owner | None = None
) -> tuple[Any, SourceMap] | None:
    """Read a YAML file and check its shape against ``model``: (content, where), or None.

    Problems are recorded as for trees (line, column, the author's words); ``owner`` names
    the parts of a file of another kind (a data file of the site) in those messages.
    """
    raw = load_file(path, shown, problems)
    if raw is None:
        return None
    token = _extra_owner.set(owner)
    try:
        return model.model_validate(raw.data), raw.where
    except ValidationError as error:
        _report_shape(error, raw, shown, problems)
        return None
    finally:
        _extra_owner.reset(token)


def load_contacts(path: Path, shown: str, problems: Problems) -> ContactsFile | None:
    """Read the contacts file; record problems, and a notice per contact to be confirmed."""
    read = read_model(path, shown, ContactsFile, problems)
    if read is None:
        return None
    contacts: ContactsFile = read[0]
    for cid, contact in contacts.contacts.items():
        _check_contact(cid, contact, shown, read[1], problems)
    return contacts


def _check_contact(
    cid: str, contact: Contact, shown: str, where: SourceMap, problems: Problems
) -> None:
    at = where.key(("contacts", cid))
    if contact.national and not contact.phone:
        problems.fail(shown, at, f"contact '{cid}' is a national service with no phone",
                      "add 'phone:' with its public number")
    if contact.confirmed and not (contact.phone or contact.email):
        problems.fail(shown, at, f"contact '{cid}' is confirmed but has no phone or email",
                      "add how to reach them, or set 'confirmed: false'")
    if not contact.confirmed:
        missing = contact.missing()
        what = ", ".join(missing) if missing else "the details given"
        problems.notice(shown, at, f"contact '{cid}' ({contact.role}) is to be confirmed by "
                        f"CWC: {what}", "fill in the details and set 'confirmed: true' once "
                        "the charity has checked them")


def _load_shared(
    path: Path, root: Path | None, problems: Problems, check: OutcomeCheck
) -> dict[str, Outcome]:
    shown = display_path(path, root)
    read = read_model(path, shown, SharedOutcomesFile, problems)
    if read is None:
        return {}
    content, where = read
    for oid, outcome in content.outcomes.items():
        check.outcome(shown, oid, outcome, lambda *loc, o=oid: where.value(("outcomes", o, *loc)))
    return dict(content.outcomes)


def _check_shared_used(
    path: Path, root: Path | None, problems: Problems, trees: list[Tree],
    shared: Mapping[str, Outcome],
) -> None:
    used = {ref for tree in trees for ref in tree.shared.values()}
    shown = display_path(path, root)
    for oid in shared:
        if oid not in used:
            problems.fail(shown, (1, 1), f"shared outcome '{oid}' is used by no guide",
                          f"use it in a guide ('shared: {oid}' under 'outcomes:'), or delete it")


def load_tree(
    path: Path, shown: str, problems: Problems, shared: Mapping[str, Outcome] | None = None
) -> Tree | None:
    """Read one file and check its shape; return the tree, or None after recording why not.

    ``shared`` holds the shared outcomes that ``shared: ID`` entries may name.
    """
    if path.suffix != ".yaml":
        problems.fail(shown, (1, 1), "a decision tree file must end in '.yaml'",
                      f"rename it to '{path.stem}.yaml'")
    if not re.fullmatch(ID_PATTERN, path.stem):
        problems.fail(shown, (1, 1), f"the tree id '{path.stem}' (the file name) is not a "
                      "valid id", f"{ID_RULE}: rename the file to '{suggest_id(path.stem)}.yaml'")
    raw = load_file(path, shown, problems)
    if raw is None:
        return None
    try:
        content = TreeFile.model_validate(raw.data)
    except ValidationError as error:
        _report_shape(error, raw, shown, problems)
        return None
    shared = shared or {}
    unknown = False
    for oid, entry in content.outcomes.items():
        if isinstance(entry, SharedOutcome) and entry.shared not in shared:
            problems.fail(shown, raw.where.value(("outcomes", oid, "shared")),
                          f"outcome '{oid}' uses shared outcome '{entry.shared}', which the "
                          "shared outcomes file does not have", did_you_mean(
                              entry.shared, shared, fallback="the shared outcomes are")
                          or f"add it to decision_trees/{SHARED_FILE.as_posix()}")
            unknown = True
    if unknown:
        return None
    return Tree.from_file(content, path.stem, path, raw.where, dict(shared))


def suggest_id(text: str) -> str:
    """Return ``text`` turned into a valid id, e.g. ``Serious Harm`` → ``serious-harm``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "my-id"


# --- the shape of a file: pydantic's errors in the author's words ---------------------------


def _untagged(loc: Loc) -> Loc:
    """A location without the tag pydantic adds for the outcome-or-shared union."""
    if len(loc) >= 3 and loc[0] == "outcomes" and loc[2] in OUTCOME_TAGS:
        return (*loc[:2], *loc[3:])
    return loc


def _report_shape(error: ValidationError, raw: RawTree, shown: str, problems: Problems) -> None:
    errors: list[dict[str, Any]] = [
        {**e, "loc": _untagged(e["loc"])} for e in error.errors(include_url=False)
    ]
    unknown_in = {e["loc"][:-1] for e in errors if e["type"] == "extra_forbidden"}
    both = _shared_and_written(errors, raw)
    for oid in both:
        problems.fail(shown, raw.where.key(("outcomes", oid, "shared")),
                      f"outcome '{oid}' names a shared outcome and is also written out",
                      "a shared outcome takes only 'shared: ID': delete the other keys, or "
                      "delete 'shared:' to write the outcome here")
    for e in errors:
        loc: Loc = e["loc"]
        if e["type"] == "missing" and loc[:-1] in unknown_in:
            continue  # reported as an unknown key, most likely a misspelling of this one
        if loc[:1] == ("outcomes",) and len(loc) > 1 and loc[1] in both:
            continue  # reported once, above
        position, message, hint = _describe(e, raw, unknown_in)
        problems.fail(shown, position, message, hint)


def _shared_and_written(errors: list[dict[str, Any]], raw: RawTree) -> set[str]:
    """Outcomes written with ``shared:`` and other keys too (one mistake, not six)."""
    outcomes = raw.data.get("outcomes") if isinstance(raw.data, dict) else None
    if not isinstance(outcomes, dict):
        return set()
    return {
        str(e["loc"][1]) for e in errors
        if e["type"] == "extra_forbidden" and e["loc"][:1] == ("outcomes",)
        and isinstance(outcomes.get(e["loc"][1]), dict) and "shared" in outcomes[e["loc"][1]]
    }


def _owner(loc: Loc) -> tuple[str, type[BaseModel] | None]:
    """Name the part of the tree at ``loc`` and its model, e.g. ``question 'q1'``."""
    extra = _extra_owner.get()
    if extra is not None and (named := extra(loc)) is not None:
        return named
    match loc:
        case ():
            return "the tree", TreeFile
        case ("questions", str(qid)):
            return f"question '{qid}'", Question
        case ("questions", str(qid), "options", int(i)):
            return f"option {i + 1} of question '{qid}'", Option
        case ("outcomes", str(oid)):
            return f"outcome '{oid}'", Outcome
        case ("scenarios", int(i)):
            return f"scenario {i + 1}", Scenario
        case ("contacts", str(cid)):
            return f"contact '{cid}'", Contact
        case ("if_nobody_answers",):
            return "'if_nobody_answers'", Fallbacks
    return "'" + ".".join(map(str, loc)) + "'", None


def _describe(e: Any, raw: RawTree, unknown_in: set[Loc]) -> tuple[tuple[int, int], str, Any]:
    loc: Loc = e["loc"]
    kind = e["type"]
    if kind == "extra_forbidden":
        return raw.where.key(loc), *_unknown_key(loc, raw)
    if kind == "missing":
        owner, _ = _owner(loc[:-1])
        position = raw.where.key(loc[:-1]) if loc[:-1] else (1, 1)
        return position, f"{owner} has no '{loc[-1]}'", _FIELD_HINTS.get(str(loc[-1]))
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return raw.where.key(loc), f"'{loc[-1]}' is not a valid id", _id_hint(str(loc[-1]))
    position = raw.where.value(loc)
    if kind == "string_pattern_mismatch":
        return position, *_bad_pattern(loc, e["input"])
    if kind == "literal_error":
        owner, _ = _owner(loc[:-1])
        what, choices = ("an urgency", URGENCIES) if loc[-1] == "urgency" else ("a kind", KINDS)
        plural_name = "urgencies" if loc[-1] == "urgency" else "kinds"
        hint = did_you_mean(str(e["input"]), choices, fallback=f"the {plural_name} are")
        return position, f"'{e['input']}' is not {what} ({owner})", hint
    if kind in ("too_short", "string_too_short"):
        return position, *_too_short(loc, e["input"], (e.get("ctx") or {}).get("min_length"))
    return position, *_wrong_type(loc, kind, e, raw)


def _field_name(loc: Loc) -> str:
    """``'text' of question 'q1'``, ``item 2 of 'cites' of outcome 'o'``, ``the file``."""
    if not loc:
        return "the file"
    if isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of {_field_name(loc[:-1])}"
    owner, model = _owner(loc[:-1])
    if model is None and len(loc) == 2:  # the value of a question or outcome id
        return _owner(loc)[0]
    return f"'{loc[-1]}' of {owner}"


def _unknown_key(loc: Loc, raw: RawTree) -> tuple[str, str | None]:
    owner, model = _owner(loc[:-1])
    key = str(loc[-1])
    fields = list(model.model_fields) if model else []
    hint = did_you_mean(key, fields)
    if hint is None and model is Option:
        hint = ("an option is written '- label: " + key + "' with 'next: …' on the line below")
    elif hint is None and fields:
        hint = f"the keys of {owner.split(' ')[0] if loc[:-1] else 'a tree'} are: " + ", ".join(
            f"'{f}'" for f in fields
        )
    return f"unknown key '{key}' in {owner}", hint


def _id_hint(value: str) -> str:
    return f"{ID_RULE}, e.g. '{suggest_id(value)}'"


def _bad_pattern(loc: Loc, value: str) -> tuple[str, str]:
    if "cites" in loc:
        return (f"cite '{value}' does not name a page and an anchor",
                "write the page's path under docs/ and a heading anchor, e.g. "
                "'policy/exceptions.md#serious-harm'")
    return f"'{value}' is not a valid id ({_field_name(loc)})", _id_hint(value)


def _too_short(loc: Loc, value: Any, least: int | None = None) -> tuple[str, str | None]:
    owner, _ = _owner(loc[:-1])
    name = str(loc[-1])
    if isinstance(value, str):
        return f"{_field_name(loc)} is empty", "write the text after the colon"
    count = len(value) if isinstance(value, list | dict) else 0
    if name == "options":
        return (f"{owner} has {count} option{'s' if count != 1 else ''}; it needs at least two",
                "add another '- label: …' / 'next: …' item")
    if count and least:
        return (f"{_field_name(loc)} has {plural(count, 'item')}; it needs at least {least}",
                _FIELD_HINTS.get(name))
    return f"{_field_name(loc)} is empty", _FIELD_HINTS.get(name)


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _wrong_type(loc: Loc, kind: str, e: Any, raw: RawTree) -> tuple[str, str | None]:
    expected = _EXPECTED.get(kind)
    if expected is None:
        return f"{_field_name(loc)}: {e['msg']}", None
    value = e["input"]
    found = _kind_of(value)
    message = f"{_field_name(loc)} should be {expected}, not {found}"
    hint = None
    if expected == "text" and loc in raw.raw and raw.raw[loc]:
        hint = f"put it in quotes: '{raw.raw[loc]}'"
    elif value is None:
        hint = "write the value after the colon"
    elif expected == "a list" and isinstance(value, str):
        hint = f"write it as a list: '- {value}' on the line below"
    elif expected.startswith("a mapping") and loc == ():
        hint = ("a tree file is a mapping: 'title: …', 'start: …', 'questions: …', "
                "'outcomes: …'")
    elif expected.startswith("a mapping") and isinstance(value, list):
        hint = "write 'key: value' lines indented below it, without '- ' in front"
    return message, hint


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


# --- the links between questions and outcomes ----------------------------------------------


def check_tree(
    tree: Tree, shown: str, problems: Problems, check: OutcomeCheck | None = None
) -> None:
    """Check one well-shaped tree: its links, loops, labels, scenarios and outcomes.

    Each outcome written in the tree is checked for urgency, contacts and cites; shared
    outcomes are checked once, in their own file.
    """
    ids_ok = _check_ids(tree, shown, problems)
    labels_ok = _check_labels(tree, shown, problems)
    if _check_links(tree, shown, problems) and ids_ok:
        looped = _check_cycles(tree, shown, problems)
        _check_reachable(tree, shown, problems)
        if not looped and labels_ok:
            _check_scenarios(tree, shown, problems)
    check = check or OutcomeCheck(problems, None, None)
    for oid, outcome in tree.outcomes.items():
        if oid not in tree.shared:
            check.outcome(
                shown, oid, outcome, lambda *loc, o=oid: tree.position("outcomes", o, *loc)
            )


def _check_ids(tree: Tree, shown: str, problems: Problems) -> bool:
    ok = True
    for oid in tree.outcomes:
        if oid in tree.questions:
            line = tree.key_position("questions", oid)[0]
            problems.fail(shown, tree.key_position("outcomes", oid),
                          f"'{oid}' is the id of a question (line {line}) and of an outcome",
                          "questions and outcomes share one set of ids: rename one of them")
            ok = False
    return ok


def _check_labels(tree: Tree, shown: str, problems: Problems) -> bool:
    ok = True
    for qid, question in tree.questions.items():
        first: dict[str, int] = {}
        for i, option in enumerate(question.options):
            at = tree.position("questions", qid, "options", i, "label")
            if option.label in first:
                problems.fail(shown, at, f"question '{qid}' has two options labelled "
                              f"'{option.label}' (lines {first[option.label]} and {at[0]})",
                              "labels must differ so the reader can tell the answers apart")
                ok = False
            first.setdefault(option.label, at[0])
    return ok


def _check_links(tree: Tree, shown: str, problems: Problems) -> bool:
    ids = [*tree.questions, *tree.outcomes]
    ok = True
    if tree.start in tree.outcomes:
        problems.fail(shown, tree.position("start"), f"start '{tree.start}' is an outcome",
                      "a guide starts with a question: name a question id")
        ok = False
    elif tree.start not in tree.questions:
        problems.fail(shown, tree.position("start"), f"start '{tree.start}' is not a question",
                      did_you_mean(tree.start, tree.questions, fallback="the questions are"))
        ok = False
    for qid, question in tree.questions.items():
        for i, option in enumerate(question.options):
            if option.next not in tree.questions and option.next not in tree.outcomes:
                problems.fail(
                    shown, tree.position("questions", qid, "options", i, "next"),
                    f"next '{option.next}' (question '{qid}', option '{option.label}') is not "
                    "a question or an outcome",
                    did_you_mean(option.next, ids, fallback="the ids are"),
                )
                ok = False
    return ok


def _check_cycles(tree: Tree, shown: str, problems: Problems) -> bool:
    """Report every loop once, at the ``next`` that closes it; return True if any."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    found = False
    for top in tree.questions:
        if top in state:
            continue
        path: list[str] = [top]
        todo = [iter(enumerate(tree.questions[top].options))]
        state[top] = 1
        while todo:
            step = next(todo[-1], None)
            if step is None:
                state[path.pop()] = 2
                todo.pop()
                continue
            i, option = step
            target = option.next
            if target not in tree.questions or state.get(target) == 2:
                continue
            if state.get(target) == 1:
                loop = [*path[path.index(target):], target]
                problems.fail(
                    shown, tree.position("questions", path[-1], "options", i, "next"),
                    "the questions loop: " + " → ".join(loop),
                    "a guide must always move on: point one of these 'next' at a later "
                    "question or at an outcome",
                )
                found = True
                continue
            state[target] = 1
            path.append(target)
            todo.append(iter(enumerate(tree.questions[target].options)))
    return found


def _check_reachable(tree: Tree, shown: str, problems: Problems) -> None:
    seen = {tree.start}
    todo = [tree.start]
    while todo:
        question = tree.questions.get(todo.pop())
        for option in question.options if question else ():
            if option.next not in seen:
                seen.add(option.next)
                todo.append(option.next)
    for section, ids in (("questions", tree.questions), ("outcomes", tree.outcomes)):
        for node in ids:
            if node not in seen:
                problems.fail(
                    shown, tree.key_position(section, node),
                    f"{section[:-1]} '{node}' cannot be reached from start '{tree.start}'",
                    f"no option leads to it: add an option with 'next: {node}', or delete it",
                )


def _check_scenarios(tree: Tree, shown: str, problems: Problems) -> None:
    data = engine_data(tree)
    for i, scenario in enumerate(tree.scenarios):
        problem = _replay(tree, data, i, scenario)
        if problem:
            problems.fail(shown, *problem)


def _replay(
    tree: Tree, data: dict[str, Any], i: int, scenario: Scenario
) -> tuple[tuple[int, int], str, str | None] | None:
    name = f"scenario '{scenario.name}'"
    expected = scenario.outcome
    if expected not in tree.outcomes:
        what = "a question, not an outcome" if expected in tree.questions else "not an outcome"
        return (tree.position("scenarios", i, "outcome"), f"{name} expects '{expected}', "
                f"which is {what}", did_you_mean(expected, tree.outcomes,
                                                 fallback="the outcomes are"))
    walk = engine.Engine(data)
    for step, label in enumerate(scenario.answers):
        at = tree.position("scenarios", i, "answers", step)
        if walk.is_outcome():
            return (at, f"{name}: answer {step + 1} '{label}' comes after the guide has "
                    f"ended at outcome '{walk.node}'", f"remove the answers after {step}")
        options = [o.label for o in tree.questions[walk.node].options]
        if label not in options:
            return (at, f"{name} leaves the guide at answer {step + 1}: question "
                    f"'{walk.node}' expects one of {_quoted(options)}, found '{label}'",
                    did_you_mean(label, options) or "use an option label exactly as written")
        walk.choose(label)
    if not walk.is_outcome():
        options = [o.label for o in tree.questions[walk.node].options]
        return (tree.position("scenarios", i, "answers"), f"{name} stops at question "
                f"'{walk.node}' after {plural(len(scenario.answers), 'answer')}; expected outcome "
                f"'{expected}'", f"add one of its options: {_quoted(options)}")
    if walk.node != expected:
        route = " → ".join([*scenario.answers, walk.node])
        return (tree.position("scenarios", i, "outcome"), f"{name} ends at outcome "
                f"'{walk.node}', not '{expected}'",
                f"the answers lead {route}: change the answers or the outcome")
    return None


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


class OutcomeCheck:
    """The rules for one outcome, wherever it is written (a tree or the shared file).

    Args:
        problems: Where problems go.
        docs: The docs pages and their anchors, or None to skip resolving cites.
        contacts: The known contact ids, or None to skip checking them.
    """

    def __init__(
        self, problems: Problems, docs: Docs | None, contacts: set[str] | None
    ) -> None:
        self.problems = problems
        self.docs = docs
        self.contacts = contacts

    def outcome(
        self, shown: str, oid: str, outcome: Outcome, at: Callable[..., tuple[int, int]]
    ) -> None:
        """Check urgency against kind, the contact ids and the cites of outcome ``oid``.

        ``at(*loc)`` gives the position of a value inside the outcome, e.g. ``at("cites", 0)``.
        """
        if outcome.kind == "danger" and outcome.urgency not in URGENT_FOR_DANGER:
            self.problems.fail(shown, at("urgency"), f"outcome '{oid}' is of kind 'danger' but "
                               f"its urgency is '{outcome.urgency}'", "danger (red) is for harm "
                               "and deadlines: make it 'now' or 'today', or use kind 'warning'")
        if self.contacts is not None:
            for i, cid in enumerate(outcome.contacts):
                if cid not in self.contacts:
                    self.problems.fail(shown, at("contacts", i), f"outcome '{oid}' names "
                                       f"contact '{cid}', which the contacts file does not "
                                       "have", did_you_mean(cid, sorted(self.contacts),
                                                            fallback="the contacts are"))
        if self.docs is not None:
            self._cites(shown, oid, outcome, at)

    def _cites(
        self, shown: str, oid: str, outcome: Outcome, at: Callable[..., tuple[int, int]]
    ) -> None:
        docs = self.docs
        assert docs is not None
        pages = sorted(docs)
        for i, cite in enumerate(outcome.cites):
            page, anchor = cite.split("#", 1)
            where = at("cites", i)
            if page not in docs:
                self.problems.fail(shown, where, f"outcome '{oid}' cites '{page}', which is not "
                                   "a page in the docs", did_you_mean(page, pages) or
                                   "pages are written relative to the docs folder, e.g. "
                                   "'policy/exceptions.md'")
            elif anchor not in (anchors := docs[page]):
                hint = docs.explain_missing_anchor(page, anchor)
                self.problems.fail(shown, where, f"outcome '{oid}' cites '{cite}', but '{page}' "
                                   f"has no anchor '#{anchor}'", hint or did_you_mean(
                                       anchor, sorted(anchors), fallback="its anchors are"))
