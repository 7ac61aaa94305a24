"""What changed since the last approval: this copy compared with the approved text, from git.

The Board approves a version; the charity tags the approved text in git (``policy-v1.0``)
and names the tag in the approval record (``extra.policy.approvals``, see
:mod:`build_tools.site.document_control`). Each build then compares the working tree with
that tag and writes (marker ``<!-- changes -->``):

- the **policy text**, clause by clause: the pages under the policy folder are split at
  their clause anchors, and each clause added, removed, moved or reworded is shown with
  its words struck through or underlined;
- the **guides**, from the committed path rendering (``decision_trees/PATHS.txt`` at the
  tag, against the same rendering of the guides being built): guides and outcomes added
  or removed, outcomes reworded (title, how soon, whom to tell, the clauses cited, the
  good practice), questions reworded, and paths that now end at another outcome; then the
  text diff itself.

With no git, a folder that is not a repository, or a repository without the tag (a copied
folder, a clone made without tags), :func:`compare` says so in a plain sentence and the
build goes on. Git runs as a subprocess, read-only, with no network.
"""

from __future__ import annotations

import difflib
import html
import os
import posixpath
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.site.document_control import Approval, DocumentControl
from build_tools.site.markdown import VISUALLY_HIDDEN, escape_raw_html
from build_tools.site.urls import docs_link

GIT_TIMEOUT = 60
"""Seconds any one git command may take (a local read takes milliseconds)."""


# -- reading git -------------------------------------------------------------------------


class NoComparison(Exception):
    """Why there is nothing to compare with, as the page says it."""


@dataclass(frozen=True)
class Approved:
    """The approved text as git holds it: where it is, and the files the page compares."""

    tag: str
    commit: str
    date: str
    pages: dict[str, str]
    """Docs-relative path → Markdown, for every page under the policy folder."""
    paths_text: str | None
    """``PATHS.txt`` at the tag (None if the tag has none)."""
    this_copy: str
    """This copy's commit, and whether it has changes not yet committed."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    return _run_git(root, args, stdin).decode("utf-8", errors="replace")


def _run_git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True,
                              timeout=GIT_TIMEOUT, env=env, check=False)
    except FileNotFoundError:
        raise NoComparison("This copy was built on a computer without git, so it cannot be "
                           "compared with the approved version.") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NoComparison(f"git could not be run ({error}), so this copy cannot be compared "
                           "with the approved version.") from None
    if done.returncode:
        said = done.stderr.decode("utf-8", errors="replace").strip()
        raise _Failed(said.splitlines()[-1] if said else "")
    return done.stdout


class _Failed(Exception):
    """A git command that ran and failed (its last line of error output)."""


def _read_files(root: Path, commit: str, names: Sequence[str]) -> dict[str, str | None]:
    """The files ``names`` (relative to the repository's top) at ``commit``, in one git call."""
    out = _run_git(root, ["cat-file", "--batch"],
                   "".join(f"{commit}:{name}\n" for name in names).encode("utf-8"))
    found: dict[str, str | None] = {}
    at = 0
    for name in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            found[name] = None  # missing, or not a file
            continue
        size = int(header[2])
        found[name] = out[at:at + size].decode("utf-8", errors="replace")
        at += size + 1
    return found


def read_approved(root: Path, tag: str, docs_dir: Path, policy_dir: str,
                  trees_dir: Path) -> Approved:
    """The approved text at ``tag``, read with git from the repository around ``root``.

    Raises:
        NoComparison: No git, not a repository, no such tag, or git failed.
    """
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except _Failed as error:
        if "not a git repository" in str(error):
            raise NoComparison("This copy was not built from a git repository (a copied "
                               "folder or a download keeps no history), so there is no "
                               "approved version to compare it with.") from None
        raise NoComparison(f"git could not read this folder's history ({error}).") from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet",
                      f"refs/tags/{tag}^{{commit}}").strip()
    except _Failed:
        raise NoComparison(f"The approved version's tag, {tag}, is not in this copy's history "
                           "(a clone made without its tags: 'git fetch --tags' brings them), "
                           "so there is nothing to compare with.") from None
    docs, trees = _relative(docs_dir, top), _relative(trees_dir, top)
    try:
        short, date = _git(root, "log", "-1", "--date=short", "--format=%h%x09%cd",
                           commit).strip().split("\t")
        folder = posixpath.join(docs, policy_dir.strip("/"))
        listed = _git(root, "ls-tree", "-r", "--name-only", "--full-tree", commit, "--",
                      folder + "/").splitlines()
        names = [n for n in listed if n.endswith(".md")]
        paths_file = posixpath.join(trees, "PATHS.txt")
        files = _read_files(root, commit, [*names, paths_file])
        here = _git(root, "rev-parse", "--short", "HEAD").strip()
        dirty = _git(root, "status", "--porcelain", "--", f":/{docs}", f":/{trees}").strip()
    except _Failed as error:
        raise NoComparison(f"git could not read the approved version ({tag}): {error}."
                           ) from None
    pages = {posixpath.relpath(n, docs): text for n in names
             if (text := files[n]) is not None}
    this_copy = f"commit {here}" + (", with changes not yet committed" if dirty else "")
    return Approved(tag, short, date, pages, files[paths_file], this_copy)


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


