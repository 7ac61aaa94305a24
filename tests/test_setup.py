"""The set-up's browser choice and pins: what it installs, and what it says when it cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools.setup import browser, fetch
from build_tools.setup.browser import OtherEngine


def test_the_node_tools_lock_pins_puppeteer_core_as_fetch_does() -> None:
    """package-lock.json and fetch.PUPPETEER_CORE name the same version and tarball hash."""
    fetch.check_node_tools_lock()


def test_a_lock_out_of_step_with_the_pin_is_refused(tmp_path: Path) -> None:
    """A lock file that moved puppeteer-core without fetch.py stops, saying what to change."""
    lock = json.loads((fetch.NODE_TOOLS / "package-lock.json").read_text("utf-8"))
    lock["packages"]["node_modules/puppeteer-core"]["version"] = "0.0.1"
    moved = tmp_path / "package-lock.json"
    moved.write_text(json.dumps(lock), "utf-8")
    with pytest.raises(fetch.FetchError, match=r"locked at 0\.0\.1 .* pins puppeteer-core@"):
        fetch.check_node_tools_lock(moved)


def test_missing_engines_name_their_debian_packages(monkeypatch, tmp_path: Path) -> None:
    """Only the packages of engines whose files are missing are asked for."""
    here = tmp_path / "here"
    here.touch()
    monkeypatch.setattr(browser, "OTHER_ENGINES", {
        "present": OtherEngine("present", (here,), ("pkg-present",), ""),
        "absent": OtherEngine("absent", (here, tmp_path / "gone"), ("pkg-a", "pkg-b"), ""),
    })
    assert browser.missing_engine_packages() == ["pkg-a", "pkg-b"]


def test_without_apt_get_the_set_up_says_what_to_install(monkeypatch) -> None:
    """No apt-get: stop with the packages and the alternative, install nothing."""
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match=r"need firefox-esr, xvfb\. This system has no apt-get\. "
                                         r"Install them by hand"):
        browser.apt_install(["firefox-esr", "xvfb"], "Install them by hand.")


def test_as_a_user_without_sudo_the_set_up_says_it_needs_root(monkeypatch) -> None:
    """Not root and no password-less sudo: stop and say so, with what to do instead."""
    monkeypatch.setattr(browser.shutil, "which",
                        lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit, match=r"need webkit2gtk-driver\. Installing them needs root\. "
                                         r"Run sudo apt-get install webkit2gtk-driver"):
        browser.apt_install(["webkit2gtk-driver"], "Run sudo apt-get install webkit2gtk-driver")


@pytest.fixture
def debian_chromium(monkeypatch, tmp_path: Path) -> dict[str, Path]:
    """Debian's two Chromium binaries as files here, with no Playwright browser and no
    CWC_BROWSER; delete one to make it missing."""
    paths = {"whole": tmp_path / "chromium", "shell": tmp_path / "chromium-headless-shell"}
    for path in paths.values():
        path.touch()
    monkeypatch.delenv("CWC_BROWSER", raising=False)
    monkeypatch.setattr(browser, "playwright_chromium", lambda: None)
    monkeypatch.setattr(browser, "SYSTEM_CHROMIUM", paths["whole"])
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_SHELL", paths["shell"])
    monkeypatch.setattr(browser, "SYSTEM_PACKAGES", {paths["whole"]: "chromium",
                                                     paths["shell"]: "chromium-headless-shell"})
    return paths


def test_headless_tests_run_the_headless_shell_and_the_rest_the_whole_browser(
        debian_chromium: dict[str, Path]) -> None:
    """Headless: Debian's headless shell; headed, or for a profile kept on disk (or a
    benchmark): the whole chromium; both with the flags that keep it off the network."""
    assert browser.choose_browser().executable_path == str(debian_chromium["shell"])
    assert browser.choose_browser(headless=False).executable_path == str(debian_chromium["whole"])
    assert browser.choose_browser(whole=True).executable_path == str(debian_chromium["whole"])
    assert browser.choose_browser().args == browser.SYSTEM_CHROMIUM_ARGS
    debian_chromium["shell"].unlink()
    assert browser.choose_browser().executable_path == str(debian_chromium["whole"])
    assert browser.missing_chromium_packages() == ["chromium-headless-shell"]


def test_cwc_browser_overrides_both_chromium_choices(debian_chromium, monkeypatch) -> None:
    """CWC_BROWSER is used for every run, headless or not, and nothing is installed."""
    monkeypatch.setenv("CWC_BROWSER", "/opt/my-chromium")
    assert {browser.choose_browser().executable_path,
            browser.choose_browser(whole=True).executable_path} == {"/opt/my-chromium"}
    assert browser.missing_chromium_packages() == []


def test_a_missing_headless_shell_that_cannot_be_installed_only_slows_the_tests(
        debian_chromium, monkeypatch, capsys) -> None:
    """Chromium is here, its shell is not and apt-get cannot run: the set-up goes on with
    the whole browser and says so, where a missing chromium stops it."""
    debian_chromium["shell"].unlink()
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    browser.install_system_chromium()
    assert "the headless tests will use the whole chromium" in capsys.readouterr().err
    assert browser.choose_browser().executable_path == str(debian_chromium["whole"])
    debian_chromium["whole"].unlink()
    with pytest.raises(SystemExit, match=r"need chromium, chromium-headless-shell\. "
                                         r"This system has no apt-get"):
        browser.install_system_chromium()
