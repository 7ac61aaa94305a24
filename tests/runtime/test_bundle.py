"""The browser runtime's build side: wheel, lock entry, glue rewrite, asset scripts, cache."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from build_tools.runtime import bundle as bundle_module
from build_tools.runtime import glue
from build_tools.runtime.bundle import RuntimeBuildError, RuntimeBundle, prepare_runtime
from build_tools.runtime.wheel import build_engine_wheel
from build_tools.setup import fetch
from tests.locations import RUNTIME_FIXTURES as FIXTURES

STUB_ENGINE = FIXTURES / "stub_engine.py"


@pytest.fixture(scope="module")
def bundle() -> RuntimeBundle:
    return prepare_runtime(STUB_ENGINE)


def test_wheel_holds_the_engine_module_byte_for_byte(tmp_path: Path) -> None:
    """The wheel's one module is the engine file, under the name cwc_engine.py."""
    wheel = build_engine_wheel(STUB_ENGINE, tmp_path, "2.3.4")
    assert wheel.name == "cwc_engine-2.3.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.namelist() == [
            "cwc_engine.py",
            "cwc_engine-2.3.4.dist-info/METADATA",
            "cwc_engine-2.3.4.dist-info/WHEEL",
            "cwc_engine-2.3.4.dist-info/RECORD",
        ]
        assert archive.read("cwc_engine.py") == STUB_ENGINE.read_bytes()
        metadata = archive.read("cwc_engine-2.3.4.dist-info/METADATA").decode()
        assert "Name: cwc-engine\n" in metadata and "Version: 2.3.4\n" in metadata
        assert "Root-Is-Purelib: true" in archive.read("cwc_engine-2.3.4.dist-info/WHEEL").decode()
        record = archive.read("cwc_engine-2.3.4.dist-info/RECORD").decode().splitlines()
        for line in record[:-1]:
            path, digest, size = line.split(",")
            data = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == ("sha256=" + expected.decode(), len(data))
        assert record[-1] == "cwc_engine-2.3.4.dist-info/RECORD,,"


def test_wheel_is_deterministic(tmp_path: Path) -> None:
    """The same engine gives the same wheel bytes, whatever the file's time stamps."""
    engine = tmp_path / "engine.py"
    shutil.copyfile(STUB_ENGINE, engine)
    os.utime(engine, (1_000_000_000, 1_000_000_000))
    first = build_engine_wheel(engine, tmp_path / "a").read_bytes()
    os.utime(engine, (1_700_000_000, 1_700_000_000))
    second = build_engine_wheel(engine, tmp_path / "b").read_bytes()
    assert first == second
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_lock_lists_the_wheel_by_name_with_its_sha256(bundle: RuntimeBundle) -> None:
    """pyodide-lock.json gets a 'cwc-engine' entry whose sha256 is the wheel's."""
    lock = json.loads(bundle.lock_path.read_text())
    entry = lock["packages"]["cwc-engine"]
    wheel = bundle.wheel_path
    assert entry["file_name"] == wheel.name
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["cwc_engine"]
    assert entry["depends"] == []
    assert "numpy" in lock["packages"]  # Pyodide's own entries are kept


def test_real_glue_becomes_a_classic_script(bundle: RuntimeBundle) -> None:
    """The rewritten pyodide.asm.mjs has no module syntax left and hands over its factory."""
    script = (bundle.source_dir / "pyodide-asm.js").read_text()
    assert "import.meta" not in script
    assert "export default" not in script
    assert script.count("globalThis.__cwcCreatePyodideModule = _createPyodideModule;") == 1
    if shutil.which("node"):
        check = subprocess.run(["node", "--check", str(bundle.source_dir / "pyodide-asm.js")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr[-500:]


def test_expected_glue_shape_is_rewritten() -> None:
    """Exactly one export default and three import.meta.url: each is replaced."""
    script = glue.classic_glue((FIXTURES / "glue_expected_shape.mjs").read_text())
    assert script.count("__cwcScriptUrl") == 4  # the declaration and three uses


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("glue_two_exports.mjs", r"found 2 'export default' \(expected 1"),
        ("glue_four_meta_urls.mjs", r"and 4 'import.meta.url' \(expected 3"),
        ("glue_no_export.mjs", r"found 0 'export default'"),
    ],
)
def test_glue_of_another_shape_fails_the_build(fixture: str, message: str) -> None:
    """A glue file with other counts stops the build with a message saying what differs."""
    with pytest.raises(glue.GlueError, match=message):
        glue.classic_glue((FIXTURES / fixture).read_text())


def test_asset_script_carries_gzip_base64_by_name() -> None:
    """Each asset is stored gzipped and base64-encoded under its name; same bytes each time."""
    payload = {"a.bin": bytes(range(256)) * 10, "b.json": b'{"x": 1}'}
    script = glue.asset_script(payload)
    assert script == glue.asset_script(payload)
    found = dict(re.findall(r'a\["([^"]+)"\] = "([A-Za-z0-9+/=]*)";', script))
    decoded = {name: gzip.decompress(base64.b64decode(text)) for name, text in found.items()}
    assert decoded == payload
    assert "window.__cwcAssets = window.__cwcAssets || {}" in script


def test_bundle_is_written_under_assets(bundle: RuntimeBundle, tmp_path: Path) -> None:
    """write_to() puts every shipped file in site/assets/cwc-runtime/, loader at loader_path."""
    bundle.write_to(tmp_path)
    assert (tmp_path / RuntimeBundle.loader_path).is_file()
    shipped = sorted(p.name for p in (tmp_path / "assets" / "cwc-runtime").iterdir())
    assert shipped == sorted(bundle_module.SHIPPED)


