"""Every page of the built site is valid HTML, by the W3C Nu HTML Checker.

The checker (npm's ``vnu-jar``, pinned in build_tools/setup/fetch.py) runs once over every
page. The only messages let through are the theme's own, listed with their reasons in
``html_allowed.yml``; a missing Java or checker fails the test and says what to install.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_tools.setup.nu_checker import CheckerError, Message, check_pages

ALLOWED_FILE = Path(__file__).with_name("html_allowed.yml")


def allowed() -> list[dict[str, str]]:
    """The allow-list: message, element (start of its markup) and reason of each entry."""
    entries = yaml.safe_load(ALLOWED_FILE.read_text(encoding="utf-8"))
    for entry in entries:
        assert set(entry) == {"message", "element", "reason"}, entry
        assert entry["reason"].strip() and entry["element"].startswith("<"), entry
    return entries


@pytest.fixture(scope="module")
def messages(built_site: Path) -> list[tuple[Message, str]]:
    """Every error the checker finds in the built site, with the markup it is about."""
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert len(pages) > 20, pages
    try:
        return check_pages(built_site, pages)
    except CheckerError as error:
        pytest.fail(error.format())


def is_allowed(message: Message, entries: list[dict[str, str]]) -> dict[str, str] | None:
    return next((e for e in entries if e["message"] == message.message
                 and message.markup.startswith(e["element"])), None)


def test_every_page_is_valid_html_apart_from_the_themes_listed_messages(messages) -> None:
    """No error outside the allow-list, on any page."""
    entries = allowed()
    left = [m.format() + f"\n    at: {m.markup[:160]}"
            for m in messages if not is_allowed(m, entries)]
    assert left == [], f"{len(left)} errors from the Nu HTML Checker:\n" + "\n".join(left)


def test_every_allowed_message_still_occurs(messages) -> None:
    """An allow-list entry the theme no longer causes is removed, not kept just in case."""
    used = [e for e in allowed() if any(is_allowed(m, [e]) for m in messages)]
    unused = [e["message"] for e in allowed() if e not in used]
    assert unused == [], f"remove these from {ALLOWED_FILE.name}: {unused}"


def test_a_missing_java_fails_and_says_what_to_install(monkeypatch, tmp_path: Path) -> None:
    """Without Java the checker cannot run: the error says so and how to get it."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("CWC_JAVA", str(tmp_path / "no-java"))
    with pytest.raises(CheckerError) as caught:
        check_pages(tmp_path, ["index.html"])
    assert caught.value.format() == (
        "the W3C Nu HTML Checker needs Java 17 or newer, and none was found (looked at "
        "CWC_JAVA, JAVA_HOME and 'java' on PATH)\n  hint: run 'build_tools/setup/bootstrap.sh' "
        "(it installs Debian's default-jre-headless), or install Java 17 or newer yourself "
        "and put it on PATH or in CWC_JAVA")