# -- the policy, clause by clause ---------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---[ \t]*\n", re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(?P<text>.*?)[ \t]*"
                      r"(?:\{:?[ \t]*#(?P<id>[\w-]+)[^}\n]*\})?[ \t]*$")
_ATTR_LINE = re.compile(r"^[ \t]*\{:?[ \t]*#(?P<id>[\w-]+)[^}\n]*\}[ \t]*$")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*[#.][^}\n]*\}")


@dataclass(frozen=True)
class Part:
    """One clause of a page as written: its anchor, the words a person calls it, its text."""

    anchor: str
    title: str
    heading: str
    """The heading's words ('' for a list item or paragraph)."""
    text: str
    """The clause's other words on one line (list items start with •)."""


def clause_parts(markdown: str) -> dict[str, Part]:
    """A policy page's clauses by anchor, in page order.

    A clause is a heading with an anchor and what follows it, or a list item (or
    paragraph) with an anchor on its own line below it. What comes before the first clause
    (the page title) is the part with anchor ``""``.
    """
    lines: dict[str, list[str]] = {"": []}
    titles: dict[str, str] = {"": ""}
    headings: dict[str, str] = {}
    current = section = ""
    fence = None
    blank = True
    for line in _FRONT_MATTER.sub("", markdown).split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * 3
        elif fence is not None:
            fence = None if line.strip().startswith(fence) else fence
        elif heading := _HEADING.match(line):
            text = heading.group("text").strip()
            key = heading.group("id") or ("" if len(heading.group(1)) == 1 else "§" + text)
            if key == "":
                titles[""] = titles[""] or text
            current = section = key
            lines.setdefault(key, [])
            titles.setdefault(key, text)
            headings.setdefault(key, text)
            blank = False
            continue
        elif attr := _ATTR_LINE.match(line):
            key = attr.group("id")
            body = lines[current]
            start = len(body)
            while start > 0 and body[start - 1].strip() and not _ITEM.match(body[start - 1]):
                start -= 1
            if start > 0 and _ITEM.match(body[start - 1]):
                start -= 1
            lines[key] = body[start:]
            del body[start:]
            titles[key] = _ITEM.sub("", lines[key][0]).strip() if lines[key] else key
            current = key
            continue
        if (current != section and line.strip() and not line[0].isspace()
                and not _ITEM.match(line) and blank):
            current = section  # a paragraph after an anchored list item: the section's again
        lines[current].append(line)
        blank = not line.strip()
    parts = {}
    for key, body in lines.items():
        words = [_ITEM.sub("• ", _ATTRS.sub("", line)).strip() for line in body]
        text = " ".join(" ".join(w for w in words if w).split())
        if key or text or headings.get(key):
            parts[key] = Part(key, titles.get(key) or key, headings.get(key, ""), text)
    return parts


@dataclass(frozen=True)
class ClauseChange:
    """One clause that is not as approved."""

    page: str
    anchor: str
    title: str
    status: str
    """``changed``, ``added``, ``removed`` or ``moved`` (to ``page`` from ``moved_from``)."""
    before: str
    after: str
    moved_from: str = ""
    heading_before: str = ""
    heading_after: str = ""


def policy_changes(approved: Mapping[str, str], now: Mapping[str, str],
                   order: Sequence[str]) -> list[ClauseChange]:
    """Every clause changed, added, removed or moved between two sets of policy pages.

    Args:
        approved: Docs-relative path → Markdown at the approved version.
        now: The same for this copy.
        order: The pages in reading order (the changes come in it; others after, sorted).
    """
    old = {page: clause_parts(text) for page, text in approved.items()}
    new = {page: clause_parts(text) for page, text in now.items()}
    pages = list(dict.fromkeys([*[p for p in order if p in old or p in new],
                                *sorted(set(old) | set(new))]))
    found: list[ClauseChange] = []
    for page in pages:
        before, after = old.get(page, {}), new.get(page, {})
        for anchor in [*after, *[a for a in before if a not in after]]:
            a, b = before.get(anchor), after.get(anchor)
            if a and b and (a.text, a.heading) != (b.text, b.heading):
                found.append(ClauseChange(page, anchor, b.title, "changed", a.text, b.text,
                                          heading_before=a.heading, heading_after=b.heading))
            elif b and not a:
                found.append(ClauseChange(page, anchor, b.title, "added", "", b.text,
                                          heading_after=b.heading))
            elif a and not b:
                found.append(ClauseChange(page, anchor, a.title, "removed", a.text, "",
                                          heading_before=a.heading))
    # A clause that left one page for another (same anchor) has moved.
    gone = {c.anchor: c for c in found if c.status == "removed" and c.anchor}
    came = {c.anchor for c in found if c.status == "added" and c.anchor}
    moved = gone.keys() & came
    out = []
    for c in found:
        if c.status in ("added", "removed") and c.anchor in moved:
            if c.status == "added":
                was = gone[c.anchor]
                out.append(ClauseChange(c.page, c.anchor, c.title, "moved", was.before,
                                        c.after, was.page, was.heading_before,
                                        c.heading_after))
            continue
        out.append(c)
    return out


# -- the guides, from PATHS.txt -----------------------------------------------------------

_GUIDE = re.compile(r"^== (?P<id>[^:]+): (?P<title>.*) \((?P<count>\d+) paths?\)$")
_PATH = re.compile(r"^(?P<number>\d+)\. (?P<rest>.*)$")
_END = re.compile(r"^⇒ (?P<title>.*) \[(?P<kind>[\w-]+), (?P<urgency>[\w-]+)\] "
                  r"\((?P<oid>[^,()]+)(?:, shared: (?P<shared>[^()]+))?\)$")


@dataclass(frozen=True)
class Ending:
    """An outcome as ``PATHS.txt`` shows it."""

    oid: str
    title: str
    kind: str
    urgency: str
    contacts: str = ""
    cites: str = ""
    practice: str = ""


@dataclass
class GuideText:
    """One guide in ``PATHS.txt``: its title, its paths (answers → steps) and outcomes."""

    id: str
    title: str
    paths: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = field(default_factory=dict)
    """Answers → (the questions asked on the way, the outcome id reached)."""
    outcomes: dict[str, Ending] = field(default_factory=dict)


def parse_paths_text(text: str) -> dict[str, GuideText]:
    """Every guide of a ``PATHS.txt``, by id (unknown lines are passed over)."""
    guides: dict[str, GuideText] = {}
    guide: GuideText | None = None
    steps: list[tuple[str, str]] = []
    ending: dict[str, str] = {}

    def finish() -> None:
        if guide is not None and ending:
            end = Ending(**ending)
            answers = tuple(a for _, a in steps)
            guide.paths[answers] = (tuple(q for q, _ in steps), end.oid)
            guide.outcomes.setdefault(end.oid, end)
        steps.clear()
        ending.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if match := _GUIDE.match(raw):
            finish()
            guide = guides.setdefault(match["id"], GuideText(match["id"], match["title"]))
            continue
        if match := _PATH.match(raw):
            finish()
            line = match["rest"].strip()
        if guide is None or not line:
            continue
        if end := _END.match(line):
            ending.update(oid=end["oid"], title=end["title"], kind=end["kind"],
                          urgency=end["urgency"])
        elif ending and (part := line.partition(": "))[0] in ("contacts", "cites",
                                                               "good practice"):
            ending["practice" if part[0] == "good practice" else part[0]] = part[2]
        elif " → " in line and not ending:
            question, _, answer = line.rpartition(" → ")
            steps.append((question, answer))
    finish()
    return guides


@dataclass(frozen=True)
class Rerouted:
    """A path that now ends at another outcome."""

    questions: tuple[str, ...]
    answers: tuple[str, ...]
    before: Ending
    after: Ending


@dataclass
class GuideChange:
    """What changed in one guide."""

    id: str
    title: str
    status: str
    """``added``, ``removed`` or ``changed``."""
    outcomes_added: list[Ending] = field(default_factory=list)
    outcomes_removed: list[Ending] = field(default_factory=list)
    outcomes_changed: list[tuple[Ending, Ending]] = field(default_factory=list)
    questions_reworded: list[tuple[str, str]] = field(default_factory=list)
    rerouted: list[Rerouted] = field(default_factory=list)
    paths_added: list[tuple[tuple[str, ...], tuple[str, ...], Ending]] = field(
        default_factory=list)
    paths_removed: list[tuple[tuple[str, ...], tuple[str, ...], Ending]] = field(
        default_factory=list)


def guide_changes(approved: str, now: str) -> list[GuideChange]:
    """What changed in the guides between two ``PATHS.txt`` texts, guide by guide."""
    old, new = parse_paths_text(approved), parse_paths_text(now)
    found = []
    for gid in [*new, *[g for g in old if g not in new]]:
        a, b = old.get(gid), new.get(gid)
        if a is None and b is not None:
            found.append(GuideChange(gid, b.title, "added",
                                     outcomes_added=list(b.outcomes.values())))
        elif b is None and a is not None:
            found.append(GuideChange(gid, a.title, "removed",
                                     outcomes_removed=list(a.outcomes.values())))
        elif a is not None and b is not None:
            change = _compare_guide(a, b)
            if change is not None:
                found.append(change)
    return found


def _compare_guide(a: GuideText, b: GuideText) -> GuideChange | None:
    change = GuideChange(b.id, b.title, "changed")
    change.outcomes_added = [e for oid, e in b.outcomes.items() if oid not in a.outcomes]
    change.outcomes_removed = [e for oid, e in a.outcomes.items() if oid not in b.outcomes]
    change.outcomes_changed = [(a.outcomes[oid], e) for oid, e in b.outcomes.items()
                               if oid in a.outcomes and a.outcomes[oid] != e]
    reworded: dict[tuple[str, str], None] = {}
    for answers, (questions, oid) in b.paths.items():
        if answers not in a.paths:
            change.paths_added.append((questions, answers, b.outcomes[oid]))
            continue
        old_questions, old_oid = a.paths[answers]
        for q_old, q_new in zip(old_questions, questions, strict=False):
            if q_old != q_new:
                reworded[(q_old, q_new)] = None
        if old_oid != oid:
            change.rerouted.append(Rerouted(questions, answers, a.outcomes[old_oid],
                                            b.outcomes[oid]))
    change.paths_removed = [(questions, answers, a.outcomes[oid])
                            for answers, (questions, oid) in a.paths.items()
                            if answers not in b.paths]
    change.questions_reworded = list(reworded)
    if a.title != b.title:
        change.questions_reworded.insert(0, ("Title: " + a.title, "Title: " + b.title))
    empty = not any([change.outcomes_added, change.outcomes_removed, change.outcomes_changed,
                     change.questions_reworded, change.rerouted, change.paths_added,
                     change.paths_removed])
    return None if empty else change


# -- the page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """This copy against the last approved version (or why there is nothing to compare)."""

    reason: str = ""
    """Why there is nothing to compare with ('' when there is)."""
    approved: Approved | None = None
    approval: Approval | None = None
    """The approval whose tag was compared with."""
    policy: tuple[ClauseChange, ...] = ()
    guides: tuple[GuideChange, ...] = ()
    paths_diff: str = ""
    paths_missing: bool = False


def compare(control: DocumentControl, root: Path, docs_dir: Path, policy_dir: str,
            trees_dir: Path, pages_now: Mapping[str, str], order: Sequence[str],
            paths_now: str, exclude: Sequence[str] = ()) -> Comparison:
    """Compare this copy with the last approved version, or say why it cannot be done.

    Args:
        control: The document control (its latest approval names the tag).
        root: The site's folder (inside the repository).
        docs_dir: The docs folder.
        policy_dir: The policy's folder under docs (``policy``).
        trees_dir: The guides' folder.
        pages_now: The policy pages of this copy: docs-relative path → Markdown.
        order: The policy pages in reading order.
        paths_now: ``PATHS.txt`` for the guides of this copy.
        exclude: Pages under the policy folder that are not the policy (editorial notes).
    """
    last = control.last
    if last is None:
        return Comparison("The policy has not been approved yet, so there is no approved "
                          "version to compare this copy with.")
    if not last.tag:
        return Comparison(f"The approval of version {last.version} on "
                          f"{last.approved_on.isoformat()} names no git tag for the approved "
                          "text, so there is nothing to compare this copy with.")
    try:
        approved = read_approved(root, last.tag, docs_dir, policy_dir, trees_dir)
    except NoComparison as why:
        return Comparison(str(why))
    then = {p: t for p, t in approved.pages.items() if p not in exclude}
    policy = policy_changes(then, pages_now, order)
    if approved.paths_text is None:
        return Comparison("", approved, last, tuple(policy), (), "", True)
    diff = "".join(difflib.unified_diff(
        approved.paths_text.splitlines(keepends=True), paths_now.splitlines(keepends=True),
        f"PATHS.txt at {approved.tag}", "PATHS.txt now", n=2))
    return Comparison("", approved, last, tuple(policy),
                      tuple(guide_changes(approved.paths_text, paths_now)), diff)


def _vh(text: str) -> str:
    return f'<span class="{VISUALLY_HIDDEN}">{html.escape(text)}</span>'


def word_diff(before: str, after: str) -> str:
    """HTML of ``after`` with the words taken out struck through and those put in underlined.

    A screen reader hears "removed:" and "added:" before them (the marks alone are silent).
    """
    a, b = before.split(), after.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f'<del class="cwc-diff__del">{_vh("[removed: ")}'
                       f"{html.escape(' '.join(a[i1:i2]))}{_vh("]")}</del>")
        if op in ("insert", "replace"):
            out.append(f'<ins class="cwc-diff__ins">{_vh("[added: ")}'
                       f"{html.escape(' '.join(b[j1:j2]))}{_vh("]")}</ins>")
    return " ".join(out)


