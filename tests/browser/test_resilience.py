"""When things go wrong in the browser: each failure has a clear message and breaks nothing.

The runtime cannot load, JavaScript is off, a link carries an unknown guide or garbage,
the machine is very slow (CPU throttled sixfold), and a person double-clicks. The engine
failing to start at all (WebAssembly blocked) is in test_widget_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import READY, current_step, load_manifest, widget
from tests.locations import TREE_IDS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict[str, dict]:
    return load_manifest(built_site)


@pytest.fixture(scope="module")
def tree(manifest: dict[str, dict]) -> dict:
    """The guide with the longest path."""
    return max(manifest.values(), key=lambda t: max(len(p["answers"]) for p in t["paths"]))


@pytest.fixture()
def errors_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page that records uncaught errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def test_a_missing_runtime_file_fails_at_once_with_a_message(browser, site_root, manifest):
    """If a runtime file cannot load, the guide says so at once and opens its text version."""
    context = browser.new_context()
    context.route(re.compile(r".*/cwc-runtime/cwc-wasm\.(js|bin).*"), lambda route: route.abort())
    page = context.new_page()
    tree = manifest[TREE_IDS[0]]
    page.goto(site_root + tree["page"])
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "failed", timeout=10_000)
    expect(section.locator("[data-role=status]")).to_have_text(re.compile("could not start"))
    expect(section.locator("[data-role=outline]")).to_have_attribute("open", "")
    expect(current_step(section)).to_have_count(0)
    context.close()


def test_without_javascript_the_text_version_and_policy_are_readable(
    browser, site_root, manifest
) -> None:
    """JavaScript off: the noscript message shows, the text version of every guide is open
    to read, the dead buttons are gone, and policy pages read as normal."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for tree_id in TREE_IDS:
        tree = manifest[tree_id]
        page.goto(site_root + tree["page"])
        section = widget(page, tree_id)
        expect(section.locator(".decision-tree__noscript")).to_be_visible()
        expect(section.locator(".decision-tree__noscript")).to_contain_text("text version below")
        expect(section.locator("[data-role=steps]")).to_be_hidden()
        expect(section.locator(".decision-tree__controls")).to_be_hidden()
        expect(section.locator("[data-role=status]")).to_be_hidden()
        for outcome in tree["outcomes"].values():
            expect(section.locator("[data-role=outline]").get_by_role(
                "heading", name=outcome["title"], exact=True)).to_be_visible()
    page.goto(site_root + "policy/police-and-courts.html")
    expect(page.locator("#subpoena")).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    ("fragment", "cleared"),
    [
        # cleared: the link names this guide, so the guide takes it and clears the address.
        pytest.param("#no-such-guide=Yes/No", False, id="unknown-tree"),
        pytest.param("#%E0%A4%A=%ZZ/%%%/", False, id="bad-percent-encoding"),
        pytest.param("#=", False, id="empty-id"),
        pytest.param("#TREE=<script>window.__x=1</script>/%3Cimg%20src%3Dx%20onerror%3D"
                     "window.__x%3D1%3E", True, id="markup"),
        pytest.param("#TREE=" + "Yes/" * 2000, True, id="very-long"),
        pytest.param("#TREE=../../etc/passwd", True, id="path"),
        pytest.param("#TREE=%00%01%02", True, id="control-characters"),
    ],
)
def test_garbage_in_the_link_breaks_nothing(errors_page, site_root, tree, fragment,
                                            cleared) -> None:
    """A link with an unknown guide or garbage answers opens the guide at a valid step:
    no error, nothing injected runs, the buttons work, and a link naming this guide is
    cleared from the location bar."""
    page, errors = errors_page
    page.goto(site_root + tree["page"] + fragment.replace("TREE", tree["id"]))
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    expect(current_step(section)).to_have_count(1)
    assert ("#" not in page.url) == cleared, page.url
    restart = section.locator('[data-action="restart"]')
    if restart.is_enabled():
        restart.click()
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    current_step(section).locator("button[data-label]").first.click()
    expect(section.locator("[data-role=answers] li")).to_have_count(1)
    assert page.evaluate("window.__x") is None
    assert errors == []


def test_a_slow_machine_ignores_clicks_until_ready(browser, site_root, tree) -> None:
    """CPU throttled sixfold: buttons stay disabled until the engine is ready, and clicks
    made before then are not applied later."""
    context = browser.new_context()
    held = []
    # Hold the runtime's big files back, so the clicks below surely come while it loads.
    # (scripts from file://, plain .bin files over http)
    context.route(re.compile(r".*/cwc-runtime/cwc-(wasm|stdlib|snapshot)\.(js|bin).*"),
                  lambda route: held.append(route))
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.goto(site_root + tree["page"], wait_until="domcontentloaded")
    section = widget(page, tree["id"])
    first = current_step(section).locator("button[data-label]").first
    for _ in range(3):
        expect(first).to_be_disabled()
        first.click(force=True)  # force: a person can click a disabled button
        first.dblclick(force=True)
    expect(section).to_have_attribute("data-state", "loading")
    assert held, "the runtime files were not requested"
    for route in held:
        route.continue_()
    expect(section).to_have_attribute("data-state", "ready", timeout=READY * 2)
    page.wait_for_timeout(500)  # anything queued would have been applied by now
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    expect(section.locator("[data-role=answers] li")).to_have_count(0)
    assert "#" not in page.url
    expect(first).to_be_enabled()
    context.close()


def test_a_double_click_answers_once(browser, site_root, tree) -> None:
    """A double-click on an answer (also on a slow machine) applies it once, even when the
    next question has a button under the pointer."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_root + tree["page"])
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    # The machine is slow from here on, where the double-clicks are (the start-up on a
    # slow machine is the test above).
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    path = max(tree["paths"], key=lambda p: len(p["answers"]))
    current_step(section).get_by_role("button", name=path["answers"][0], exact=True).dblclick()
    expect(section.locator("[data-role=answers] li")).to_have_count(1)
    page.wait_for_timeout(300)
    expect(section.locator("[data-role=answers] li")).to_have_count(1)
    section.locator('[data-action="back"]').dblclick()
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    context.close()
