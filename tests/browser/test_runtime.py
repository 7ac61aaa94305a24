"""The runtime in a real browser, over http and from file://: routes, engine, failures, requests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.runtime import glue
from build_tools.runtime.bundle import RuntimeBundle, prepare_runtime
from tests.locations import RUNTIME_FIXTURES as FIXTURES

pytestmark = pytest.mark.browser

# The real engine once it exists (the test page's tree fits both), else the stand-in.
REAL_ENGINE = Path(__file__).resolve().parent.parent / "build_tools" / "engine.py"
ENGINE = REAL_ENGINE if REAL_ENGINE.exists() else FIXTURES / "stub_engine.py"
RUNTIME = "assets/cwc-runtime"
SETTLED = 'section.decision-tree[data-state="ready"], section.decision-tree[data-state="failed"]'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _write_site(root: Path, bundle: RuntimeBundle) -> Path:
    bundle.write_to(root)
    for name in ("page.html", "page.js", "idle.html"):
        shutil.copyfile(FIXTURES / name, root / name)
    return root


def _doctor(good: Path, target: Path, payload: str, asset: str, data: bytes) -> Path:
    """A copy of the good site (by symlinks) with one payload replaced in both its forms:
    the script for file:// and the plain file for http."""
    target.mkdir(parents=True)
    for path in good.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(good)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    for ext, content in ((".js", glue.asset_script({asset: data}).encode()),
                         (".bin", glue.binary_file(data))):
        replaced = target / RUNTIME / (payload + ext)
        replaced.unlink()
        replaced.write_bytes(content)
    return target


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The good test site, and copies with a corrupt snapshot and with broken wasm."""
    bundle = prepare_runtime(ENGINE)
    root = tmp_path_factory.mktemp("runtime")
    good = _write_site(root / "good", bundle)
    return {
        "good": good,
        "bad-snapshot": _doctor(good, root / "bad-snapshot", "cwc-snapshot", "snapshot.bin",
                                glue.snapshot_payload(os.urandom(64 * 1024))),
        "bad-wasm": _doctor(good, root / "bad-wasm", "cwc-wasm", "pyodide.asm.wasm",
                            b"\0asm not really"),
    }


@pytest.fixture(scope="module")
def server(sites: dict[str, Path]) -> Iterator[str]:
    """Serve the folder holding every test site; yield its base URL."""
    root = sites["good"].parent
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, sites: dict[str, Path]) -> str:
    """The base URL of the folder of test sites, over http and from file://."""
    if request.param == "http":
        return request.getfixturevalue("server")
    return sites["good"].parent.as_uri() + "/"


def _open(page, url: str) -> tuple[dict, list[str]]:
    """Load url, wait until the runtime settles; return the page's result and every request."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector(SETTLED, timeout=30000)
    return page.evaluate("window.cwcResult"), requests


def _outside(requests: list[str], folder: str) -> list[str]:
    return [u for u in requests if not u.startswith((folder, "data:", "blob:"))]


def test_snapshot_route_answers_and_stays_inside(page, base: str) -> None:
    """start() resolves by the snapshot, the engine answers, nothing leaves the folder."""
    result, requests = _open(page, base + "good/page.html")
    assert result.get("error") is None, result
    assert result["route"] == "snapshot"
    assert result["nodes"] == ["consent", "share"]
    assert page.evaluate("CWCRuntime.start() === CWCRuntime.start()")
    # Every file it loads carries the loader's version query, so caches never mix builds.
    # Over http the three big payloads come as plain files, from file:// inside scripts.
    injected = sorted(u.rsplit("/", 1)[-1] for u in requests if "/assets/cwc-runtime/" in u)
    ext = ".bin" if base.startswith("http") else ".js"
    expected = ["cwc-engine.js", "cwc-runtime.js", "pyodide-asm.js", "pyodide.js"] + [
        name + ext for name in ("cwc-snapshot", "cwc-stdlib", "cwc-wasm")]
    assert injected == sorted(name + "?v=test" for name in expected), injected
    assert _outside(requests, base + "good/") == []


def test_forced_cold_route_loads_the_same_engine(page, base: str) -> None:
    """?cwc-runtime=cold starts Python cold, installs the wheel, and the engine answers."""
    result, requests = _open(page, base + "good/page.html?cwc-runtime=cold")
    assert result["route"] == "cold"
    assert result["nodes"] == ["consent", "share"]
    assert not any("cwc-snapshot" in u for u in requests)
    # The wheel is also loadable by name, its sha256 checked against the lock.
    loaded = page.evaluate("""async () => {
        const {pyodide} = await CWCRuntime.start();
        await pyodide.loadPackage("cwc-engine");
        return pyodide.loadedPackages["cwc-engine"];
    }""")
    assert loaded == "default channel"
    refused = page.evaluate("""async () => {
        const url = new URL("assets/cwc-runtime/cwc_engine-1.0.0-py3-none-any.whl", location);
        try { await fetch(url, {integrity: "sha256-AAAA"}); return "accepted"; }
        catch (e) { return String(e.message); }
    }""")
    assert "integrity check failed" in refused
    assert _outside(requests, base + "good/") == []


def test_corrupt_snapshot_falls_back_to_cold(page, base: str) -> None:
    """A snapshot that does not restore is replaced by a cold start, not a failure."""
    result, requests = _open(page, base + "bad-snapshot/page.html")
    assert result["route"] == "cold"
    assert result["nodes"] == ["consent", "share"]
    assert _outside(requests, base + "bad-snapshot/") == []


def test_broken_wasm_rejects_within_the_timeout(page, base: str) -> None:
    """When the wasm cannot start, start() rejects by its own time-out and the tree fails."""
    result, _ = _open(page, base + "bad-wasm/page.html?timeout=3000")
    assert result["error"] == "CWC runtime: Python did not start within 3000 ms"
    assert result["failedMs"] < 6000


@pytest.mark.parametrize("blocked", ["cwc-wasm.bin", "cwc-stdlib.bin", "cwc-engine.js"])
def test_blocked_payload_rejects_at_once(page, server: str, blocked: str) -> None:
    """Over http, an aborted payload file or script rejects start() without waiting for the
    time-out."""
    page.route(f"**/{blocked}?*", lambda route: route.abort())
    result, _ = _open(page, server + "good/page.html?timeout=10000")
    assert result["error"].startswith("CWC runtime: could not load ")
    assert blocked in result["error"]
    assert result["failedMs"] < 10000


def test_missing_payload_file_rejects_at_once(page, server: str) -> None:
    """Over http, a payload file the host answers with 404 rejects start() at once too."""
    page.route("**/cwc-wasm.bin?*", lambda route: route.fulfill(status=404, body="gone"))
    result, _ = _open(page, server + "good/page.html?timeout=10000")
    assert result["error"].endswith("cwc-wasm.bin?v=test (HTTP 404)")
    assert result["failedMs"] < 10000


def test_loader_alone_fetches_nothing(page, base: str) -> None:
    """Including the loader costs one small script until start() is called."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "good/idle.html")
    page.wait_for_timeout(300)
    assert [u.rsplit("/", 1)[-1] for u in requests] == ["idle.html", "cwc-runtime.js"]