def test_second_prepare_is_a_cache_hit(bundle: RuntimeBundle, monkeypatch) -> None:
    """With the same inputs, prepare_runtime() builds nothing and returns the same bundle."""

    def no_rebuild(*args, **kwargs):
        raise AssertionError("prepare_runtime rebuilt a cached bundle")

    monkeypatch.setattr(bundle_module, "_build", no_rebuild)
    assert prepare_runtime(STUB_ENGINE) == bundle


def test_cache_key_follows_the_engine_bytes(tmp_path: Path) -> None:
    """A different engine gives a different key; the same bytes elsewhere give the same key."""
    copy = tmp_path / "engine.py"
    copy.write_bytes(STUB_ENGINE.read_bytes())
    assert bundle_module.cache_key(copy) == bundle_module.cache_key(STUB_ENGINE)
    copy.write_bytes(STUB_ENGINE.read_bytes() + b"\n# changed\n")
    assert bundle_module.cache_key(copy) != bundle_module.cache_key(STUB_ENGINE)


def test_missing_node_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    """Without Node the snapshot step says to install Node.js."""
    monkeypatch.setattr(bundle_module.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeBuildError, match=r"Node\.js is needed .* install Node\.js"):
        bundle_module.make_snapshot(
            tmp_path, tmp_path / "lock.json", tmp_path / "x.whl", tmp_path / "o", tmp_path / "z"
        )


def test_glue_of_another_shape_stops_prepare_runtime(tmp_path: Path, monkeypatch) -> None:
    """prepare_runtime() reports a changed glue as a RuntimeBuildError and caches nothing."""
    real = fetch.ensure_runtime()["pyodide"]
    fake = tmp_path / "pyodide"
    fake.mkdir()
    for path in real.iterdir():
        (fake / path.name).symlink_to(path)
    (fake / "pyodide.asm.mjs").unlink()
    shutil.copyfile(FIXTURES / "glue_two_exports.mjs", fake / "pyodide.asm.mjs")
    monkeypatch.setattr(bundle_module, "ensure_runtime", lambda quiet: {"pyodide": fake})
    engine = tmp_path / "engine.py"
    engine.write_bytes(STUB_ENGINE.read_bytes() + b"\n# a key never built\n")
    with pytest.raises(RuntimeBuildError, match="found 2 'export default'"):
        prepare_runtime(engine)
    assert not (fetch.cache_dir() / "build" / bundle_module.cache_key(engine)).exists()


def test_missing_engine_is_a_clear_error(tmp_path: Path) -> None:
    """prepare_runtime() names an engine file that does not exist."""
    with pytest.raises(RuntimeBuildError, match="engine module does not exist"):
        prepare_runtime(tmp_path / "nope.py")


def _fake_npm_pack(command, cwd, **kwargs):
    """Stand in for 'npm pack': write a small tarball into cwd, as npm would."""
    data = b'{"name": "fake"}'
    with tarfile.open(Path(cwd) / "fake-1.0.0.tgz", "w:gz") as tar:
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return subprocess.CompletedProcess(command, 0, "", "")


def test_fetch_refuses_a_tarball_that_does_not_match_its_pin(tmp_path, monkeypatch) -> None:
    """A tarball whose sha512 differs from the pinned integrity is refused and not unpacked."""
    monkeypatch.setenv("CWC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fetch.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(fetch.subprocess, "run", _fake_npm_pack)
    pin = fetch.Pin("fake", "1.0.0", "sha512-" + base64.b64encode(b"\0" * 64).decode())
    with pytest.raises(fetch.FetchError, match="does not match the pinned .* refusing to use it"):
        fetch.ensure_package(pin, quiet=True)
    assert not fetch.package_dir(pin).exists()


def test_snapshot_payload_leads_with_the_layout_that_restores_it() -> None:
    """The payload is a length, the JSON layout, then the non-zero pages; they rebuild it."""
    page = glue.SNAPSHOT_PAGE
    snapshot = bytes(page) + b"\1" * page + b"\2" * 10 + bytes(page - 10) + bytes(page) + b"\3"
    payload = glue.snapshot_payload(snapshot)
    (size,) = struct.unpack("<I", payload[:4])
    layout = json.loads(payload[4 : 4 + size])
    assert layout == {"size": len(snapshot), "runs": [[page, 2 * page], [4 * page, 1]]}
    rebuilt = bytearray(layout["size"])
    pages = payload[4 + size :]
    for offset, length in layout["runs"]:
        rebuilt[offset : offset + length], pages = pages[:length], pages[length:]
    assert bytes(rebuilt) == snapshot and pages == b""


def test_binary_file_is_what_the_script_carries(bundle: RuntimeBundle) -> None:
    """Each payload's plain file (http) holds exactly the gzip bytes its script (file://) holds."""
    for name in bundle_module.PAYLOADS:
        script = (bundle.source_dir / f"{name}.js").read_text()
        (encoded,) = re.findall(r'a\["[^"]+"\] = "([A-Za-z0-9+/=]*)";', script)
        assert base64.b64decode(encoded) == (bundle.source_dir / f"{name}.bin").read_bytes()


def test_shipped_stdlib_is_precompiled_and_trimmed(bundle: RuntimeBundle) -> None:
    """The stdlib holds bytecode only, the modules start-up and the engine import, not all."""
    stdlib = bundle.work_dir / "python_stdlib.zip"
    names = zipfile.ZipFile(stdlib).namelist()
    assert names and all(name.endswith(".pyc") for name in names)
    assert {"_pyodide/__init__.pyc", "asyncio/__init__.pyc", "traceback.pyc"} <= set(names)
    assert "unittest/__init__.pyc" not in names
    full = fetch.ensure_runtime()["pyodide"] / "python_stdlib.zip"
    assert stdlib.stat().st_size < full.stat().st_size * 0.8
