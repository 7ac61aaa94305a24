"""The policy pages say what the charity's Confidentiality Policy says, sentence by sentence.

The charity's text is kept as a PDF-to-text dump (``tests/fixtures/seed/``). These tests
turn it into sentences and list items, apply the editorial corrections listed in
``corrections.json`` (the only changes we allow), and check that every one of them is on
the built policy pages, in the original order. They read only the page content (the
``<article>`` element), so they do not depend on the navigation or the theme.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.locations import FIXTURES, ROOT

SEED = FIXTURES / "seed" / "confidentiality-policy.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_43fe1fd68468a27c.txt"
CORRECTIONS_FILE = FIXTURES / "seed" / "corrections.json"
EDITORIAL_NOTES = "policy/editorial-notes.html"

# The pages that hold the policy text, in the policy's own order.
POLICY_PAGES = (
    "policy/introduction.html",
    "policy/who-it-applies-to.html",
    "policy/general-principles.html",
    "policy/exceptions.html",
    "policy/police-and-courts.html",
    "policy/access-to-information.html",
    "policy/storage-of-information.html",
    "policy/breach-of-confidentiality.html",
)

# Title and heading lines of the seed. Our pages use headings of their own, so these are
# dropped rather than matched (a test checks that each really is a line of the seed).
SEED_HEADINGS = (
    "Coping with Cancer in Leicestershire and Rutland",
    "Confidentiality Policy",
    "Introduction",
    "Who the policy applies to",
    "General Principles",
    "Access to Information",
    "Storage of Information",
    "Breach of confidentiality",
)

# Bullet glyphs a PDF-to-text dump leaves behind (Symbol and Wingdings bullets arrive as
# private-use characters).
BULLETS = "•\uf0b7\uf0a7▪◦"

# Anchors that guides cite: they must exist exactly, on these pages.
ANCHORS = {
    "policy/introduction.html": ["commitment", "purpose", "seek-advice"],
    "policy/who-it-applies-to.html": ["scope"],
    "policy/general-principles.html": [
        "client-and-cwc", "no-gossip", "social-settings", "need-to-know", "consent-form"],
    "policy/exceptions.html": [
        "exceptions", "serious-harm", "risk-to-life", "illegal-act", "legal-requirement",
        "criminal-offences", "report-to-safeguarding", "other-information",
        "never-identifiable", "referrals"],
    "policy/police-and-courts.html": [
        "police-requests", "express-permission", "subpoena", "support-from-cwc"],
    "policy/access-to-information.html": [
        "access-to-own-file", "requests-about-others", "legal-exceptions",
        "paperwork-and-screens"],
    "policy/storage-of-information.html": [
        "data-protection", "client-records", "staff-records", "dbs-compliance", "dbs-records"],
    "policy/breach-of-confidentiality.html": [
        "raising-concerns", "unauthorised-access", "summary-dismissal", "whistle-blowing",
        "consequences"],
    "policy/editorial-notes.html": ["corrections"],
}
EXCEPTION_ITEMS = [
    "serious-harm", "risk-to-life", "illegal-act", "legal-requirement", "criminal-offences"]

CRIMINAL_OFFENCES = [
    "Fraud", "Theft", "False accounting", "Forgery", "Bribery", "Corruption",
    "Acts of terrorism", "Drug trafficking", "Money laundering", "Or other criminal offence."]


# --- Text helpers -------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Straighten quotes and collapse whitespace, so only the words are compared."""
    return " ".join(text.translate(_QUOTES).split())


def load_corrections() -> list[dict[str, str]]:
    """The editorial corrections: the one list the pages and these tests agree on."""
    return json.loads(CORRECTIONS_FILE.read_text(encoding="utf-8"))


def seed_blocks(raw: str) -> list[tuple[str, str]]:
    """Split the seed into ``("para" | "item", text)`` blocks, joining PDF-broken lines.

    In the dump an empty line is only a line wrap; a line holding nothing but spaces ends
    a paragraph. A line starting with a bullet glyph starts a list; inside a list, a line
    starting with a capital starts the next item (some bullets were lost in the dump) and
    a line starting in lower case continues the item before it.
    """
    blocks: list[list] = []
    current: list | None = None
    in_list = False
    for line in raw.splitlines():
        if not line:
            continue
        text = normalise(line)
        if not text or text in SEED_HEADINGS:
            current, in_list = None, False
            continue
        bulleted = text[0] in BULLETS
        if bulleted:
            text, in_list = text[1:].strip(), True
        if in_list and (bulleted or text[0].isupper()):
            current = ["item", [text]]
            blocks.append(current)
        elif current is None:
            current = ["para", [text]]
            blocks.append(current)
        else:
            current[1].append(text)
    return [(kind, " ".join(lines)) for kind, lines in blocks]


