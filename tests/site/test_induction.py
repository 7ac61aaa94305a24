"""The volunteer induction (build_tools/site/induction.py): reading path, practice, acknowledgement.

Fast tests, no browser: the core functions, then real builds of a copy of the fixture site
(tests/fixtures/site) extended with the three induction pages, and of the real site.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.site import induction, markers
from build_tools.site.nav import nav_pages
from tests.helpers import build_site
from tests.locations import FIXTURES, ROOT

SITE_FIXTURE = FIXTURES / "site"
QUESTION = re.compile(r'<li class="cwc-quiz__question" data-quiz-question="(?P<key>[^"]+)"')
LEGEND = re.compile(
    r'<legend class="cwc-quiz__legend"><span[^>]*>[^<]*</span> (?P<text>[^<]+)</legend>'
)
DATA = re.compile(
    r'<script type="application/json" data-role="question-data">(?P<json>.*?)</script>'
)
SCRIPT = r'<script src="\.\./assets/cwc-runtime/{name}\.js\?v=\w+" defer>'
"""A versioned script tag of the site layer, on a page one folder down."""
RADIO = re.compile(r'<input type="radio" name="[^"]+" value="(?P<value>[^"]+)"')


def words(n: int) -> str:
    return " ".join(["word"] * n)


# --- reading time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "minutes"),
    [
        ("", 1),
        (words(1), 1),
        (words(200), 1),
        (words(201), 2),
        (words(400), 2),
        (words(401), 3),
        (f"# Title\n\n{words(199)}", 1),  # the heading's word counts: 200 in all
        (f"# Title\n\n{words(200)}", 2),
    ],
)
def test_reading_time_is_words_over_200_rounded_up_at_least_one(
    markdown: str, minutes: int
) -> None:
    """About 200 words a minute, rounded up, never less than a minute."""
    assert induction.reading_minutes(markdown) == minutes


@pytest.mark.parametrize(
    ("markdown", "count"),
    [
        ("## Data protection {#data-protection}", 2),
        ("- If the client discloses\n  { #serious-harm }", 4),
        ("See [the rules](policy/rules.md#keep-quiet).", 3),
        ("<!-- reading-list -->\nTwo words", 2),
        ('!!! info ""\n    The policy continues.', 3),
        ("Disclosure & Barring Service (DBS)", 4),
        ("the client's right, well-being", 4),
    ],
)
def test_only_words_a_person_reads_are_counted(markdown: str, count: int) -> None:
    """Anchors, link targets, comments and admonition markers are not read."""
    assert induction.count_words(markdown) == count


def test_reading_list_links_each_page_with_its_time_and_gives_the_total() -> None:
    """A numbered list of links (relative to the page) with times, then the total."""
    items = induction.reading_list(
        [
            ("policy/one.md", f"# First page\n\n{words(450)}"),
            ("policy/two.md", f"# Second page {{#second}}\n\n{words(10)}"),
        ]
    )
    assert items == [
        induction.ReadingItem("policy/one.md", "First page", 3),
        induction.ReadingItem("policy/two.md", "Second page", 1),
    ]
    text = induction.render_reading_list(items, "induction/index.md")
    assert "1. [First page](../policy/one.md) (about 3 minutes)" in text
    assert "1. [Second page](../policy/two.md) (about 1 minute)" in text
    assert "In all, about 4 minutes of reading." in text


def test_policy_pages_follow_the_nav_and_leave_out_editorial_notes() -> None:
    """Pages under policy/ in nav order; notes and pages elsewhere are left out."""
    nav = nav_pages(
        [
            {"Home": "index.md"},
            {"The policy": ["policy/b.md", "policy/a.md", "policy/notes.md"]},
            {"For trustees": [{"Coverage": "coverage.md"}]},
        ]
    )
    assert nav == ["index.md", "policy/b.md", "policy/a.md", "policy/notes.md", "coverage.md"]
    pages = ["index.md", "policy/a.md", "policy/b.md", "policy/notes.md", "policy/unlisted.md"]
    assert induction.policy_pages(nav, pages, "policy", ["policy/notes.md"]) == [
        "policy/b.md",
        "policy/a.md",
    ]
    # A site with no nav reads the folder in file order.
    assert induction.policy_pages([], pages, "policy", ["policy/notes.md"]) == [
        "policy/a.md",
        "policy/b.md",
        "policy/unlisted.md",
    ]


def test_markers_in_code_blocks_stay_examples() -> None:
    """A marker inside fenced code is not replaced."""
    text = "<!-- reading-list -->\n```\n<!-- reading-list -->\n```\n"
    replaced = markers.replace(text, lambda marker: "LIST")
    assert replaced == "LIST\n```\n<!-- reading-list -->\n```\n"


# --- builds of the fixture site ---------------------------------------------------------

INDEX = "# New to CWC? Start here\n\n## Read the policy in this order\n\n<!-- reading-list -->\n"
PRACTICE = "# Practice\n\n<!-- practice-quiz -->\n"
ACKNOWLEDGEMENT = "# Acknowledgement\n\n<!-- acknowledgement -->\n"
QUESTIONS = """\
questions:
  - id: friend-asks
    lesson: Confidentiality is between the client and the charity.
    situation: A friend asks about a client.
    guide: embedded-guide
    answers: ["Yes"]
    choices:
      - action: Do not tell them
        outcome: no-telling
        explanation: The rules say so.
      - action: Ask the manager first
        outcome: ask
        accepted: true
        explanation: Asking is more careful still.
      - action: Tell them a little
        explanation: Nothing may be passed on.
