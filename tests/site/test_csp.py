"""build_tools.site.csp: the Content-Security-Policy, built from a page's own inline scripts."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from build_tools.site import csp

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>t</title>
<script>var a = 1;</script>
<script id="__config" type="application/json">{"search": "../assets/workers/search.js"}</script>
<script src="x.js"></script>
<script type="module">import "./m.js";</script>
<script type="text/template"><b>not run</b></script>
</head><body><script>
  multi();
</script></body></html>
"""
SHIM = (
    '"use strict";(()=>{function c(s,n){parent.postMessage(s,n||"*")}function d(...s){return '
    's.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.createElement("script");'
    "t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())}var o=class{"
    "constructor(e){this.w.document.write(`<html><body><script>postMessage=${c};"
    'importScripts=${d};addEventListener("error",({error})=>{parent.dispatchEvent(new '
    'ErrorEvent("error",{filename:"${e}",error}))})<\\/script><script src=${e}?${+Date.now()}>'
    "<\\/script></body></html>`)}};})();"
)


def policy_of(html: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)


def test_hash_is_the_base64_sha256_of_the_utf8_text() -> None:
    """The source expression is what a browser computes for the script's text."""
    text = "alert('é')"
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert csp.sha256_source(text) == f"'sha256-{digest}'"


def test_only_inline_scripts_that_run_are_collected() -> None:
    """Inline classic and module scripts count; src, JSON and template scripts do not."""
    assert csp.inline_scripts(PAGE) == ["var a = 1;", 'import "./m.js";', "\n  multi();\n"]


def test_scripts_in_the_page_content_get_no_hash() -> None:
    """A script that reached the content (Markdown, a tree) is not the theme's: no hash."""
    page = PAGE.replace("<body>", '<body><article class="md-content__inner md-typeset">'
                        "<script>evil()</script></article>")
    assert "evil()" not in csp.inline_scripts(page)
    assert csp.sha256_source("evil()") not in policy_of(csp.add_policy(page))


@pytest.mark.parametrize(
    ("directive", "value"),
    [
        ("default-src", "'self'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("connect-src", "'self'"),
        ("worker-src", "'self'"),
    ],
)
def test_fixed_directives(directive: str, value: str) -> None:
    """The policy names each directive with its value."""
    assert f"{directive} {value}" in csp.policy().split("; ")


def test_scripts_allow_self_wasm_and_hashes_only() -> None:
    """script-src: 'self', 'wasm-unsafe-eval' and the given hashes, sorted, no duplicates;
    never 'unsafe-inline' or 'unsafe-eval'."""
    value = csp.policy(["'sha256-b'", "'sha256-a'", "'sha256-b'"])
    script_src = next(p for p in value.split("; ") if p.startswith("script-src "))
    assert script_src == "script-src 'self' 'wasm-unsafe-eval' 'sha256-a' 'sha256-b'"
    assert value.startswith("default-src ")


def test_add_policy_puts_the_meta_after_the_charset() -> None:
    """The meta comes after <meta charset> and before every script, hashing each one."""
    out = csp.add_policy(PAGE)
    assert out.index("Content-Security-Policy") > out.index('<meta charset="utf-8">')
    assert out.index("Content-Security-Policy") < out.index("<script")
    for text in csp.inline_scripts(PAGE):
        assert csp.sha256_source(text) in policy_of(out)
    assert out.replace(re.search(r"\n<meta http-equiv[^>]*>", out).group(), "") == PAGE


def test_add_policy_without_charset_goes_after_head() -> None:
    """A page without a charset meta gets the policy first thing in <head>."""
    out = csp.add_policy("<html><head><title>x</title></head></html>")
    assert out.startswith('<html><head>\n<meta http-equiv="Content-Security-Policy"')


def test_a_page_without_head_is_an_error() -> None:
    """No <head>: say so rather than ship a page without its policy."""
    with pytest.raises(csp.PolicyError, match="no <head>"):
        csp.add_policy("<p>fragment</p>")


def test_iframe_worker_script_is_rebuilt_from_the_shim() -> None:
    """The shim's frame script: its helpers' source text and the worker URL, in place."""
    script = csp.iframe_worker_script(SHIM, "../w.js")
    assert script == (
        'postMessage=function c(s,n){parent.postMessage(s,n||"*")};importScripts=function '
        "d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document."
        'createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),'
        'Promise.resolve())};addEventListener("error",({error})=>{parent.dispatchEvent(new '
        'ErrorEvent("error",{filename:"../w.js",error}))})'
    )


def test_shim_script_hash_joins_the_policy() -> None:
    """With the shim, the frame script for this page's search worker is allowed too."""
    out = csp.add_policy(PAGE, shim=SHIM)
    expected = csp.sha256_source(csp.iframe_worker_script(SHIM, "../assets/workers/search.js"))
    assert expected in policy_of(out)
    assert expected not in policy_of(csp.add_policy(PAGE))


@pytest.mark.parametrize(
    ("shim", "message"),
    [
        ("nothing here", "expected one inline-script template"),
        ("`<script>postMessage=${c}<\\/script>`", "no filename placeholder"),
        ('`<script>postMessage=${c};filename:"${e}"<\\/script>`', "expected one function c"),
    ],
)
def test_an_unexpected_shim_is_an_error(shim: str, message: str) -> None:
    """A changed shim stops the build with a reason, not a policy that blocks search."""
    with pytest.raises(csp.PolicyError, match=message):
        csp.iframe_worker_script(shim, "w.js")


def test_real_shim_matches_the_expected_shape() -> None:
    """The pinned iframe-worker shim is shaped as iframe_worker_script expects."""
    from build_tools.setup.fetch import IFRAME_WORKER, package_dir

    shim = package_dir(IFRAME_WORKER) / "package" / "shim" / "index.js"
    if not shim.exists():
        pytest.skip("the pinned packages are not fetched yet (make test fetches them)")
    script = csp.iframe_worker_script(shim.read_text(encoding="utf-8"), "W")
    assert script.startswith("postMessage=function ") and 'filename:"W"' in script


def test_policy_in_meta_is_escaped() -> None:
    """The policy's quotes survive in the attribute."""
    assert csp.meta_tag("a 'b' \"c\"") == (
        '<meta http-equiv="Content-Security-Policy" content="a \'b\' &quot;c&quot;">'
    )