def split_sentences(paragraph: str) -> list[str]:
    """Split at a full stop or colon followed by a capital letter."""
    return [s for s in re.split(r"(?<=[.:?!])\s+(?=[A-Z])", paragraph) if s]


def apply_corrections(text: str, corrections: list[dict[str, str]]) -> str:
    """Replace each original wording with its corrected form."""
    for correction in corrections:
        text = text.replace(normalise(correction["original"]), normalise(correction["corrected"]))
    return text


def seed_units(raw: str, corrections: list[dict[str, str]]) -> list[str]:
    """The seed as the units the site must contain: sentences, and list items whole."""
    units: list[str] = []
    for kind, text in seed_blocks(raw):
        text = apply_corrections(text, corrections)
        units.extend([text] if kind == "item" else split_sentences(text))
    return units


def find_unit(unit: str, text: str, start: int = 0) -> re.Match | None:
    """Find ``unit`` in ``text`` as whole words (so "Theft" does not match "Thefts")."""
    return re.compile(rf"(?<!\w){re.escape(unit)}(?!\w)").search(text, start)


# --- Reading the built site ---------------------------------------------------------------

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"}
_SKIP_TAGS = {"script", "style", "nav", "template", "svg", "aside"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
              "source", "track", "wbr"}


@dataclass
class Page:
    """What a reader sees in a page's content: its text, its ids and its links."""

    text: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # id -> tag name
    hrefs: list[str] = field(default_factory=list)
    has_article: bool = False


class _ArticleParser(HTMLParser):
    """Collect the visible text, ids and links inside the page's ``<article>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._parts: list[str] = []
        self._article_depth = 0  # open elements inside <article>, 0 when outside
        self._skip_depth = 0  # open elements inside a skipped element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if not self._article_depth:
            if tag == "article":
                self._article_depth, self.page.has_article = 1, True
            return
        if tag in _VOID_TAGS:
            self._parts.append(" " if tag in _BLOCK_TAGS else "")
            return
        self._article_depth += 1
        # The heading permalink ("¶") and skipped elements are chrome, not policy text.
        headerlink = tag == "a" and "headerlink" in (attributes.get("class") or "").split()
        if self._skip_depth or tag in _SKIP_TAGS or headerlink:
            self._skip_depth += 1
            return
        if attributes.get("id"):
            self.page.ids[attributes["id"]] = tag
        if tag == "a" and attributes.get("href"):
            self.page.hrefs.append(attributes["href"])
        if tag in _BLOCK_TAGS:
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._article_depth or tag in _VOID_TAGS:
            return
        self._article_depth -= 1
        if self._skip_depth:
            self._skip_depth -= 1
        elif tag in _BLOCK_TAGS:
            self._parts.append(" ")
        if not self._article_depth:
            self.page.text = normalise("".join(self._parts))

    def handle_data(self, data: str) -> None:
        if self._article_depth and not self._skip_depth:
            self._parts.append(data)


def read_page(path: Path) -> Page:
    """Parse one built HTML page."""
    parser = _ArticleParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, Page]:
    """Every HTML page of the built site, by its path relative to the site."""
    return {p.relative_to(built_site).as_posix(): read_page(p)
            for p in sorted(built_site.rglob("*.html"))}


@pytest.fixture(scope="module")
def policy_text(pages: dict[str, Page]) -> str:
    """The text of the policy pages, in order (guides and notes excluded on purpose)."""
    return " ".join(pages[name].text for name in POLICY_PAGES)


# --- The seed -----------------------------------------------------------------------------

def test_seed_copy_matches_the_shared_seed() -> None:
    """The fixture is a byte-for-byte copy of the charity's text."""
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed folder is not here to compare with")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_dropped_headings_are_lines_of_the_seed() -> None:
    """Each heading the tests drop is a whole line of the seed, so nothing else is lost."""
    lines = {normalise(line) for line in SEED.read_text(encoding="utf-8").splitlines()}
    assert [h for h in SEED_HEADINGS if h not in lines] == []


def test_seed_keeps_its_lists_as_items() -> None:
    """The exceptions and the criminal offences come out of the dump as list items."""
    items = [text for kind, text in seed_blocks(SEED.read_text(encoding="utf-8"))
             if kind == "item"]
    assert items[0] == ("If the client discloses information that indicates that a child, "
                        "young person or vulnerable adult is at serious risk of harm")
    assert items[4] == "Where a criminal offence has been committed as per below:"
    assert items[5:] == CRIMINAL_OFFENCES