"""
POLICY = {
    "title": "Confidentiality Policy",
    "organisation": "Fixture charity",
    "version": "2.3",
    "approved_by": "Board of Trustees",
    "next_review": "2030-01-01",
}
APPROVAL = {"version": "2.3", "approved_on": "2026-03-01", "approved_by": "Board of Trustees",
            "minute": "2026/14"}


def make_project(target: Path, policy: dict | None = POLICY) -> Path:
    """A copy of the fixture site with the induction pages, a second policy page and notes."""
    shutil.copytree(SITE_FIXTURE, target)
    docs = target / "docs"
    (docs / "induction").mkdir()
    (docs / "induction" / "index.md").write_text(INDEX, encoding="utf-8")
    (docs / "induction" / "practice.md").write_text(PRACTICE, encoding="utf-8")
    (docs / "induction" / "acknowledgement.md").write_text(ACKNOWLEDGEMENT, encoding="utf-8")
    (docs / "induction" / "practice-questions.yml").write_text(QUESTIONS, encoding="utf-8")
    (docs / "policy" / "long.md").write_text(f"# A long page\n\n{words(450)}\n", encoding="utf-8")
    (docs / "policy" / "editorial-notes.md").write_text("# Editorial notes\n\nNotes.\n")
    config_path = target / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["nav"] = [
        "index.md",
        {
            "New to CWC?": [
                "induction/index.md",
                "induction/practice.md",
                "induction/acknowledgement.md",
            ]
        },
        {"The policy": ["policy/long.md", "policy/rules.md", "policy/editorial-notes.md"]},
        {"Guides": ["embedded.md"]},
    ]
    config["plugins"] = [
        {"cwc-decision-trees": {"coverage_exclude": ["policy/editorial-notes.md"]}}
    ]
    if policy is not None:
        config["extra"] = {"policy": policy}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def build(project: Path, site: Path) -> Path:
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extended fixture site, built once."""
    root = tmp_path_factory.mktemp("induction")
    return build(make_project(root / "project"), root / "site")


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def questions_in(html: str) -> list[dict]:
    """Each question of a built quiz: key, situation, choices and its data."""
    section = html[html.index('<section class="cwc-quiz"') :]
    blocks = section.split('<li class="cwc-quiz__question"')[1:]
    found = []
    for block in blocks:
        block = block[: block.index("</script>") + len("</script>")]  # ends with its data
        found.append(
            {
                "key": QUESTION.search('<li class="cwc-quiz__question"' + block).group("key"),
                "situation": LEGEND.search(block).group("text"),
                "choices": RADIO.findall(block),
                "data": json.loads(DATA.search(block).group("json")),
                "block": block,
            }
        )
    return found


