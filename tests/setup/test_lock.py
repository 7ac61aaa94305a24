"""The lock file: every package pinned with hashes, and in step with pyproject.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.setup.lock import LOCK, disagreements, pins, requirements

PYPROJECT_TEXT = """\
[build-system]
requires = ["setuptools>=69"]

[project]
name = "x"
dependencies = ["mkdocs>=1.6", "jinja2>=3.1"]

[project.optional-dependencies]
test = ["pytest>=8.0"]
"""

LOCK_TEXT = """\
# made by make lock
jinja2==3.1.6 \\
    --hash=sha256:aaaa
    # via x
mkdocs==1.6.1 \\
    --hash=sha256:bbbb
pytest==9.2.0 ; python_version >= '3.12' \\
    --hash=sha256:cccc
setuptools==84.2.1 \\
    --hash=sha256:dddd
"""


def write(tmp_path: Path, pyproject: str = PYPROJECT_TEXT,
          lock: str = LOCK_TEXT) -> tuple[Path, Path]:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "requirements.lock").write_text(lock)
    return tmp_path / "pyproject.toml", tmp_path / "requirements.lock"


def test_the_committed_lock_agrees_with_pyproject() -> None:
    """Every requirement in pyproject.toml (dependencies, extras, build system) is pinned
    in requirements.lock at a version its range allows: otherwise run 'make lock'."""
    assert [str(d) for d in disagreements()] == []


def test_every_locked_package_is_pinned_exactly_with_hashes() -> None:
    """Each entry of the lock is 'name==version' followed by at least one sha256 hash."""
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip())
    assert len(entries) == len(pins()) > 50
    unhashed = [e.split()[0] for e in entries if "--hash=sha256:" not in e]
    assert unhashed == []
    assert not re.search(r"^[A-Za-z0-9][^=\n]*(>=|<=|~=|\s@\s)", text, re.M)


def test_the_lock_holds_no_address() -> None:
    """No index or file address is written into the lock (it installs from any mirror)."""
    text = LOCK.read_text(encoding="utf-8")
    assert not re.search(r"(--index-url|--extra-index-url|--find-links|://)", text)


def test_a_fake_pyproject_and_lock_in_step(tmp_path: Path) -> None:
    """The checker reads every kind of requirement and finds nothing wrong when all agree."""
    pyproject, lock = write(tmp_path)
    assert {r.name for r in requirements(pyproject)} == {"setuptools", "mkdocs", "jinja2",
                                                          "pytest"}
    assert disagreements(pyproject, lock) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(('"jinja2>=3.1"', '"jinja2>=3.1", "pyyaml>=6"'),
                     "asks for 'pyyaml>=6', which requirements.lock does not hold",
                     id="a-new-dependency"),
        pytest.param(('"mkdocs>=1.6"', '"mkdocs>=2.0"'),
                     "asks for 'mkdocs>=2.0', but requirements.lock pins 1.6.1",
                     id="a-raised-range"),
        pytest.param(('"pytest>=8.0"', '"pytest>=8.0", "Pytest-XDist>=3"'),
                     "asks for 'Pytest-XDist>=3', which requirements.lock does not hold",
                     id="a-new-test-extra"),
        pytest.param(('"setuptools>=69"', '"setuptools>=90"'),
                     "asks for 'setuptools>=90', but requirements.lock pins 84.2.1",
                     id="the-build-system"),
    ],
)
def test_a_pyproject_change_without_a_new_lock_is_named(tmp_path: Path, change: tuple,
                                                        message: str) -> None:
    """A dependency added or a range raised without 'make lock' is caught, by name."""
    pyproject, lock = write(tmp_path, PYPROJECT_TEXT.replace(*change))
    found = [str(d) for d in disagreements(pyproject, lock)]
    assert len(found) == 1
    assert message in found[0]


def test_names_are_compared_as_pip_does(tmp_path: Path) -> None:
    """'Jinja2', 'jinja2' and 'jinja_2'-style spellings are one package."""
    pyproject, lock = write(tmp_path, PYPROJECT_TEXT.replace("jinja2>=3.1", "Jinja2>=3.1"))
    assert disagreements(pyproject, lock) == []

