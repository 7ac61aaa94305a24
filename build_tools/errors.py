"""The one error family of the build: every deliberate error says what is wrong and what to do.

- :class:`BuildError` is the base of every error this project raises on purpose. It
  carries a message and an optional hint, and :meth:`BuildError.format` is the one block
  a person sees. The adapters (the MkDocs plugin and the CLI) turn any ``BuildError`` into
  that block and nothing else: no traceback.
- :class:`Problem` is one thing wrong at a place in a file; :class:`TreeErrors` carries
  every problem found, raised once after everything has been checked::

    decision_trees/x.yaml:12:9: error: unknown key 'optons' in question 'serious-harm'
      hint: did you mean 'options'?

- A notice is a problem that does not stop the build (a contact still to be confirmed).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def with_hint(message: str, hint: str | None) -> str:
    """Return ``message`` with an indented ``hint:`` line when there is a hint."""
    return f"{message}\n  hint: {hint}" if hint else message


class BuildError(Exception):
    """Base of every error this project raises on purpose.

    Args:
        message: What is wrong, naming the file (and place) where that helps.
        hint: What to do about it, or None.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def format(self) -> str:
        """Return the message and its hint as the one block a person reads."""
        return with_hint(self.message, self.hint)

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    severity: str = "error"
    """``error`` (stops the build) or ``notice`` (reported, the build goes on)."""

    def format(self) -> str:
        """Return the problem as ``path:line:col: error: message`` plus a hint line."""
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return with_hint(text, self.hint)


class TreeErrors(BuildError):
    """Every problem found in a set of files; raised once, after checking them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems)
        super().__init__(self.format_problems())

    def format_problems(self) -> str:
        """Return every problem, one block each, followed by a count."""
        blocks = [problem.format() for problem in self.problems]
        return "\n".join([*blocks, self.summary()])

    def format(self) -> str:
        """Return every problem, one block each, followed by a count."""
        return self.format_problems()

    def summary(self) -> str:
        """Return e.g. ``3 errors in 2 files``."""
        files = len({problem.path for problem in self.problems})
        return f"{plural(len(self.problems), 'error')} in {plural(files, 'file')}"


class Problems(list[Problem]):
    """A growing list of problems; :meth:`fail` is the one way to add one.

    Notices (see :meth:`notice`) are kept apart, in :attr:`notices`: they never stop a build.
    """

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[Problem] = []

    def fail(
        self, path: str, position: tuple[int, int], message: str, hint: str | None = None
    ) -> None:
        """Record a problem at ``position`` (1-based line, column) in ``path``."""
        self.append(Problem(path, position[0], position[1], message, hint))

    def notice(
        self, path: str, position: tuple[int, int], message: str, hint: str | None = None
    ) -> None:
        """Record something a person should see and act on, which does not stop the build."""
        self.notices.append(Problem(path, position[0], position[1], message, hint, "notice"))

    def raise_if_any(self) -> None:
        """Raise :class:`TreeErrors` carrying every problem, if there is at least one."""
        if self:
            raise TreeErrors(self)


def plural(count: int, noun: str) -> str:
    """Return ``1 error`` or ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def did_you_mean(word: str, choices: Iterable[str], *, fallback: str = "") -> str | None:
    """Suggest the choices nearest to ``word``, e.g. ``did you mean 'options'?``.

    Args:
        word: What the author wrote.
        choices: What would have been valid.
        fallback: Prefix for the full list of choices when none is close (e.g.
            ``"the questions are"``); no hint at all when empty and nothing is close.
    """
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if fallback and choices:
        shown = ", ".join(f"'{c}'" for c in choices[:12])
        more = f" and {len(choices) - 12} more" if len(choices) > 12 else ""
        return f"{fallback}: {shown}{more}"
    return None


def display_path(path: Path, root: Path | None) -> str:
    """Return ``path`` relative to ``root`` (or the working folder) in POSIX form if inside it."""
    base = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
