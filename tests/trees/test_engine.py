"""The engine: the one place that decides what comes next (stdlib only, deterministic)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.trees import engine
from build_tools.trees.engine import Engine, InvalidAnswer, outcome_for
from build_tools.trees.paths import enumerate_paths

SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CWC_ENGINE_PROFILE") == "mutation",  # benchmarks/mutation.py
)

DATA = {
    "id": "share",
    "start": "harm",
    "questions": {
        "harm": {"options": [{"label": "Yes", "next": "tell"}, {"label": "No", "next": "agree"}]},
        "agree": {"options": [{"label": "Yes", "next": "share"}, {"label": "No", "next": "keep"},
                              {"label": "a/b %", "next": "tell"}]},
    },
    "outcomes": {"tell": {"kind": "danger"}, "share": {"kind": "success"},
                 "keep": {"kind": "info"}},
}

LABELS = st.sampled_from(["Yes", "No", "On", "Off", "a/b", "50%", "é ✓", "x=y", "#", " ", "n"])


@st.composite
def dags(draw: st.DrawFn) -> dict:
    """Random engine data: questions that lead only to later questions or to outcomes."""
    n_questions = draw(st.integers(1, 7))
    n_outcomes = draw(st.integers(1, 4))
    questions = {}
    for i in range(n_questions):
        labels = draw(st.lists(LABELS, min_size=2, max_size=4, unique=True))
        later = [f"q{j}" for j in range(i + 1, n_questions)] + [f"o{j}" for j in range(n_outcomes)]
        options = [{"label": label, "next": draw(st.sampled_from(later))} for label in labels]
        questions[f"q{i}"] = {"options": options}
    outcomes = {f"o{j}": {"kind": "info"} for j in range(n_outcomes)}
    return {"id": "random", "start": "q0", "questions": questions, "outcomes": outcomes}


ACTIONS = st.lists(
    st.one_of(LABELS.map(lambda label: ("choose", label)), st.just(("back", None)),
              st.just(("restart", None)), st.integers(0, 5).map(lambda i: ("change", i))),
    max_size=20,
)


def test_state_at_start() -> None:
    """At the start the state is the first question, with no answers and no way back."""
    assert Engine(DATA).state() == {
        "node": "harm", "kind": "question", "answers": [], "can_go_back": False,
    }


def test_choose_moves_on_and_records_the_answer() -> None:
    """Choosing an option moves to its next node and records question and label."""
    walk = Engine(DATA)
    walk.choose("No")
    state = walk.choose("Yes")
    assert state == {
        "node": "share", "kind": "outcome", "can_go_back": True,
        "answers": [{"question": "harm", "label": "No"}, {"question": "agree", "label": "Yes"}],
    }
    assert walk.answers == ("No", "Yes") and walk.is_outcome()


def test_invalid_answer_names_question_label_and_options() -> None:
    """A label that is not an option says which question, which label, and the valid ones."""
    with pytest.raises(InvalidAnswer, match=r"'Maybe' is not an option of question 'harm'; "
                       r"the options are 'Yes', 'No'"):
        Engine(DATA).choose("Maybe")


def test_choose_at_an_outcome_is_invalid() -> None:
    """There is nothing to answer at an outcome."""
    walk = Engine(DATA)
    walk.choose("Yes")
    with pytest.raises(InvalidAnswer, match="comes after outcome 'tell'"):
        walk.choose("No")


def test_back_at_start_does_nothing() -> None:
    """Back at the start is a no-op."""
    assert Engine(DATA).back()["node"] == "harm"


def test_change_returns_to_an_earlier_question() -> None:
    """change(i) goes back to the i-th question answered and drops that answer and later."""
    walk = Engine(DATA)
    walk.goto(["No", "No"])
    assert walk.change(1)["node"] == "agree" and walk.answers == ("No",)
    assert walk.change(0)["node"] == "harm" and walk.answers == ()


def test_change_out_of_range() -> None:
    """A position with no answer is a clear IndexError."""
    with pytest.raises(IndexError, match="no answer at position 2: there are 1 answers"):
        walk = Engine(DATA)
        walk.goto(["No"])
        walk.change(2)


def test_goto_is_strict_and_atomic() -> None:
    """goto names the step that does not fit and leaves the walk as it was."""
    walk = Engine(DATA)
    walk.choose("No")
    with pytest.raises(InvalidAnswer, match=r"answer 2: 'Maybe' is not an option of question "
                       r"'agree'"):
        walk.goto(["No", "Maybe"])
    assert walk.answers == ("No",)


def test_restore_applies_what_fits() -> None:
    """restore keeps the answers that fit and reports the dropped ones."""
    state = Engine(DATA).restore(["No", "Maybe", "Yes"])
    assert state["node"] == "agree"
    assert (state["restored"], state["dropped"]) == (1, ["Maybe", "Yes"])


def test_outcome_for() -> None:
    """outcome_for replays answers and returns the outcome id."""
    assert outcome_for(DATA, ["No", "a/b %"]) == "tell"
    with pytest.raises(InvalidAnswer, match="answer 2"):
        outcome_for(DATA, ["No"])


def test_data_naming_a_missing_node_is_refused() -> None:
    """The engine never starts on data whose next names no node."""
    bad = json.loads(json.dumps(DATA))
    bad["questions"]["agree"]["options"][0]["next"] = "nowhere"
    with pytest.raises(engine.EngineDataError, match="next 'nowhere' does not exist"):
        Engine(bad)


@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        (["Yes", "No"], "share=Yes/No"),
        (["a/b %"], "share=a%2Fb%20%25"),
        (["é ✓"], "share=%C3%A9%20%E2%9C%93"),
        ([], "share="),
    ],
)
def test_fragment_round_trip(answers: list[str], fragment: str) -> None:
    """Labels are percent-encoded one by one and joined by '/'."""
    assert engine.to_fragment("share", answers) == fragment
    assert engine.from_fragment("#" + fragment) == ("share", answers)


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("yes", "a different case"),
        ("Yes ", "a trailing space"),
        (" Yes", "a leading space"),
        ("Yes\n", "a trailing new line"),
        ("Ye", "a prefix"),
        ("Yes%20", "an encoded form"),
        ("agree", "a question id"),
        ("tell", "an outcome id"),
        ("a/b %", "another question's label"),
    ],
)
def test_only_an_exact_label_of_the_current_question_is_an_answer(label: str, why: str) -> None:
    """A label that is nearly right (case, spaces, encoding, another question's) is refused."""
    walk = Engine(DATA)
    with pytest.raises(InvalidAnswer):
        walk.choose(label)
    assert walk.answers == (), why


def test_a_link_that_repeats_a_path_keeps_the_first_and_drops_the_repeat() -> None:
    """After an outcome nothing fits, not even the start question's own labels."""
    state = Engine(DATA).restore(["No", "Yes", "No", "Yes"])
    assert (state["node"], state["restored"], state["dropped"]) == ("share", 2, ["No", "Yes"])
    with pytest.raises(InvalidAnswer, match="answer 3: 'No' comes after outcome 'share'"):
        Engine(DATA).goto(["No", "Yes", "No"])


def test_a_refused_goto_keeps_the_walk_it_had() -> None:
    """A goto that fails after two fitting answers leaves the walk on its own earlier path."""
    walk = Engine(DATA)
    walk.goto(["Yes"])
    with pytest.raises(InvalidAnswer, match="answer 3"):
        walk.goto(["No", "Yes", "Maybe"])
    assert walk.state() == Engine(DATA).goto(["Yes"])


@pytest.mark.parametrize(
    ("fragment", "tree_id", "answers"),
    [
        ("#share=a=b", "share", ["a=b"]),
        ("share=a%3Db/c", "share", ["a=b", "c"]),
        ("##share=Yes", "#share", ["Yes"]),
        ("#share=Yes#", "share", ["Yes#"]),
        ("#a%3Db=Yes", "a=b", ["Yes"]),
        ("#share=/Yes//No/", "share", ["Yes", "No"]),
        ("#share", "share", []),
    ],
)
def test_hand_written_fragments(fragment: str, tree_id: str, answers: list[str]) -> None:
    """The id ends at the first '='; one leading '#' is dropped; empty parts are skipped."""
    assert engine.from_fragment(fragment) == (tree_id, answers)


@pytest.mark.parametrize("garbage", ["", "#", "=", "%", "%zz/%", "a=b=c", "////", None, 42])
def test_decoding_garbage_never_raises(garbage: object) -> None:
    """Whatever is in the address bar, decoding returns something."""
    tree_id, answers = engine.from_fragment(garbage)
    assert isinstance(tree_id, str) and isinstance(answers, list)


@SETTINGS
@given(data=dags(), actions=ACTIONS)
def test_random_walks_stay_on_existing_nodes(data: dict, actions: list) -> None:
    """Any sequence of actions keeps the engine on a node that exists, with sane history."""
    walk = Engine(data)
    nodes = set(data["questions"]) | set(data["outcomes"])
    for action, argument in actions:
        before = walk.state()
        if action == "choose":
            try:
                after = walk.choose(argument)
            except InvalidAnswer:
                assert walk.state() == before
                continue
            assert walk.back() == before  # back after choose returns to the previous step
            walk.choose(argument)
            assert after["answers"][:-1] == before["answers"]
        elif action == "back":
            walk.back()
        elif action == "restart":
            assert walk.restart() == Engine(data).state()
        elif argument < len(walk.answers):
            walk.change(argument)
        assert walk.node in nodes
        assert walk.state()["can_go_back"] == bool(walk.answers)


@SETTINGS
@given(data=dags())
def test_every_path_replays_to_its_outcome(data: dict) -> None:
    """Each path that paths.enumerate_paths lists ends, in the engine, at its outcome."""
    for path in enumerate_paths(data):
        assert outcome_for(data, path.answers) == path.outcome
        walk = Engine(data)
        assert walk.restore(list(path.answers))["dropped"] == []
        tree_id, answers = engine.from_fragment(engine.to_fragment("t", path.answers))
        assert answers == list(path.answers)


ISOLATED = r"""
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in sys.stdlib_module_names and name != "cwc_engine":
            raise ImportError("not standard library: " + name)
        return None
sys.meta_path.insert(0, Refuse())
import cwc_engine
data = {"start": "q", "questions": {"q": {"options": [{"label": "Yes", "next": "o"},
        {"label": "No", "next": "o"}]}}, "outcomes": {"o": {"kind": "info"}}}
print(cwc_engine.outcome_for(data, ["Yes"]))
"""


def test_engine_imports_nothing_but_the_standard_library(tmp_path: Path) -> None:
    """The engine file runs as 'cwc_engine' with only the standard library (as in Pyodide)."""
    (tmp_path / "cwc_engine.py").write_bytes(Path(engine.__file__).read_bytes())
    stdlib = sysconfig.get_paths()["stdlib"]
    stdlib_dirs = [stdlib, str(Path(stdlib) / "lib-dynload")]
    script = f"import sys; sys.path[:] = {[str(tmp_path), *stdlib_dirs]!r}\n" + ISOLATED
    result = subprocess.run([sys.executable, "-I", "-S", "-c", script],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "o"