def test_reading_list_is_computed_at_build_time(fixture_build: Path) -> None:
    """The marker becomes the policy pages in nav order, each with its reading time."""
    html = read(fixture_build, "induction/index.html")
    assert "<!-- reading-list -->" not in html
    items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> \(([^)]+)\)</li>', html)
    assert items == [
        ("../policy/long.html", "A long page", "about 3 minutes"),
        ("../policy/rules.html", "Rules", "about 1 minute"),
    ]
    assert "In all, about 4 minutes of reading." in html
    assert "Editorial notes" not in html.split('class="md-content"')[1].split("cwc-stamp")[0]










def test_practice_page_loads_the_runtime_and_quiz_script_only_there(fixture_build: Path) -> None:
    """The quiz page loads the runtime loader and quiz.js; the reading path loads neither."""
    practice = read(fixture_build, "induction/practice.html")
    assert re.search(SCRIPT.format(name="cwc-runtime"), practice)
    assert re.search(SCRIPT.format(name="quiz"), practice)
    index = read(fixture_build, "induction/index.html")
    assert "cwc-runtime.js" not in index and "quiz.js" not in index
    for name in ("quiz.js", "acknowledgement.js", "induction.css"):
        assert (fixture_build / "assets" / "cwc-runtime" / name).is_file()


def test_acknowledgement_names_the_version_and_says_awaiting_approval(fixture_build: Path) -> None:
    """Version from extra.policy; with no approval date, it says it awaits approval."""
    html = read(fixture_build, "induction/acknowledgement.html")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "I have read and understood the Confidentiality Policy, version 2.3, which is "
        "awaiting approval by the Board of Trustees."
    ) in text
    assert re.search(SCRIPT.format(name="acknowledgement"), html)
    assert "cwc-runtime.js" not in html  # no Python needed to sign


def test_acknowledgement_gives_the_approval_date_once_approved(tmp_path: Path) -> None:
    """With this version's approval on record, the statement names who approved it and when."""
    project = make_project(tmp_path / "project", {**POLICY, "approvals": [APPROVAL]})
    html = read(build(project, tmp_path / "site"), "induction/acknowledgement.html")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "version 2.3, approved by the Board of Trustees on 2026-03-01 ." in text


def test_acknowledgement_fields_are_never_sent_or_remembered(fixture_build: Path) -> None:
    """Nothing to submit; every field has autocomplete off, the quiz's through its form."""
    html = read(fixture_build, "induction/acknowledgement.html")
    section = html[html.index('<section class="cwc-ack"') : html.index("</section>")]
    assert "<form" not in html
    inputs = re.findall(r"<input[^>]*>", section)
    assert len(inputs) == 4
    assert all('autocomplete="off"' in tag for tag in inputs)
    practice = read(fixture_build, "induction/practice.html")
    # method="dialog" outside a dialog never submits, navigates or sends anything.
    assert re.findall(r"<form[^>]*>", practice) == [
        '<form class="cwc-quiz__form" method="dialog" autocomplete="off">']
    assert re.findall(r'<input type="radio"[^>]*>', practice)


def test_acknowledgement_without_document_control_fails_the_build(tmp_path: Path) -> None:
    """A site with no extra.policy cannot say which version was read: the build stops."""
    project = make_project(tmp_path / "project", policy=None)
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/induction/acknowledgement.md: the acknowledgement needs extra.policy.title" in (
        result.stderr
    )


# --- the real site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(built_site: Path) -> Path:
    return built_site