_STATUS = {"changed": "reworded", "added": "added", "removed": "removed", "moved": "moved"}


class ChangesPage:
    """The "what changed" page's content (Markdown with HTML blocks) for one page.

    Args:
        comparison: The comparison.
        titles: Docs-relative policy page → its title.
        src: The page it goes on (docs-relative); links are made relative to it.
        level: The heading level of its sections.
        in_page: The policy is on the same page (the board pack): clause links are in-page.
    """

    def __init__(self, comparison: Comparison, titles: Mapping[str, str], src: str,
                 level: int, in_page: bool = False) -> None:
        self.c = comparison
        self.titles = titles
        self.src = src
        self.url = src.removesuffix(".md") + ".html"
        self.level = level
        self.in_page = in_page

    def _h(self, depth: int, text: str, anchor: str) -> str:
        return f"{'#' * min(self.level + depth, 6)} {text} {{#{anchor}}}"

    def _clause_href(self, page: str, anchor: str) -> str:
        if self.in_page and anchor:
            return f"#{anchor}"
        return docs_link(f"{page}#{anchor}" if anchor else page, self.url)

    def markdown(self) -> str:
        """The whole content."""
        c = self.c
        if c.approved is None:
            return "\n" + "\n".join([
                '<p class="cwc-changes__none" data-role="no-comparison"><strong>Nothing to '
                f"compare.</strong> {html.escape(c.reason)}</p>", "",
                "Once the Board's approval of a version is recorded with the git tag of the "
                "approved text, and the site is built from the charity's repository with "
                "its tags, this page lists everything that differs from that version.",
            ]) + "\n"
        a, approval = c.approved, c.approval
        assert approval is not None
        out = [
            f"Compared with version {escape_raw_html(approval.version)}, approved by the "
            f"{escape_raw_html(approval.approved_by)} on {approval.approved_on.isoformat()} "
            f"(minute {escape_raw_html(approval.minute)}): git tag `{a.tag}`, commit "
            f"{a.commit} of {a.date}. This copy: {a.this_copy}.", "",
            self._summary(), "",
        ]
        out += self._policy()
        out += self._guides()
        return "\n" + "\n".join(out) + "\n"

    def _summary(self) -> str:
        policy = self.c.policy
        counts: dict[str, int] = {}
        for change in policy:
            counts[change.status] = counts.get(change.status, 0) + 1
        if policy:
            told = ", ".join(f"{n} {_STATUS[s]}" for s, n in counts.items())
            text = (f"**Policy text:** {len(policy)} clause"
                    f"{'' if len(policy) == 1 else 's'} not as approved ({told}).")
        else:
            text = "**Policy text:** the same as the approved version."
        guides = self.c.guides
        if self.c.paths_missing:
            text += (" **Guides:** the approved version has no path rendering "
                     "(decision_trees/PATHS.txt) to compare with.")
        elif guides:
            text += (f" **Guides:** {len(guides)} guide"
                     f"{' tells' if len(guides) == 1 else 's tell'} volunteers something "
                     "different from the approved version.")
        else:
            text += " **Guides:** they give the same answers as in the approved version."
        return text

    def _policy(self) -> list[str]:
        out = ["", self._h(0, "The policy text", "changes-policy"), ""]
        if not self.c.policy:
            out += ["No clause of the policy has changed since it was approved.", ""]
            return out
        out += ["In each clause below, words taken out are struck through and words put in "
                "are underlined; a screen reader says “removed” and “added” before them.", ""]
        page = None
        for change in self.c.policy:
            if change.page != page:
                page = change.page
                title = self.titles.get(page) or page
                slug = re.sub(r"[^a-z0-9]+", "-", page.lower().removesuffix(".md")).strip("-")
                out += [self._h(1, f"Changes in “{escape_raw_html(title)}”",
                                f"changes-{slug}"), ""]
            out += self._clause(change)
        return out

    def _clause(self, change: ClauseChange) -> list[str]:
        name = "the page title" if not change.anchor else f"“{change.title}”"
        status = _STATUS[change.status]
        if change.status == "moved":
            status += f" here from “{self.titles.get(change.moved_from) or change.moved_from}”"
        lines = [f'<div class="cwc-diff" data-change="{change.status}">',
                 f'<p class="cwc-diff__title"><strong>{html.escape(name)}</strong>: '
                 f"{html.escape(status)}"]
        if change.status != "removed":
            href = self._clause_href(change.page, change.anchor)
            lines[-1] += f' (<a href="{html.escape(href)}">read it in the policy</a>)'
        lines[-1] += "</p>"
        if change.heading_before != change.heading_after:
            lines.append('<p class="cwc-diff__text"><strong>Heading:</strong> '
                         f"{word_diff(change.heading_before, change.heading_after)}</p>")
        if change.before != change.after or len(lines) == 2:
            lines.append(f'<p class="cwc-diff__text">'
                         f"{word_diff(change.before, change.after)}</p>")
        lines += ["</div>", ""]
        return lines

    def _guides(self) -> list[str]:
        out = ["", self._h(0, "The guides", "changes-guides"), ""]
        if self.c.paths_missing:
            return [*out, "The approved version has no path rendering of the guides "
                    "(decision_trees/PATHS.txt), so the guides cannot be compared.", ""]
        if not self.c.guides:
            return [*out, "Every path through every guide ends where it did, with the same "
                    "words, as in the approved version.", ""]
        for change in self.c.guides:
            title = escape_raw_html(change.title)
            out += [self._h(1, f"The guide “{title}”: {change.status}",
                            f"changes-guide-{change.id}"), ""]
            out += ['<ul class="cwc-changes">', *self._guide_items(change), "</ul>", ""]
        out += ['<details class="cwc-changes__raw">',
                "<summary>The whole text diff of the guides’ paths (PATHS.txt)</summary>",
                f'<pre class="cwc-changes__diff"><code>{html.escape(self.c.paths_diff)}'
                "</code></pre>", "</details>", ""]
        return out

    def _guide_items(self, change: GuideChange) -> list[str]:
        items = []
        for end in change.outcomes_added:
            items.append(f"<li><strong>Outcome added:</strong> {_end(end)}</li>")
        for end in change.outcomes_removed:
            items.append(f"<li><strong>Outcome removed:</strong> {_end(end)}</li>")
        for before, after in change.outcomes_changed:
            items.append(f"<li><strong>Outcome changed:</strong> {_end(after)}"
                         f"<ul>{''.join(_differences(before, after))}</ul></li>")
        for old, new in change.questions_reworded:
            items.append(f"<li><strong>Question reworded:</strong> {word_diff(old, new)}</li>")
        for r in change.rerouted:
            items.append(f"<li><strong>Now ends elsewhere:</strong> "
                         f"{_route(r.questions, r.answers)} now ends at {_end(r.after)}; "
                         f"it ended at {_end(r.before)}</li>")
        for questions, answers, end in change.paths_added:
            items.append(f"<li><strong>New path:</strong> {_route(questions, answers)} "
                         f"ends at {_end(end)}</li>")
        for questions, answers, end in change.paths_removed:
            items.append(f"<li><strong>Path removed:</strong> {_route(questions, answers)} "
                         f"ended at {_end(end)}</li>")
        return items


def _end(end: Ending) -> str:
    return f"“{html.escape(end.title)}” ({html.escape(end.urgency)})"


def _route(questions: Sequence[str], answers: Sequence[str]) -> str:
    steps = [f"{html.escape(q)} <em>{html.escape(a)}</em>" for q, a in zip(questions, answers,
                                                                            strict=False)]
    return " → ".join(steps) if steps else "the start"


_FIELDS = (("title", "the title"), ("urgency", "how soon"), ("kind", "its colour"),
           ("contacts", "who to tell"), ("cites", "the clauses it cites"),
           ("practice", "the good practice"))


def _differences(before: Ending, after: Ending) -> list[str]:
    found = []
    for name, label in _FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            found.append(f"<li>{label}: {word_diff(old, new)}</li>")
    return found
