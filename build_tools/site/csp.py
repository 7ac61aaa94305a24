"""The site's Content-Security-Policy: only its own scripts, and WebAssembly, may run.

A ``<meta http-equiv="Content-Security-Policy">`` goes into every page, built here from
the page's final HTML: each inline script the theme writes (mkdocs-material's base.html has
a few small ones) is allowed by its sha256 hash, never by ``'unsafe-inline'``.

Two things are worth knowing:

- From ``file://`` Chromium lets ``'self'`` match other ``file:`` URLs, so the same
  policy serves the offline copy and the served site.
- From ``file://`` the search runs in the ``iframe-worker`` shim (see the README), which
  writes a small inline script into an ``about:blank`` frame. That frame inherits this
  policy, so the script's hash is allowed too; its text depends only on the pinned shim
  and on the search worker's URL (from the theme's ``__config``), both known at build time.

Nothing here knows about MkDocs; the plugin calls :func:`add_policy` on each page.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from collections.abc import Iterable

from build_tools.errors import BuildError

# Pyodide compiles its WebAssembly with WebAssembly.instantiate*: that needs
# 'wasm-unsafe-eval' (and nothing broader: it never calls eval() or new Function()).
SCRIPT_SOURCES = ("'self'", "'wasm-unsafe-eval'")
DIRECTIVES = (
    ("default-src", "'self'"),
    ("img-src", "'self' data:"),  # the theme's icons are data: SVGs in its CSS
    ("font-src", "'self' data:"),
    # Style attributes (the theme's, the diagrams' colour swatches) cannot run code.
    ("style-src", "'self' 'unsafe-inline'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("frame-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_ATTR = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CONTENT = re.compile(r'<article class="md-content__inner\b[^"]*"[^>]*>.*?</article>', re.S)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_TEMPLATE = re.compile(r"<script>(?P<body>postMessage=.*?)<\\/script>", re.S)
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class PolicyError(BuildError):
    """The page or the shim is not shaped as this module expects."""


def sha256_source(text: str) -> str:
    """The CSP source expression allowing exactly this script text: ``'sha256-…'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in ``html`` that a browser would run.

    Only scripts outside the page's content count: the theme's own.

    The content (mkdocs-material's ``<article class="md-content__inner">``) comes from
    Markdown and trees; a script there is never the theme's, so it gets no hash and the
    policy blocks it.
    """
    found = []
    for match in _SCRIPT.finditer(_CONTENT.sub("", html)):
        attrs = _attrs(match.group("attrs"))
        if "src" in attrs or attrs.get("type", "").strip().lower() not in JS_TYPES:
            continue
        found.append(match.group("body"))
    return found


def policy(script_hashes: Iterable[str] = ()) -> str:
    """The policy string: the fixed directives plus ``script-src`` with these hashes."""
    script_src = " ".join([*SCRIPT_SOURCES, *sorted(set(script_hashes))])
    parts = [("script-src", script_src), *DIRECTIVES]
    return "; ".join(f"{name} {value}" for name, value in sorted(parts, key=_order))


def _order(part: tuple[str, str]) -> int:
    return 0 if part[0] == "default-src" else 1


def search_worker_url(html: str) -> str | None:
    """The search worker's URL as the theme's ``__config`` gives it (None without search)."""
    match = _CONFIG.search(html)
    if not match:
        return None
    try:
        url = json.loads(match.group(1)).get("search")
    except (ValueError, AttributeError):
        raise PolicyError("the theme's __config is not a JSON object") from None
    return url if isinstance(url, str) else None


def iframe_worker_script(shim: str, worker_url: str) -> str:
    """The inline script the iframe-worker shim writes into its frame for ``worker_url``.

    The shim builds it from a template literal: ``${f}`` placeholders for its helper
    functions (a function's source text, as ``Function.prototype.toString`` gives it) and
    one, inside ``filename:"…"``, for the worker's URL.
    """
    found = _TEMPLATE.findall(shim)
    if len(found) != 1:
        raise PolicyError(f"expected one inline-script template in the shim, found {len(found)}")
    template = found[0]
    url_name = re.search(r'filename:"\$\{(\w+)\}"', template)
    if not url_name:
        raise PolicyError("the shim's template has no filename placeholder")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return worker_url if name == url_name.group(1) else _function_source(shim, name)

    return _PLACEHOLDER.sub(fill, template)


def _function_source(source: str, name: str) -> str:
    """The text of ``function name(…){…}`` in ``source``.

    Braces are balanced; the shim's helpers have no braces inside strings.
    """
    starts = [m.start() for m in re.finditer(rf"\bfunction {re.escape(name)}\(", source)]
    if len(starts) != 1:
        raise PolicyError(f"expected one function {name} in the shim, found {len(starts)}")
    depth = 0
    for i in range(source.index("{", starts[0]), len(source)):
        depth += {"{": 1, "}": -1}.get(source[i], 0)
        if depth == 0:
            return source[starts[0]:i + 1]
    raise PolicyError(f"function {name} in the shim never closes")


def meta_tag(value: str) -> str:
    """The ``<meta>`` element that carries a policy."""
    content = html_lib.escape(value, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def add_policy(html: str, *, shim: str | None = None) -> str:
    """Return ``html`` with its policy as the first thing in ``<head>`` after the charset.

    Args:
        html: A whole page.
        shim: The iframe-worker shim's source, when the site ships it (search from file://).
    """
    hashes = [sha256_source(text) for text in inline_scripts(html)]
    url = search_worker_url(html) if shim is not None else None
    if url is not None and shim is not None:
        hashes.append(sha256_source(iframe_worker_script(shim, url)))
    tag = meta_tag(policy(hashes))
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        raise PolicyError("the page has no <head>")
    return html[:anchor.end()] + "\n" + tag + html[anchor.end():]