def test_real_reading_path_lists_the_policy_pages_in_nav_order(real_site: Path) -> None:
    """The eight policy pages of the nav, in order, without the editorial notes."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = [
        p
        for p in nav_pages(config["nav"])
        if p.startswith("policy/")
        and p != "policy/editorial-notes.md"
        and (ROOT / "docs" / p).exists()
    ]
    html = read(real_site, "induction/index.html")
    links = re.findall(r'<li><a href="\.\./(policy/[^"]+)\.html">', html)
    assert links == [p.removesuffix(".md") for p in nav]


# --- the practice questions, built -----------------------------------------------------


def test_quiz_shows_each_question_with_its_choices(fixture_build: Path) -> None:
    """Each question of the file becomes a situation with all its actions, each keeping
    its index in the file as its value, shuffled by the question's id."""
    from build_tools.site.quiz import QuizChoice, QuizQuestion, shuffled

    questions = questions_in(read(fixture_build, "induction/practice.html"))
    assert [q["key"] for q in questions] == ["friend-asks"]
    assert questions[0]["situation"] == "A friend asks about a client."
    assert sorted(questions[0]["choices"]) == ["0", "1", "2"]
    # The order is fixed by the id (the same every build) and differs between ids.
    choice = QuizChoice(action="x", explanation="y")
    orders = {tuple(j for j, _ in shuffled(QuizQuestion(
        id=f"q-{n}", lesson="l", situation="s", guide="g", answers=["a"],
        choices=[choice] * 4))) for n in range(12)}
    assert len(orders) > 3
    assert {order[0] for order in orders} != {0}


def test_the_right_answer_is_not_in_the_html_only_what_the_engine_needs(
    fixture_build: Path,
) -> None:
    """No 'correct' mark: the page carries engine data and answers; the engine decides."""
    from build_tools.trees.engine import outcome_for

    html = read(fixture_build, "induction/practice.html")
    for question in questions_in(html):
        block = question["block"]
        assert "correct" not in block.lower()
        assert not re.search(r"<input[^>]*\bchecked\b", block)
        right = outcome_for(question["data"]["tree"], question["data"]["answers"])
        assert f'data-outcome="{right}"' in block
        # Every action has its explanation ready, so none stands out.
        assert len(re.findall(r"data-explains=", block)) == len(question["choices"])


def test_a_more_protective_action_is_marked_accepted(fixture_build: Path) -> None:
    """Only the choice the file marks 'accepted' carries data-accepted."""
    block = questions_in(read(fixture_build, "induction/practice.html"))[0]["block"]
    radios = re.findall(r"<input [^>]*>", block)
    accepted = {re.search(r'value="(\d)"', tag)[1] for tag in radios if "data-accepted" in tag}
    assert accepted == {"1"}


def test_the_walk_link_prefills_the_answers(fixture_build: Path) -> None:
    """"Walk through this situation" opens the guide with the question's answers."""
    from build_tools.trees.engine import to_fragment

    block = questions_in(read(fixture_build, "induction/practice.html"))[0]["block"]
    assert f'href="../embedded.html#{to_fragment("embedded-guide", ["Yes"])}"' in block


def test_a_broken_practice_file_stops_the_build_at_its_line(tmp_path: Path) -> None:
    """A question whose answers leave the guide fails the build with file:line:col."""
    project = make_project(tmp_path / "project")
    path = project / "docs" / "induction" / "practice-questions.yml"
    path.write_text(QUESTIONS.replace('answers: ["Yes"]', 'answers: ["Maybe"]'), "utf-8")
    result = build_site(tmp_path / "site", project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/induction/practice-questions.yml:6:14: error: practice question 'friend-asks'" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_real_quiz_has_hand_picked_questions_that_agree_with_the_guides(real_site: Path) -> None:
    """Every question of the real file is on the page, and its right choice is the guide's."""
    from build_tools.trees.engine import outcome_for

    source = yaml.safe_load((ROOT / "docs" / "induction" / "practice-questions.yml").read_text())
    questions = questions_in(read(real_site, "induction/practice.html"))
    assert [q["key"] for q in questions] == [q["id"] for q in source["questions"]]
    for question in questions:
        right = outcome_for(question["data"]["tree"], question["data"]["answers"])
        assert question["block"].count(f'data-outcome="{right}"') == 1
        assert 3 <= len(question["choices"]) <= 5
