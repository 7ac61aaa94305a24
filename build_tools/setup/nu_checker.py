"""The W3C Nu HTML Checker (npm's ``vnu-jar``) and Java: the one place both are found.

The tests run it over every page of the built site (``tests/site/test_html_valid.py``); it
is never shipped. The jar is fetched and verified like the other pinned npm packages
(:data:`build_tools.setup.fetch.VNU`). Java 17 or newer is ``$CWC_JAVA``, else
``$JAVA_HOME/bin/java``, else ``java`` on ``PATH``; the set-up installs Debian's
``default-jre-headless`` when none is found.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import BuildError
from build_tools.setup.browser import apt_install
from build_tools.setup.fetch import VNU, FetchError, ensure_package

MIN_JAVA = 17
JAVA_PACKAGE = "default-jre-headless"
INSTALL_HINT = (
    f"run 'build_tools/setup/bootstrap.sh' (it installs Debian's {JAVA_PACKAGE}), or "
    f"install Java {MIN_JAVA} or newer yourself and put it on PATH or in CWC_JAVA"
)
# The checker's start-up dominates a run: the quick JIT tier alone halves it (15 s → 7 s
# of CPU for the whole site here). That tier needs a deeper stack for the HTML schema.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m"]


class CheckerError(BuildError):
    """Java or the checker is missing, or the checker did not run."""


@dataclass(frozen=True)
class Message:
    """One message of the checker about one page."""

    page: str
    line: int
    type: str
    message: str
    markup: str = ""
    """The markup the message is about (the checker's highlighted extract)."""

    def format(self) -> str:
        """``page:line: error: message``, as a person reads it."""
        return f"{self.page}:{self.line}: {self.type}: {self.message}"


def java_version(java: str) -> int | None:
    """The major version of a Java executable (``17``), or None when it does not run."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if result.returncode != 0 or not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def find_java() -> str | None:
    """The first Java 17 or newer among ``$CWC_JAVA``, ``$JAVA_HOME/bin/java`` and ``java``."""
    home = os.environ.get("JAVA_HOME")
    for candidate in (os.environ.get("CWC_JAVA"), home and str(Path(home) / "bin" / "java"),
                      shutil.which("java")):
        if candidate and (java_version(candidate) or 0) >= MIN_JAVA:
            return candidate
    return None


def install_java() -> None:
    """Install Debian's Java when none is found (the set-up calls this)."""
    if find_java() is None:
        apt_install([JAVA_PACKAGE],
                    f"Install Java {MIN_JAVA} or newer (Debian: 'apt-get install "
                    f"{JAVA_PACKAGE}'), or set CWC_JAVA=/path/to/java.",
                    purpose=f"the HTML checker the unit tests run (Java {MIN_JAVA}+)")


def checker_command() -> list[str]:
    """``java … -jar vnu.jar``, ready for file names.

    Raises:
        CheckerError: If Java 17+ is missing, or the jar cannot be fetched.
    """
    java = find_java()
    if java is None:
        raise CheckerError(
            f"the W3C Nu HTML Checker needs Java {MIN_JAVA} or newer, and none was found "
            "(looked at CWC_JAVA, JAVA_HOME and 'java' on PATH)", INSTALL_HINT)
    try:
        jar = ensure_package(VNU, quiet=True) / "package" / "build" / "dist" / "vnu.jar"
    except FetchError as error:
        raise CheckerError(f"the HTML checker {VNU.spec} is missing: {error.message}",
                           "run 'build_tools/setup/bootstrap.sh' with npm available") from error
    if not jar.is_file():
        raise CheckerError(f"{VNU.spec} has no build/dist/vnu.jar at {jar}",
                           "delete that folder and run 'build_tools/setup/bootstrap.sh'")
    return [java, *JAVA_FLAGS, "-jar", str(jar)]


def check_pages(site: Path, pages: Iterable[str]) -> list[Message]:
    """Every error the checker finds in these pages of ``site`` (one run for them all).

    Args:
        site: The built site's folder.
        pages: Paths of HTML files relative to ``site``.

    Raises:
        CheckerError: If the checker is missing or gives no report.
    """
    pages = list(pages)
    result = subprocess.run(
        [*checker_command(), "--format", "json", "--errors-only", *pages],
        cwd=site, capture_output=True, text=True,
    )
    try:
        report = json.loads(result.stderr)  # the JSON report goes to stderr
    except json.JSONDecodeError:
        raise CheckerError(
            f"the HTML checker gave no report (exit {result.returncode}):\n"
            f"{(result.stderr or result.stdout).strip()[:2000]}") from None
    found = []
    for item in report["messages"]:
        page = item.get("url", "").removeprefix("file:")
        page = Path(page).resolve().relative_to(site.resolve()).as_posix() if page else "?"
        extract, start = item.get("extract", ""), item.get("hiliteStart", 0)
        markup = extract[start:start + item.get("hiliteLength", 0)]
        found.append(Message(page, item.get("lastLine", 0), item["type"], item["message"],
                             markup))
    return found
