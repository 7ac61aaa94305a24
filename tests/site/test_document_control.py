"""The approval record (extra.policy in mkdocs.yml): its rules, and where it shows.

One place holds every approval; the Document control page, the stamp on every page and
the volunteer's acknowledgement all show it, awaiting approval or approved.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from build_tools.errors import Problems
from build_tools.site.document_control import read_document_control
from tests.helpers import TRUSTEE_POLICY, build_site, trustee_site

CONFIG = """\
site_name: A site
extra:
  policy:
    title: Confidentiality Policy
    version: "1.1"
    approved_by: Board of Trustees
    next_review: 2030-01-01
    approvals:
      - version: "1.0"
        approved_on: 2025-06-12
        approved_by: Board of Trustees
        minute: "2025/31"
        tag: policy-v1.0
      - version: "0.9"
        approved_on: 2024-05-02
        approved_by: Board of Trustees
        minute: "2024/12"
"""


def read(text: str, tmp_path: Path) -> tuple[object, Problems]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    policy = yaml.safe_load(text)["extra"]["policy"]
    problems = Problems()
    return read_document_control(policy, config, tmp_path, problems), problems


def test_the_view_says_what_awaits_approval_and_what_was_last_approved(tmp_path: Path) -> None:
    """Version 1.1 has no approval: awaiting; the latest approval is 1.0's, newest first."""
    control, problems = read(CONFIG, tmp_path)
    assert not problems
    view = control.view()  # type: ignore[attr-defined]
    assert (view["status"], view["approved_on"], view["minute"]) == ("awaiting approval", "", "")
    assert view["approved_by"] == "Board of Trustees"
    assert view["last_approved"]["version"] == "1.0"
    assert [a["version"] for a in view["approvals"]] == ["1.0", "0.9"]


def test_an_approval_of_this_version_makes_it_approved(tmp_path: Path) -> None:
    """With an entry for this version, the view carries its date and minute reference."""
    control, _ = read(CONFIG.replace('version: "1.1"', 'version: "1.0"'), tmp_path)
    view = control.view()  # type: ignore[attr-defined]
    assert (view["status"], view["approved_on"], view["minute"]) == (
        "approved", "2025-06-12", "2025/31")


class Broken(NamedTuple):
    name: str
    old: str
    new: str
    line: int
    message: str


BROKEN = [
    Broken("the old approval date", "    next_review:", "    approved_on: \"\"\n    next_review:",
           7, "extra.policy.approved_on is no longer used"),
    Broken("a version that is a number", 'version: "1.1"', "version: 1.1", 5,
           "the version in extra.policy is not text: '1.1'"),
    Broken("a date that is not one", "approved_on: 2025-06-12", "approved_on: last June", 10,
           "'last June' is not a date ('approved_on' in approval 1 in extra.policy.approvals)"),
    Broken("no minute reference", '        minute: "2024/12"\n', "", 14,
           "approval 2 in extra.policy.approvals has no 'minute'"),
    Broken("an unknown key", "        tag: policy-v1.0", "        tags: policy-v1.0", 13,
           "unknown key 'tags' in approval 1 in extra.policy.approvals"),
    Broken("a tag git would take for an option", "tag: policy-v1.0", "tag: --all", 13,
           "'--all' is not a git tag name"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[b.name for b in BROKEN])
def test_each_broken_record_names_its_line_in_mkdocs_yml(case: Broken, tmp_path: Path) -> None:
    """Every rule of the approval record is reported at its line of mkdocs.yml."""
    assert case.old in CONFIG
    _, problems = read(CONFIG.replace(case.old, case.new), tmp_path)
    found = [(p.path, p.line, p.message) for p in problems]
    assert any(path == "mkdocs.yml" and line == case.line and case.message in message
               for path, line, message in found), found


# -- where it shows ------------------------------------------------------------------------

def build(tmp_path: Path, policy: dict) -> Path:
    """The trustee fixture site with this policy, and an acknowledgement page, built."""
    project = trustee_site(tmp_path / "project", policy)
    (project / "docs" / "acknowledgement.md").write_text(
        "# Acknowledgement\n\n<!-- acknowledgement -->\n", encoding="utf-8")
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


def words(site: Path, page: str, start: str = "<article", end: str = "</article>") -> str:
    text = (site / page).read_text(encoding="utf-8")
    part = text[text.index(start):text.index(end, text.index(start))]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.fixture(scope="module")
def awaiting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Version 1.1 awaits approval; 1.0 was approved (the helpers' policy)."""
    return build(tmp_path_factory.mktemp("awaiting"), TRUSTEE_POLICY)


def test_the_document_control_page_lists_every_approval(awaiting: Path) -> None:
    """Status, last approval and the history table with version, date, by, minute and tag."""
    text = words(awaiting, "trustees/document-control.html")
    assert "Status of this version: Awaiting approval by the Board of Trustees." in text
    assert ("Last approved version: version 1.0, approved by the Board of Trustees on "
            "2025-06-12 (minute 2025/31)") in text
    assert "1.0 2025-06-12 Board of Trustees 2025/31 policy-v1.0" in text


def test_the_stamp_says_awaiting_and_when_it_was_last_approved(awaiting: Path) -> None:
    """Every page's stamp: awaiting approval, and the last approved version with its minute."""
    stamp = words(awaiting, "index.html", '<aside class="cwc-stamp"', "</aside>")
    assert "Approved awaiting approval by Board of Trustees" in stamp
    assert "Last approved version 1.0, on 2025-06-12 (minute 2025/31)" in stamp


def test_the_stamp_of_an_approved_version_gives_its_approval(tmp_path: Path) -> None:
    """Once this version's approval is recorded, the stamp gives who, when and the minute."""
    site = build(tmp_path, {**TRUSTEE_POLICY, "version": "1.0"})
    stamp = words(site, "index.html", '<aside class="cwc-stamp"', "</aside>")
    assert "Approved by Board of Trustees on 2025-06-12 (minute 2025/31)" in stamp
    assert "Last approved" not in stamp
    page = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-approval="approved by Board of Trustees on 2025-06-12"' in page


def test_the_acknowledgement_says_plainly_that_the_version_awaits_approval(
    awaiting: Path,
) -> None:
    """The sheet names the version being acknowledged, and says it is not yet approved."""
    text = words(awaiting, "acknowledgement.html", '<section class="cwc-ack"', "</section>")
    assert ("I have read and understood the Confidentiality Policy, version 1.1, which is "
            "awaiting approval by the Board of Trustees.") in text
    assert ("This version is awaiting approval. The Board of Trustees has not yet approved "
            "version 1.1 of the policy; the last version it approved is version 1.0, on "
            "2025-06-12 .") in text


def test_the_acknowledgement_of_an_approved_version_gives_its_approval(tmp_path: Path) -> None:
    """Approved: the statement gives who approved it and when, and no awaiting line."""
    site = build(tmp_path, {**TRUSTEE_POLICY, "version": "1.0"})
    text = words(site, "acknowledgement.html", '<section class="cwc-ack"', "</section>")
    assert "version 1.0, approved by the Board of Trustees on 2025-06-12 ." in text
    assert "awaiting approval" not in text
