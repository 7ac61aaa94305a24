"""The volunteer induction (build_tools/site/induction.py): reading path, practice, acknowledgement.

Fast tests, no browser: the core functions, then real builds of a copy of the fixture site
(tests/fixtures/site) extended with the three induction pages, and of the real site.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from build_tools.site import induction
from build_tools.trees.engine import outcome_for, to_fragment
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
    nav = induction.flatten_nav(
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
    replaced = induction.replace_markers(text, {"reading-list": lambda: "LIST"})
    assert replaced == "LIST\n```\n<!-- reading-list -->\n```\n"


# --- practice questions: selection and choices -----------------------------------------


def tree(tree_id: str, outcomes: dict[str, str], scenarios: list[str]) -> SimpleNamespace:
    return SimpleNamespace(
        id=tree_id,
        outcomes={oid: SimpleNamespace(title=title) for oid, title in outcomes.items()},
        scenarios=[SimpleNamespace(name=name, answers=["Yes"], outcome="x") for name in scenarios],
    )


def test_one_question_per_guide_preferring_situations_no_other_guide_tells() -> None:
    """A router guide repeating others' situations gets its own; guides with none, nothing."""
    router = tree("which", {"a": "A"}, ["Shared one", "Only the router tells this"])
    guide = tree("guide", {"a": "A"}, ["Shared one", "Another"])
    empty = tree("empty", {"a": "A"}, [])
    chosen = induction.select_scenarios([router, guide, empty])
    assert [(t.id, i) for t, i in chosen] == [("which", 1), ("guide", 1)]


def test_a_shared_situation_is_asked_once_when_a_guide_has_no_other() -> None:
    """If a guide only has situations others tell too, the first not yet asked is used."""
    first = tree("first", {"a": "A"}, ["Shared"])
    second = tree("second", {"a": "A"}, ["Shared"])
    chosen = induction.select_scenarios([first, second])
    assert [(t.id, i) for t, i in chosen] == [("first", 0)]


def test_outcomes_with_the_same_title_are_one_choice() -> None:
    """Two outcomes a reader cannot tell apart are offered once, standing for both."""
    guide = tree("g", {"a": "Report it", "b": "Keep it", "c": "Report  it"}, [])
    choices = induction.choices(guide, "A situation")
    assert sorted((c.title, c.outcomes) for c in choices) == [
        ("Keep it", ("b",)),
        ("Report it", ("a", "c")),
    ]


def test_choice_order_is_stable_and_not_the_file_order() -> None:
    """The same order at every build, shuffled by the question (not by the YAML order)."""
    guide = tree("g", {f"o{i}": f"Outcome {i}" for i in range(8)}, [])
    first = [c.title for c in induction.choices(guide, "Situation one")]
    assert first == [c.title for c in induction.choices(guide, "Situation one")]
    assert sorted(first) == [f"Outcome {i}" for i in range(8)]
    assert first != [f"Outcome {i}" for i in range(8)]
    assert first != [c.title for c in induction.choices(guide, "Situation two")]


# --- builds of the fixture site ---------------------------------------------------------

INDEX = "# New to CWC? Start here\n\n## Read the policy in this order\n\n<!-- reading-list -->\n"
PRACTICE = "# Practice\n\n<!-- practice-quiz -->\n"
ACKNOWLEDGEMENT = "# Acknowledgement\n\n<!-- acknowledgement -->\n"
POLICY = {
    "title": "Confidentiality Policy",
    "organisation": "Fixture charity",
    "version": "2.3",
    "approved_by": "Board of Trustees",
    "approved_on": "",
    "next_review": "2030-01-01",
}


def make_project(target: Path, policy: dict | None = POLICY) -> Path:
    """A copy of the fixture site with the induction pages, a second policy page and notes."""
    shutil.copytree(SITE_FIXTURE, target)
    docs = target / "docs"
    (docs / "induction").mkdir()
    (docs / "induction" / "index.md").write_text(INDEX, encoding="utf-8")
    (docs / "induction" / "practice.md").write_text(PRACTICE, encoding="utf-8")
    (docs / "induction" / "acknowledgement.md").write_text(ACKNOWLEDGEMENT, encoding="utf-8")
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


def test_quiz_has_one_question_per_guide_with_a_scenario(fixture_build: Path) -> None:
    """The fixture's only scenario becomes the only question, its outcomes the choices."""
    questions = questions_in(read(fixture_build, "induction/practice.html"))
    assert [q["situation"] for q in questions] == ["A friend asks about a client"]
    assert sorted(questions[0]["choices"]) == ["ask", "no-telling"]