@pytest.mark.parametrize("correction", load_corrections(), ids=lambda c: c["original"])
def test_correction_matches_the_seed_exactly_once(correction: dict[str, str]) -> None:
    """Each correction names wording that is in the seed once, so it changes one place."""
    seed = " ".join(text for _, text in seed_blocks(SEED.read_text(encoding="utf-8")))
    assert seed.count(normalise(correction["original"])) == 1
    assert set(correction) >= {"original", "corrected", "page", "anchor"}


# --- The pages ----------------------------------------------------------------------------

def test_every_seed_sentence_is_on_the_policy_pages(policy_text: str) -> None:
    """Every sentence and list item of the corrected seed appears on the policy pages."""
    units = seed_units(SEED.read_text(encoding="utf-8"), load_corrections())
    missing = [unit for unit in units if not find_unit(unit, policy_text)]
    assert not missing, "Sentences of the policy missing from docs/policy/:\n" + "\n".join(
        f"  - {unit!r}" for unit in missing)


def test_seed_sentences_keep_their_order(policy_text: str) -> None:
    """The sentences appear in the policy's own order across the pages."""
    units = seed_units(SEED.read_text(encoding="utf-8"), load_corrections())
    position = 0
    for before, unit in zip(["(start)", *units], units, strict=False):
        match = find_unit(unit, policy_text, position)
        assert match, f"{unit!r} is missing or comes before {before!r}"
        position = match.end()


@pytest.mark.parametrize("correction", load_corrections(), ids=lambda c: c["original"])
def test_correction_is_applied_on_its_page(correction: dict[str, str],
                                           pages: dict[str, Page]) -> None:
    """The corrected wording is on the page named, and the original is on no policy page."""
    page = pages[correction["page"].removesuffix(".md") + ".html"]
    assert normalise(correction["corrected"]) in page.text
    assert correction["anchor"] in page.ids
    left = [name for name in POLICY_PAGES
            if find_unit(normalise(correction["original"]), pages[name].text)]
    assert left == []


@pytest.mark.parametrize("correction", load_corrections(), ids=lambda c: c["original"])
def test_editorial_notes_list_the_correction(correction: dict[str, str],
                                             pages: dict[str, Page]) -> None:
    """The editorial notes show each correction: original, corrected, and a link to it."""
    notes = pages[EDITORIAL_NOTES]
    assert normalise(correction["original"]) in notes.text
    assert normalise(correction["corrected"]) in notes.text
    target = correction["page"].removesuffix(".md") + ".html#" + correction["anchor"]
    links = {posixpath.normpath(posixpath.join(posixpath.dirname(EDITORIAL_NOTES), href))
             for href in notes.hrefs}
    assert target in links


def test_policy_pages_have_article_content(pages: dict[str, Page]) -> None:
    """Each policy page was read from its ``<article>`` (else the checks above prove nothing)."""
    assert [name for name in [*POLICY_PAGES, EDITORIAL_NOTES]
            if not pages[name].has_article or not pages[name].text] == []


# The argument is not called ``page``: conftest treats tests with that name as browser tests.
@pytest.mark.parametrize(("page_name", "anchor"),
                         [(name, anchor) for name, anchors in ANCHORS.items()
                          for anchor in anchors])
def test_cited_anchor_exists(page_name: str, anchor: str, pages: dict[str, Page]) -> None:
    """Every anchor that guides cite exists on its page."""
    assert anchor in pages[page_name].ids


@pytest.mark.parametrize("anchor", EXCEPTION_ITEMS)
def test_exception_anchor_is_on_its_list_item(anchor: str, pages: dict[str, Page]) -> None:
    """Each exception's anchor is on the list item itself, so a link lands on it."""
    assert pages["policy/exceptions.html"].ids[anchor] == "li"


def test_criminal_offences_are_a_nested_list(built_site: Path) -> None:
    """The offences are a list inside the "criminal offence" item, one offence an item."""
    html = (built_site / "policy/exceptions.html").read_text(encoding="utf-8")
    nested = re.search(r'<li id="criminal-offences">[^<]*<ul>(.*?)</ul>', html, re.S)
    assert nested, "the criminal-offences item holds no nested list"
    items = [normalise(i) for i in re.findall(r"<li>(.*?)</li>", nested.group(1), re.S)]
    assert items == CRIMINAL_OFFENCES
