"""Persistent browser profiles for the history tests: launch a browser on a profile folder,
close it, then read what it kept there, as the next person on a shared laptop could.

One ``ProfileKind`` per browser says how to launch it on a folder, where its history
database is and how to read it, and which of its files hold only copies of the site's own
files (caches, never what a person did). Chromium is here; Firefox is written out and
plugs in once Playwright's Firefox is installed for the engines tests (see ``FIREFOX``).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Playwright


@dataclass(frozen=True)
class Visit:
    """One row of a browser's history: an address and the title it was shown with."""

    url: str
    title: str


@dataclass(frozen=True)
class ProfileKind:
    """How one browser keeps a profile.

    Attributes:
        name: The Playwright browser type ("chromium", "firefox").
        history_db: The history database, relative to the profile folder.
        history_query: SQL giving (url, title) for every address in it.
        caches: Folder names that hold only copies of the site's files (skipped when the
            whole profile is searched: a cache is keyed by address without its fragment).
        compressed: File name endings stored compressed (Firefox's mozLz4), decoded before
            they are searched.
    """

    name: str
    history_db: str
    history_query: str
    caches: frozenset[str]
    compressed: tuple[str, ...] = ()

    def launch(self, playwright: Playwright, folder: Path, **launch_args: Any) -> BrowserContext:
        """Start the browser on ``folder`` (a profile kept on disk, as a person's is)."""
        browser_type = getattr(playwright, self.name)
        return browser_type.launch_persistent_context(str(folder), **launch_args)

    def history(self, folder: Path) -> list[Visit]:
        """Every address in the history database (read after the browser has closed)."""
        rows = read_sqlite(folder / self.history_db, self.history_query)
        return [Visit(str(url), str(title or "")) for url, title in rows]

    def files(self, folder: Path) -> Iterator[tuple[str, bytes]]:
        """Every file the browser wrote, outside its caches, as (relative path, bytes);
        compressed files are decoded."""
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if not path.is_file() or self.caches & set(rel.parts):
                continue
            data = path.read_bytes()
            if path.name.endswith(self.compressed) and data.startswith(MOZLZ4_MAGIC):
                data = mozlz4(data)
            yield rel.as_posix(), data


CHROMIUM = ProfileKind(
    name="chromium",
    # Written when the browser closes. Also kept, and searched: Sessions/ (what session
    # restore reopens after a crash), Favicons, Top Sites, the UKM database.
    history_db="Default/History",
    history_query="SELECT url, title FROM urls",
    caches=frozenset({"Cache", "Code Cache", "GPUCache", "DawnGraphiteCache",
                      "DawnWebGPUCache", "ShaderCache", "GrShaderCache", "GraphiteDawnCache"}),
)

FIREFOX = ProfileKind(
    name="firefox",
    # Playwright's own Firefox build is needed to drive it (the engines tests install it);
    # the readers below were checked on a profile written by Debian's Firefox ESR.
    history_db="places.sqlite",
    history_query="SELECT url, title FROM moz_places",
    caches=frozenset({"cache2", "startupCache", "thumbnails", "safebrowsing"}),
    compressed=(".jsonlz4", ".baklz4", ".mozlz4"),  # sessionstore-backups/recovery.jsonlz4
)


def read_sqlite(db: Path, query: str) -> list[tuple]:
    """Run ``query`` on a copy of the database and its journal (never on the browser's own)."""
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("", "-journal", "-wal"):
            source = db.with_name(db.name + suffix)
            if source.exists():
                shutil.copy(source, Path(tmp) / source.name)
        connection = sqlite3.connect(Path(tmp) / db.name)
        try:
            return connection.execute(query).fetchall()
        finally:
            connection.close()


def occurrences(data: bytes, needle: str) -> bool:
    """True when ``needle`` is in ``data`` as UTF-8 or as UTF-16 (Chromium keeps a tab's
    saved state, addresses and form fields, in UTF-16)."""
    return needle.encode("utf-8") in data or needle.encode("utf-16-le") in data


def answer_in(url: str) -> str | None:
    """What in this address could tell someone what was answered or searched, if anything:
    a query (search words) or a fragment with "=" (a guide's answers, a score). The site's
    own anchors (#subpoena) have no "="."""
    parts = urlsplit(url)
    if parts.query:
        return f"query {parts.query!r}"
    if "=" in parts.fragment:
        return f"fragment {parts.fragment!r}"
    return None


MOZLZ4_MAGIC = b"mozLz40\0"


def mozlz4(data: bytes) -> bytes:
    """Decode Firefox's mozLz4 file: its magic, the decoded size, then one LZ4 block."""
    if not data.startswith(MOZLZ4_MAGIC):
        raise ValueError("not a mozLz4 file")
    size = int.from_bytes(data[8:12], "little")
    out = lz4_block(data[12:])
    if len(out) != size:
        raise ValueError(f"mozLz4: {len(out)} bytes decoded, {size} expected")
    return out


def lz4_block(src: bytes) -> bytes:
    """Decode one LZ4 block (the format Firefox uses for its session files)."""
    out = bytearray()
    i = 0

    def length(value: int) -> int:
        nonlocal i
        if value == 15:
            while True:
                extra = src[i]
                i += 1
                value += extra
                if extra != 255:
                    break
        return value

    while i < len(src):
        token = src[i]
        i += 1
        literals = length(token >> 4)
        out += src[i:i + literals]
        i += literals
        if i >= len(src):  # the last sequence has literals only
            break
        offset = src[i] | src[i + 1] << 8
        i += 2
        start = len(out) - offset
        for k in range(length(token & 15) + 4):  # a match may overlap what it copies
            out.append(out[start + k])
    return bytes(out)