def test_a_new_scenario_in_a_guide_is_a_new_question(tmp_path: Path) -> None:
    """Adding a scenario to a guide's YAML adds a question to the compiled quiz."""
    project = make_project(tmp_path / "project")
    guide = project / "decision_trees" / "dropped-in.yaml"
    guide.write_text(
        guide.read_text(encoding="utf-8")
        + "scenarios:\n  - name: Someone switches the heating off\n    answers: [Off]\n"
        "    outcome: done-too\n",
        encoding="utf-8",
    )
    html = read(build(project, tmp_path / "site"), "induction/practice.html")
    questions = questions_in(html)
    assert [q["situation"] for q in questions] == [
        "A friend asks about a client",
        "Someone switches the heating off",
    ]
    added = questions[1]
    assert added["key"] == "dropped-in-1"
    assert added["data"]["answers"] == ["Off"]
    assert sorted(added["choices"]) == ["done", "done-too"]
    assert 'href="../guides/dropped-in.html#dropped-in=Off"' in added["block"]


def test_the_right_answer_is_not_in_the_html_only_what_the_engine_needs(
    fixture_build: Path,
) -> None:
    """No 'correct' mark: the page carries engine data and answers; the engine decides."""
    html = read(fixture_build, "induction/practice.html")
    for question in questions_in(html):
        assert "correct" not in question["block"].lower()
        assert not re.search(r"<input[^>]*\bchecked\b", question["block"])
        right = outcome_for(question["data"]["tree"], question["data"]["answers"])
        assert any(right in choice.split() for choice in question["choices"])
        # Every outcome of the guide has its explanation ready, so none stands out.
        assert len(re.findall(r"data-explains=", question["block"])) == len(
            question["data"]["tree"]["outcomes"]
        )


def test_explanations_cite_clauses_and_link_to_the_guide_walk(fixture_build: Path) -> None:
    """Each explanation lists its cited clauses; the walk link pre-fills the answers."""
    block = questions_in(read(fixture_build, "induction/practice.html"))[0]["block"]
    assert '<a href="../policy/rules.html#keep-quiet">Rules: Keep it to yourself</a>' in block
    assert f'href="../embedded.html#{to_fragment("embedded-guide", ["Yes"])}"' in block


def test_practice_page_loads_the_runtime_and_quiz_script_only_there(fixture_build: Path) -> None:
    """The quiz page loads the runtime loader and quiz.js; the reading path loads neither."""
    practice = read(fixture_build, "induction/practice.html")
    assert '<script src="../assets/cwc-runtime/cwc-runtime.js" defer>' in practice
    assert '<script src="../assets/cwc-runtime/quiz.js" defer>' in practice
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
    assert '<script src="../assets/cwc-runtime/acknowledgement.js" defer>' in html
    assert "cwc-runtime.js" not in html  # no Python needed to sign


def test_acknowledgement_gives_the_approval_date_once_approved(tmp_path: Path) -> None:
    """With approved_on set, the statement names who approved it and when."""
    project = make_project(tmp_path / "project", {**POLICY, "approved_on": "2026-03-01"})
    html = read(build(project, tmp_path / "site"), "induction/acknowledgement.html")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "version 2.3, approved by the Board of Trustees on 2026-03-01 ." in text


def test_acknowledgement_fields_are_never_sent_or_remembered(fixture_build: Path) -> None:
    """No form, nothing to submit; every field has autocomplete off."""
    html = read(fixture_build, "induction/acknowledgement.html")
    section = html[html.index('<section class="cwc-ack"') : html.index("</section>")]
    assert "<form" not in html
    inputs = re.findall(r"<input[^>]*>", section)
    assert len(inputs) == 4
    assert all('autocomplete="off"' in tag for tag in inputs)
    assert "<form" not in read(fixture_build, "induction/practice.html")


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


def test_real_quiz_asks_each_guide_one_of_its_own_situations(real_site: Path) -> None:
    """One question per guide, each a scenario of that guide, with the guide's outcomes."""
    manifest = json.loads(read(real_site, "decision-trees.json"))
    trees = {t["id"]: t for t in manifest["trees"]}
    questions = questions_in(read(real_site, "induction/practice.html"))
    assert sorted(q["data"]["tree"]["id"] for q in questions) == sorted(trees)
    for question in questions:
        tree = trees[question["data"]["tree"]["id"]]
        scenario = next(
            s for s in tree["scenarios"] if s["name"] == html.unescape(question["situation"])
        )
        assert question["data"]["answers"] == scenario["answers"]
        offered = {oid for choice in question["choices"] for oid in choice.split()}
        assert offered == set(tree["outcomes"])


def test_real_reading_path_lists_the_policy_pages_in_nav_order(real_site: Path) -> None:
    """The eight policy pages of the nav, in order, without the editorial notes."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = [
        p
        for p in induction.flatten_nav(config["nav"])
        if p.startswith("policy/")
        and p != "policy/editorial-notes.md"
        and (ROOT / "docs" / p).exists()
    ]
    html = read(real_site, "induction/index.html")
    links = re.findall(r'<li><a href="\.\./(policy/[^"]+)\.html">', html)
    assert links == [p.removesuffix(".md") for p in nav]
