"""One small driver interface over the other engines: Firefox ESR and WebKitGTK.

Playwright drives Chromium; these two are driven the way this machine can: Firefox over
WebDriver BiDi through ``puppeteer-core`` (a Node bridge, ``firefox_bridge.mjs``, JSON
lines in and out), WebKitGTK through its ``WebKitWebDriver`` and Selenium on an Xvfb
display. Which binaries, and why, is decided in ``build_tools/setup/browser.py``.

Both record the page's problems with ``probe.js`` (uncaught errors, rejections, failed
loads, ``console.error``, CSP violations) from before the page's own scripts run.
WebKitWebDriver has no command to run a script before a page's own, so both open a copy of
the site whose pages load the probe first (``probed_copy``: symlinks, and one script tag
more in each page); Firefox also runs it as a preload script and adds what its console
reports over BiDi.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from build_tools.setup.browser import FIREFOX_ESR, OTHER_ENGINES, WEBKITGTK, OtherEngine
from build_tools.setup.fetch import ensure_node_tools

HERE = Path(__file__).resolve().parent
PROBE = HERE / "probe.js"
BRIDGE = HERE / "firefox_bridge.mjs"
PROBE_NAME = "cwc-engines-probe.js"
WINDOW = (1280, 900)  # wide enough for the theme's header search box

_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')

_READ_PROBE = "async () => (window.__cwcProblems || ['the probe did not run']).splice(0)"


class EngineError(RuntimeError):
    """The engine or its driver failed (not the page under test)."""


class EngineSession(ABC):
    """One browser with one page, driven from the test."""

    engine: OtherEngine

    @abstractmethod
    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""

    @abstractmethod
    def evaluate(self, source: str, *args: Any) -> Any:
        """Run the (async) JavaScript function ``source`` with ``args``; return its JSON value."""

    @abstractmethod
    def type(self, selector: str, text: str) -> None:
        """Type ``text`` into the element matching ``selector``, key by key."""

    @abstractmethod
    def console_errors(self) -> list[str]:
        """Errors the driver saw on the console since last asked (empty when it sees none)."""

    @abstractmethod
    def close(self) -> None:
        """Close the browser and everything started for it."""

    def problems(self) -> list[str]:
        """Everything that went wrong in the page since last asked: probe and console."""
        return [*self.evaluate(_READ_PROBE), *self.console_errors()]


class FirefoxSession(EngineSession):
    """Firefox ESR over WebDriver BiDi, through the Node bridge."""

    engine = FIREFOX_ESR

    def __init__(self, profile: Path | None = None) -> None:
        """Start Firefox; with ``profile``, on that folder, left on disk when it closes."""
        env = dict(os.environ, CWC_NODE_MODULES=str(ensure_node_tools(quiet=True)),
                   CWC_FIREFOX=str(self.engine.executable), CWC_PROBE=str(PROBE),
                   CWC_WINDOW=f"{WINDOW[0]}x{WINDOW[1]}")
        if profile is not None:
            env["CWC_PROFILE"] = str(profile)
        self._process = subprocess.Popen(
            ["node", str(BRIDGE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env=env,
        )

    def _call(self, op: str, **fields: Any) -> Any:
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise EngineError(f"the Firefox bridge stopped (exit {self._process.poll()}) "
                              f"during {op!r}; its messages are above")
        answer = json.loads(line)
        if "error" in answer:
            raise EngineError(f"Firefox, {op}: {answer['error']}")
        return answer["ok"]

    def open(self, url: str) -> None:  # noqa: D102 - documented on the base class
        self._call("open", url=url)

    def evaluate(self, source: str, *args: Any) -> Any:  # noqa: D102
        return self._call("evaluate", source=source, args=list(args))

    def type(self, selector: str, text: str) -> None:  # noqa: D102
        self._call("type", selector=selector, text=text)

    def console_errors(self) -> list[str]:  # noqa: D102
        return self._call("console")

    def close(self) -> None:  # noqa: D102
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        finally:
            if self._process.stdout:
                self._process.stdout.close()


class WebKitSession(EngineSession):
    """WebKitGTK (MiniBrowser) through WebKitWebDriver and Selenium, on its own Xvfb."""

    engine = WEBKITGTK

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        xvfb = next(path for path in self.engine.files if path.name == "Xvfb")
        read, write = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number once it is ready.
        self._xvfb = subprocess.Popen(
            [str(xvfb), "-displayfd", str(write), "-screen", "0", "1280x1024x24",
             "-nolisten", "tcp"],
            pass_fds=(write,), stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            self._xvfb.kill()
            raise EngineError(f"{xvfb} did not start a display")
        # webdriver.WebKitGTK would do this, but through an address argument Selenium
        # itself deprecates (a DeprecationWarning on every start): start its service here.
        self._service = Service(executable_path=str(self.engine.executable),
                                env=dict(os.environ, DISPLAY=f":{display}"))
        try:
            self._service.start()
            connection = RemoteConnection(client_config=ClientConfig(self._service.service_url))
            self._driver = webdriver.Remote(command_executor=connection, options=Options())
            self._driver.set_window_size(*WINDOW)
            self._driver.set_script_timeout(120)
        except Exception:
            self._service.stop()
            self._xvfb.kill()
            self._xvfb.wait()
            raise

    def open(self, url: str) -> None:  # noqa: D102
        self._driver.get(url)

    def evaluate(self, source: str, *args: Any) -> Any:  # noqa: D102
        answer = self._driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({source})(...arguments[0])).then("
            "  v => done({ok: v === undefined ? null : v}),"
            "  e => done({error: String(e && e.stack || e)}));",
            list(args),
        )
        if "error" in answer:
            raise EngineError(f"WebKitGTK, evaluate: {answer['error']}")
        return answer["ok"]

    def type(self, selector: str, text: str) -> None:  # noqa: D102
        from selenium.webdriver.common.by import By

        self._driver.find_element(By.CSS_SELECTOR, selector).send_keys(text)

    def console_errors(self) -> list[str]:  # noqa: D102
        return []  # WebKitWebDriver has no console: probe.js records what it would say

    def close(self) -> None:  # noqa: D102
        try:
            self._driver.quit()
        finally:
            self._service.stop()
            self._xvfb.terminate()
            self._xvfb.wait()


SESSIONS: dict[str, type[EngineSession]] = {"firefox": FirefoxSession, "webkitgtk": WebKitSession}
assert SESSIONS.keys() == OTHER_ENGINES.keys(), "a session class for every engine"


def missing_engine_message(engine: OtherEngine) -> str | None:
    """Why this engine cannot run here, with what to install; None when it can."""
    if engine.installed():
        return None
    missing = [str(path) for path in engine.files if not path.exists()]
    return (f"{engine.description}: {', '.join(missing)} missing. Run 'make setup' "
            f"(it installs them as root), or 'sudo apt-get install {' '.join(engine.packages)}'")


def probed_copy(site: Path, target: Path, probe_root: Path | None = None) -> Path:
    """A copy of ``site`` (symlinks) whose pages load probe.js first, right after their CSP.

    The probe is written to ``probe_root`` (default: ``target``), inside the copied site,
    so it is one of the site's own files and the page's policy lets it run.
    """
    probe_root = probe_root or target
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        copy = target / path.relative_to(site)
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".html":
            copy.symlink_to(path)
            continue
        depth = len(copy.relative_to(probe_root).parts) - 1
        tag = f'<script src="{"../" * depth}{PROBE_NAME}"></script>'
        # The tag goes in as a literal: a replacement string would read its backslashes.
        probed, count = _CSP_META.subn(lambda m, tag=tag: m.group(0) + tag,
                                       path.read_text("utf-8"), count=1)
        if count != 1:
            raise EngineError(f"{path}: no Content-Security-Policy meta to put the probe after")
        copy.write_text(probed, "utf-8")
    (probe_root / PROBE_NAME).write_text(PROBE.read_text("utf-8"), "utf-8")
    return target
