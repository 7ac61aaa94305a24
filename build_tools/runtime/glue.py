"""Turn Pyodide's files into classic scripts that load from ``file://`` as well as http.

A page opened from ``file://`` has origin ``null``: it cannot ``fetch`` or ``import()``
file URLs, but it can run classic ``<script src>``. So the ES-module glue
``pyodide.asm.mjs`` is rewritten into a classic script that hands its factory to the
loader, and every binary (wasm, stdlib, lock file, wheel, snapshot) is carried as
gzip + base64 inside a classic script that files it under its name in
``window.__cwcAssets``. The loader answers Pyodide's own ``fetch`` calls from there.
Over http the big three (wasm, stdlib, snapshot) also ship as the same gzip bytes in plain
files (``binary_file``), which the loader fetches instead: no script to parse, the wasm
compiled as it streams, the files cached by the browser.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import struct

from build_tools.errors import BuildError

ASM_FACTORY_GLOBAL = "__cwcCreatePyodideModule"
ASSETS_GLOBAL = "__cwcAssets"

# The rewrite below is only safe for the shape of glue we checked (Pyodide 314.0.7).
_EXPECTED_EXPORTS = 1
_EXPECTED_META_URLS = 3
_EXPORT_RE = re.compile(r"export\s+default\s+([A-Za-z_$][\w$]*)\s*;")


class GlueError(BuildError):
    """Pyodide's module glue no longer has the shape the classic-script rewrite expects."""


def classic_glue(asm_mjs: str) -> str:
    """Rewrite ``pyodide.asm.mjs`` (an ES module) into a classic script.

    The module's one ``export default`` becomes an assignment to
    ``window.__cwcCreatePyodideModule`` and each ``import.meta.url`` becomes the script's
    own URL, taken from ``document.currentScript`` while it runs. The whole is wrapped in
    a function so its top-level names stay out of the page's global scope.

    Raises:
        GlueError: When the glue does not hold exactly one ``export default`` and three
            ``import.meta.url`` (a Pyodide upgrade changed it: check the rewrite by hand).
    """
    exports = asm_mjs.count("export default")
    meta_urls = asm_mjs.count("import.meta.url")
    meta_all = asm_mjs.count("import.meta")
    matches = _EXPORT_RE.findall(asm_mjs)
    if (
        exports != _EXPECTED_EXPORTS
        or meta_urls != _EXPECTED_META_URLS
        or meta_all != meta_urls
        or len(matches) != 1
    ):
        raise GlueError(
            "pyodide.asm.mjs does not have the expected shape for the classic-script "
            f"rewrite: found {exports} 'export default' (expected {_EXPECTED_EXPORTS}, "
            f"as 'export default NAME;') and {meta_urls} 'import.meta.url' (expected "
            f"{_EXPECTED_META_URLS}; {meta_all} 'import.meta' in all). A different Pyodide "
            "version? Check build_tools/runtime/glue.py against the new glue before "
            "changing the expected counts."
        )
    body = asm_mjs.replace("import.meta.url", "__cwcScriptUrl")
    body = _EXPORT_RE.sub(f"globalThis.{ASM_FACTORY_GLOBAL} = {matches[0]};", body)
    return (
        "/* Pyodide's pyodide.asm.mjs, rewritten into a classic script by "
        "build_tools/runtime/glue.py. */\n"
        "(function () {\n"
        'var __cwcScriptUrl = document.currentScript ? document.currentScript.src : "";\n'
        f"{body}\n"
        "})();\n"
    )


def gzip_bytes(data: bytes) -> bytes:
    """Gzip ``data`` deterministically (no file name, no time stamp)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def binary_file(data: bytes) -> bytes:
    """What the plain file for http holds: exactly the bytes its script carries, decoded."""
    return gzip_bytes(data)


def asset_script(assets: dict[str, bytes]) -> str:
    """A classic script that files each asset, gzipped and base64-encoded, under its name."""
    lines = [
        "(function (a) {",
    ]
    for name, data in assets.items():
        encoded = base64.b64encode(binary_file(data)).decode("ascii")
        lines.append(f"a[{json.dumps(name)}] = \"{encoded}\";")
    lines.append(f"}})(window.{ASSETS_GLOBAL} = window.{ASSETS_GLOBAL} || {{}});")
    return "\n".join(lines) + "\n"


SNAPSHOT_PAGE = 4096


def snapshot_payload(snapshot: bytes) -> bytes:
    """A memory snapshot without its all-zero pages, led by the layout that puts them back.

    About half of Pyodide's 31 MB snapshot is zero pages; leaving them out halves the bytes
    the page must gunzip. The payload is a 4-byte little-endian length, that many bytes of
    JSON ``{"size": N, "runs": [[offset, length], ...]}``, then the other pages back to
    back: each run goes at its offset in a zeroed buffer of ``size``. The layout travels
    with the pages, so a script and a plain file carry the same payload.
    """
    runs: list[list[int]] = []
    zero = bytes(SNAPSHOT_PAGE)
    for start in range(0, len(snapshot), SNAPSHOT_PAGE):
        page = snapshot[start : start + SNAPSHOT_PAGE]
        if page == zero[: len(page)]:
            continue
        if runs and runs[-1][0] + runs[-1][1] == start:
            runs[-1][1] += len(page)
        else:
            runs.append([start, len(page)])
    layout = json.dumps({"size": len(snapshot), "runs": runs}, separators=(",", ":")).encode()
    packed = b"".join(snapshot[offset : offset + length] for offset, length in runs)
    return struct.pack("<I", len(layout)) + layout + packed


def snapshot_script(snapshot: bytes) -> str:
    """A classic script carrying ``snapshot_payload(snapshot)`` as ``snapshot.bin``."""
    return asset_script({"snapshot.bin": snapshot_payload(snapshot)})
