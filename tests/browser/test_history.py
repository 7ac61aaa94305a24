"""Nothing left behind on a shared laptop: the answers stay out of the browser's history.

A browser with a real profile on disk (as a person's is) walks every path of two guides,
with Back, Change and Start again and a "Link to this result" on every outcome, searches
the site, takes the practice questions to the acknowledgement and types a name there; then
it closes, and the tests read what it kept: its history database, and every other file it
wrote outside its caches (session restore's files among them), as UTF-8 and UTF-16. A
second profile follows a link made with "Link to this result". Over http and from file://.

The profile readers are in tests/browser/profiles.py: Chromium today; Firefox plugs in
(``FIREFOX``) once Playwright's Firefox is installed for the engines tests.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, expect

from build_tools.setup.browser import choose_browser
from build_tools.setup.fetch import AXE_CORE, ensure_package
from build_tools.trees.engine import to_fragment
from tests.browser.helpers import READY, choose, current_step, expect_outcome, load_manifest, widget
from tests.browser.profiles import (
    CHROMIUM,
    ProfileKind,
    answer_in,
    lz4_block,
    mozlz4,
    occurrences,
)

pytestmark = pytest.mark.browser

WALKED = ("police-or-official", "referral")
"""The guides walked path by path in the profile (the police one is the issue's example)."""
LINKED = "police-or-official"
"""The guide whose every path is restored through "Link to this result"."""
SEARCH_WORDS = "police risk"
VOLUNTEER = "Alex Newcomer"
PRACTICE = "induction/practice.html"
PROFILE_KINDS = [pytest.param(CHROMIUM, id="chromium")]
"""Each browser whose profile is read; add ``FIREFOX`` here when the engines tests exist."""
BLOCK_CLIPBOARD = """
navigator.clipboard.writeText = () => Promise.reject(new Error("blocked for the test"));
document.execCommand = () => false;
"""


@dataclass
class Profile:
    """A profile folder after the browser has closed, and what the test did in it."""

    kind: ProfileKind
    folder: Path
    root: str
    opened: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    score: str = ""


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict[str, dict]:
    return load_manifest(built_site)


def launch_args(kind: ProfileKind, browser_type_launch_args: dict) -> dict:
    """The browser chosen for the tests (build_tools.setup.browser), headless unless --headed."""
    args = {"headless": browser_type_launch_args.get("headless", True)}
    if kind is CHROMIUM:
        # The whole browser, as a person's is: a headless shell keeps no history.
        choice = choose_browser(headless=args["headless"], whole=True)
        if choice is None:
            pytest.fail("no browser for the tests: run 'make test' or set CWC_BROWSER")
        args.update(choice.launch_kwargs())
    return args


def open_guide(page: Page, url: str, tree_id: str) -> Locator:
    page.goto(url)
    section = widget(page, tree_id)
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    return section


def make_link(section: Locator) -> str:
    """Press "Link to this result" on the outcome shown; return the address it made."""
    current_step(section).get_by_role("button", name="Link to this result").click()
    field_ = section.locator("[data-role=link-field]")
    expect(field_).to_be_visible()
    expect(field_).to_have_value(re.compile("#"))
    return field_.input_value()


def click(section: Locator, action: str) -> None:
    section.locator(f'[data-action="{action}"]').click()


def walk_with_every_control(section: Locator, tree: dict, path: dict, link: bool) -> None:
    """One path to its outcome (and a link made there), Back, the last answer again,
    Change on the first answer, the whole path again, then Start again."""
    answers, outcome = path["answers"], path["outcome"]
    for label in answers:
        choose(section, label)
    expect_outcome(section, outcome, tree["outcomes"][outcome]["title"])
    if link:
        make_link(section)
    click(section, "back")
    choose(section, answers[-1])
    section.locator("[data-role=answers] [data-action=change]").first.click()
    for label in answers:
        choose(section, label)
    expect_outcome(section, outcome, tree["outcomes"][outcome]["title"])
    click(section, "restart")


def walk_every_path(section: Locator, tree: dict) -> None:
    """Every path with every control, a link made on each outcome."""
    for path in tree["paths"]:
        walk_with_every_control(section, tree, path, link=True)
    # Leave the last outcome on screen with its link showing, as a person might.
    for label in tree["paths"][-1]["answers"]:
        choose(section, label)
    make_link(section)


def take_the_practice_questions(page: Page, root: str) -> str:
    """Answer every practice question (the first choice), check each, go on to the
    acknowledgement in the same tab, type a name there; return the score it shows."""
    page.goto(root + PRACTICE)
    expect(page.locator("section.cwc-quiz")).to_have_attribute("data-state", "ready",
                                                               timeout=READY)
    for question in page.locator("[data-quiz-question]").all():
        question.locator('input[type="radio"]').first.check()
        question.get_by_role("button", name="Check my answer").click()
    score = page.locator('.cwc-quiz [data-role="score"]').get_attribute("data-score")
    assert score, "the practice page shows no final score"
    page.get_by_role("link", name="Continue to the acknowledgement").click()
    right, total = score.split("-of-")
    expect(page.locator('.cwc-ack [data-role="score"]')).to_have_text(
        f"{right} right out of {total}")
    page.get_by_label("Volunteer’s name").fill(VOLUNTEER)
    return score


def search_and_follow(page: Page, root: str) -> None:
    """Search the site from the home page and open the first result."""
    page.goto(root + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(SEARCH_WORDS, delay=20)  # search reacts to key events only
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_load_state()


@pytest.fixture(scope="module", params=PROFILE_KINDS)
def used(request, playwright: Playwright, browser_type_launch_args: dict, site_root: str,
         manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Profile:
    """A profile in which the guides, the search and the induction were used, then closed."""
    kind: ProfileKind = request.param
    profile = Profile(kind, tmp_path_factory.mktemp(f"profile-{kind.name}"), site_root)
    context = kind.launch(playwright, profile.folder, **launch_args(kind, browser_type_launch_args))
    page = context.pages[0] if context.pages else context.new_page()
    for tree_id in WALKED:
        tree = manifest[tree_id]
        walk_every_path(open_guide(page, site_root + tree["page"], tree_id), tree)
        profile.opened.append(site_root + tree["page"])
    search_and_follow(page, site_root)
    profile.score = take_the_practice_questions(page, site_root)
    context.close()  # Chromium writes its History now
    return profile


@pytest.fixture(scope="module", params=PROFILE_KINDS)
def followed(request, playwright: Playwright, browser_type_launch_args: dict, site_root: str,
             manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Profile:
    """A profile in which a link made by "Link to this result" was opened, then closed."""
    kind: ProfileKind = request.param
    profile = Profile(kind, tmp_path_factory.mktemp(f"followed-{kind.name}"), site_root)
    context = kind.launch(playwright, profile.folder, **launch_args(kind, browser_type_launch_args))
    page = context.pages[0] if context.pages else context.new_page()
    tree = manifest[LINKED]
    section = open_guide(page, site_root + tree["page"], LINKED)
    path = max(tree["paths"], key=lambda p: len(p["answers"]))
    for label in path["answers"]:
        choose(section, label)
    link = make_link(section)
    profile.links.append(link)
    # The person the link was sent to opens it; then changes an answer and walks on.
    page.goto("about:blank")
    section = open_guide(page, link, LINKED)
    expect_outcome(section, path["outcome"], tree["outcomes"][path["outcome"]]["title"])
    assert "#" not in page.url, "the link stayed in the location bar"
    section.locator("[data-role=answers] [data-action=change]").last.click()
    other = next(b for b in current_step(section).locator("button[data-label]").all()
                 if b.get_attribute("data-label") != path["answers"][-1])
    other.click()
    context.close()
    return profile


def site_visits(profile: Profile) -> list:
    return [v for v in profile.kind.history(profile.folder) if v.url.startswith(profile.root)]


def test_the_history_lists_pages_but_no_answers(used: Profile) -> None:
    """After every path of two guides, a search and the practice questions, the history
    has the pages opened and not one address with an answer, a search or a score."""
    visits = site_visits(used)
    urls = {v.url for v in visits}
    assert set(used.opened) <= urls, "the history did not record the pages (nothing to check)"
    carrying = {v.url: answer_in(v.url) for v in visits if answer_in(v.url)}
    assert carrying == {}


def test_the_history_keeps_each_page_under_its_own_title(used: Profile, built_site: Path) -> None:
    """Every title in the history is the page's own (the one it is built with): titles
    never change with the answers."""
    wrong = {}
    for visit in site_visits(used):
        rel = visit.url[len(used.root):].split("#")[0].split("?")[0]
        built = (built_site / rel).read_text(encoding="utf-8")
        title = html.unescape(re.search(r"<title>(.*?)</title>", built, re.S).group(1).strip())
        if visit.title != title:
            wrong[visit.url] = visit.title
    assert wrong == {}


def test_no_file_in_the_profile_carries_an_answer(used: Profile) -> None:
    """No file the browser kept (history, session restore, favicons, anything outside its
    caches) holds a guide's answers, the score, the search words or the name typed."""
    right, total = used.score.split("-of-")
    needles = [f"{tree_id}=" for tree_id in WALKED] + [
        f"score={right}-of-{total}", SEARCH_WORDS, SEARCH_WORDS.replace(" ", "+"),
        SEARCH_WORDS.replace(" ", "%20"), VOLUNTEER,
    ]
    found = {(rel, needle) for rel, data in used.kind.files(used.folder)
             for needle in needles if occurrences(data, needle)}
    assert found == set()


def test_a_followed_link_leaves_only_itself(followed: Profile) -> None:
    """Opening a link made by "Link to this result", then changing an answer, leaves that
    link in the history (the person chose to open it) and no other address with answers."""
    carrying = {v.url for v in site_visits(followed) if answer_in(v.url)}
    assert carrying == set(followed.links)


@pytest.fixture()
def guide_page(browser: Browser, site_root: str, manifest: dict) -> Iterator[tuple[Page, Locator]]:
    """A fresh page on the guide of the link tests."""
    context = browser.new_context()
    page = context.new_page()
    yield page, open_guide(page, site_root + manifest[LINKED]["page"], LINKED)
    context.close()


def test_walking_a_guide_never_changes_the_address(guide_page, manifest) -> None:
    """Through every path, with Back, Change and Start again, the address, the title and the
    tab's history stay as they were when the page opened."""
    page, section = guide_page
    before = page.evaluate("[location.href, document.title, history.length]")
    tree = manifest[LINKED]
    for path in tree["paths"]:
        walk_with_every_control(section, tree, path, link=False)
        assert page.evaluate("[location.href, document.title, history.length]") == before


def test_a_reload_forgets_the_answers(guide_page, manifest) -> None:
    """The answers were in the page's memory only: a reload starts the guide again."""
    page, section = guide_page
    tree = manifest[LINKED]
    for label in tree["paths"][0]["answers"]:
        choose(section, label)
    page.reload()
    section = widget(page, LINKED)
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    expect(section.locator("[data-role=answers] li")).to_have_count(0)


def test_the_link_restores_every_path(browser: Browser, site_root: str, manifest) -> None:
    """For every path of one guide, the address made by "Link to this result", opened in a
    fresh tab, shows the same outcome and answers, then clears itself from the location bar."""
    tree = manifest[LINKED]
    context = browser.new_context()
    maker, opener = context.new_page(), context.new_page()
    maker.bring_to_front()
    section = open_guide(maker, site_root + tree["page"], LINKED)
    links = []
    for path in tree["paths"]:
        for label in path["answers"]:
            choose(section, label)
        link = make_link(section)
        assert link.endswith("#" + to_fragment(LINKED, path["answers"]))
        links.append((path, link))
        click(section, "restart")
    opener.bring_to_front()
    for path, link in links:
        opener.goto("about:blank")
        restored = open_guide(opener, link, LINKED)
        expect_outcome(restored, path["outcome"], tree["outcomes"][path["outcome"]]["title"])
        expect(restored.locator("[data-role=answers] .decision-tree__answer-label")).to_have_text(
            path["answers"])
        expect(restored.locator("[data-role=status]")).to_have_text("")
        assert opener.url == site_root + tree["page"]
    context.close()


def test_the_link_is_copied_when_the_browser_allows(browser: Browser, site_server: str,
                                                    manifest) -> None:
    """With clipboard access (granted here, as a browser does on a click), the address is
    on the clipboard and the field shows it too."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_server[:-1])
    page = context.new_page()
    section = open_guide(page, site_server + manifest[LINKED]["page"], LINKED)
    for label in manifest[LINKED]["paths"][0]["answers"]:
        choose(section, label)
    link = make_link(section)
    expect(section.locator("[data-role=link-status]")).to_have_text(re.compile("^Link copied"))
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(section.locator("[data-role=announcer]")).to_have_text(re.compile("^Link copied"))
    context.close()


def test_the_link_can_be_copied_by_hand(browser: Browser, site_root: str, manifest) -> None:
    """When the browser refuses to copy, the address is in a visible field, focused and
    selected, and the status says how to copy it; from file:// it says the link works
    only on this computer."""
    context = browser.new_context()
    context.add_init_script(BLOCK_CLIPBOARD)
    page = context.new_page()
    section = open_guide(page, site_root + manifest[LINKED]["page"], LINKED)
    for label in manifest[LINKED]["paths"][0]["answers"]:
        choose(section, label)
    link = make_link(section)
    field_ = section.locator("[data-role=link-field]")
    expect(section.locator("[data-role=link-status]")).to_contain_text("copy it with Ctrl+C")
    expect(field_).to_be_focused()
    expect(field_).to_have_attribute("readonly", "")
    selected = field_.evaluate("f => [f.selectionStart, f.selectionEnd]")
    assert selected == [0, len(link)]
    offline = section.locator("[data-role=link-offline]")
    if site_root.startswith("file:"):
        expect(offline).to_be_visible()
    else:
        expect(offline).to_be_hidden()
    context.close()


@pytest.mark.parametrize(
    ("action", "what"),
    [
        pytest.param("back", "Back", id="back"),
        pytest.param("restart", "Start again", id="restart"),
        pytest.param("change", "Change", id="change"),
    ],
)
def test_the_link_goes_when_the_answers_change(guide_page, manifest, action, what) -> None:
    """The link is for the result it was made on: after Back, Start again or Change, the
    field is hidden and empty."""
    page, section = guide_page
    for label in manifest[LINKED]["paths"][0]["answers"]:
        choose(section, label)
    make_link(section)
    if action == "change":
        section.locator("[data-role=answers] [data-action=change]").first.click()
    else:
        click(section, action)
    expect(section.locator("[data-role=link-panel]")).to_be_hidden()
    expect(section.locator("[data-role=link-field]")).to_have_value("")


def test_a_printed_result_is_named_after_the_page(guide_page, manifest) -> None:
    """"Print this result" leaves the title alone, so the name a print dialog suggests
    (Save as PDF: the title) and the PDF's own title are the page's, never an answer."""
    page, section = guide_page
    title = page.title()
    path = manifest[LINKED]["paths"][0]
    for label in path["answers"]:
        choose(section, label)
    page.evaluate("window.print = () => {}")  # the dialog itself cannot open headless
    current_step(section).get_by_role("button", name="Print this result").click()
    expect(page.locator("[data-role=print-record]")).to_contain_text(path["answers"][0])
    assert page.title() == title
    pdf = page.pdf(format="A4")
    named = re.search(rb"/Title \((.*?)\)", pdf)
    assert named and named.group(1).decode("latin-1") == title


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_the_open_link_has_no_axe_violations(browser: Browser, site_server: str, manifest,
                                             palette: str) -> None:
    """Opened from the keyboard, the link's field, status and notes pass axe's WCAG 2.2
    A/AA rules in both palettes, with the copy-by-hand message showing."""
    axe_source = (ensure_package(AXE_CORE, quiet=True) / "package" / "axe.min.js").read_text(
        "utf-8")
    # bypass_csp: the site's policy would (rightly) refuse the injected axe script.
    context = browser.new_context(color_scheme=palette, bypass_csp=True)
    context.add_init_script(BLOCK_CLIPBOARD)
    page = context.new_page()
    section = open_guide(page, site_server + manifest[LINKED]["page"], LINKED)
    for label in manifest[LINKED]["paths"][0]["answers"]:
        choose(section, label)
    current_step(section).get_by_role("button", name="Link to this result").press("Enter")
    expect(section.locator("[data-role=link-field]")).to_be_focused()
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (selector) => (await axe.run(document.querySelector(selector), {runOnly:
        {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}))
        .violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(", ")})`)""",
        f'section.decision-tree[data-tree="{LINKED}"] [data-role=link-panel]',
    )
    assert violations == []
    context.close()


@pytest.mark.parametrize(
    ("block", "text"),
    [
        pytest.param(bytes([0x50]) + b"hello", b"hello", id="literals-only"),
        # "abc" then a match 3 back, 6 long (overlapping), then the closing literals "xyz".
        pytest.param(bytes([0x32]) + b"abc" + bytes([3, 0]) + bytes([0x30]) + b"xyz",
                     b"abcabcabcxyz", id="overlapping-match"),
    ],
)
def test_the_firefox_session_reader_decodes_lz4(block: bytes, text: bytes) -> None:
    """The reader of Firefox's session files (mozLz4) decodes literals and matches."""
    assert lz4_block(block) == text
    assert mozlz4(b"mozLz40\0" + len(text).to_bytes(4, "little") + block) == text
