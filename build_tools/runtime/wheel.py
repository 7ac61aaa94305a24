"""Package the engine module as a pure-Python wheel that Pyodide can load by name.

The wheel holds one module, ``cwc_engine.py``, byte-identical to the engine source, and
the three ``.dist-info`` files a wheel needs. Every entry has a fixed timestamp and fixed
permissions, so the same engine always gives the same bytes (and the same sha256 in the
lock file).
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

DIST_NAME = "cwc_engine"  # the wheel's file-name form of the project name
PROJECT_NAME = "cwc-engine"  # the name Pyodide's loadPackage() takes
MODULE_NAME = "cwc_engine"

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_FILE_MODE = 0o100644 << 16


def wheel_name(version: str) -> str:
    """The wheel's file name for ``version``."""
    return f"{DIST_NAME}-{version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _metadata(version: str) -> bytes:
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {PROJECT_NAME}\n"
        f"Version: {version}\n"
        "Summary: The CWC decision-tree engine (what comes next), for Pyodide.\n"
        "Requires-Python: >=3.12\n"
    ).encode()


def _wheel_file() -> bytes:
    return (
        b"Wheel-Version: 1.0\n"
        b"Generator: cwc-build-tools\n"
        b"Root-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )


def wheel_entries(engine_source: bytes, version: str) -> list[tuple[str, bytes]]:
    """Every file of the wheel in archive order, RECORD last, as (path, bytes)."""
    info = f"{DIST_NAME}-{version}.dist-info"
    entries = [
        (f"{MODULE_NAME}.py", engine_source),
        (f"{info}/METADATA", _metadata(version)),
        (f"{info}/WHEEL", _wheel_file()),
    ]
    record_lines = [f"{path},{_record_hash(data)},{len(data)}" for path, data in entries]
    record_lines.append(f"{info}/RECORD,,")
    entries.append((f"{info}/RECORD", ("\n".join(record_lines) + "\n").encode()))
    return entries


def build_engine_wheel(engine_py: Path, out_dir: Path, version: str = "1.0.0") -> Path:
    """Write ``cwc_engine-<version>-py3-none-any.whl`` holding ``engine_py`` as ``cwc_engine``.

    Args:
        engine_py: The engine's source file (stdlib-only Python).
        out_dir: The folder to write the wheel into (created if missing).
        version: The wheel's version.

    Returns:
        The path of the wheel written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name(version)
    with zipfile.ZipFile(target, "w") as archive:
        for path, data in wheel_entries(Path(engine_py).read_bytes(), version):
            entry = zipfile.ZipInfo(path, date_time=_FIXED_TIME)
            entry.external_attr = _FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data, compresslevel=9)
    return target
