"""Engine properties on deep generated trees and on every real guide, against a reference.

Walks choose among the *current* question's real options (and sometimes a label that is
not one), so they go as deep as the trees do: generated DAGs up to MAX_DEPTH questions on
their longest path (deeper than any real guide, which a test checks), and every guide in
decision_trees/ (read from the files: no id is written here).

The expected behaviour comes from ``Reference``, written here from the tree data alone (a
dict walk over a trail list, the node found by replaying the trail from the start), not
from the engine under test.

Hypothesis profiles (``CWC_ENGINE_PROFILE``): ``fast`` (the default, for the fast suite),
``mutation`` (the same examples every run: benchmarks/mutation.py uses it) and
``thorough`` (many more examples, for a change to the engine).
"""

from __future__ import annotations

import copy
import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from build_tools.trees import engine
from build_tools.trees.engine import Engine, EngineDataError, InvalidAnswer, outcome_for
from build_tools.trees.engine_data import engine_data
from build_tools.trees.model import Option
from build_tools.trees.paths import count_paths, enumerate_paths
from tests.helpers import real_trees
from tests.locations import TREE_IDS

settings.register_profile(
    "cwc-engine-fast", max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("cwc-engine-mutation", settings.get_profile("cwc-engine-fast"),
                          derandomize=True)
settings.register_profile("cwc-engine-thorough", settings.get_profile("cwc-engine-fast"),
                          max_examples=2000)
PROFILE = settings.get_profile("cwc-engine-" + os.environ.get("CWC_ENGINE_PROFILE", "fast"))
GUIDE_PROFILE = settings(PROFILE, max_examples=max(PROFILE.max_examples // 4, 6))
"""The real guides are small and there are several: fewer examples each."""

MAX_DEPTH = 14
"""The most questions on the longest path of a generated tree."""
PATH_LIMIT = 2_000
"""Generated trees with more paths than this are checked path by path only on walks."""

# Labels that a codec or a comparison could get wrong.
TRICKY = ["Yes", "No", "Not sure", "yes", "Yes ", " Yes", "No, or I do not know",
          "a/b", "/", "//", "50%", "%", "%2F", "%25", "%zz", "a%2", "%%", " ", "  ", "\u00a0",
          "\u200b", "\t", "\n", "x=y", "=", "#", "#a=b", "?q=1&r=2", "+", "a+b", "é ✓", "🙂",
          "中文", "..", ".", "~", "'", '"', "<b>", "\\", "null", "0", "-1", "Ünïcödé/%20"]
LABELS = st.one_of(st.sampled_from(tuple(TRICKY)), st.text(min_size=1, max_size=8))
"""Any label a guide could have (the model refuses the empty label: a test checks that)."""
TREE_ID_TEXT = st.one_of(st.sampled_from(("police", "a=b", "=", "%", "%41", "#x", "x#", "é/ü",
                                          "a b", "")), st.text(max_size=6))
"""Tree ids for the codec: real ones are plain, but the codec must not depend on it."""


class Reference:
    """What the engine must do, from the tree data alone: a dict walk with a trail list."""

    def __init__(self, questions: dict[str, list[tuple[str, str]]], outcomes: set[str],
                 start: str) -> None:
        self.questions = questions
        self.outcomes = outcomes
        self.start = start
        self.trail: list[tuple[str, str]] = []  # (question, label) for every answer
        self._depths: dict[str, int] = {}

    @classmethod
    def of_data(cls, data: dict) -> Reference:
        """The reference for engine data."""
        questions = {qid: [(o["label"], o["next"]) for o in q["options"]]
                     for qid, q in data["questions"].items()}
        return cls(questions, set(data["outcomes"]), data["start"])

    @classmethod
    def of_tree(cls, tree) -> Reference:
        """The reference for a loaded guide, read from its model (not from engine_data)."""
        questions = {qid: [(o.label, o.next) for o in q.options]
                     for qid, q in tree.questions.items()}
        return cls(questions, set(tree.outcomes), tree.start)

    def after(self, labels: list[str]) -> tuple[list[tuple[str, str]], str]:
        """Walk ``labels`` from the start while they fit: the trail and the node reached."""
        trail, node = [], self.start
        for label in labels:
            following = dict(self.questions.get(node, []))
            if label not in following:
                break
            trail.append((node, label))
            node = following[label]
        return trail, node

    @property
    def node(self) -> str:
        trail, node = self.after([label for _, label in self.trail])
        assert len(trail) == len(self.trail)
        return node

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.trail)

    def options(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.questions.get(self.node, []))

    def state(self) -> dict:
        return {"node": self.node,
                "kind": "outcome" if self.node in self.outcomes else "question",
                "answers": [{"question": q, "label": label} for q, label in self.trail],
                "can_go_back": len(self.trail) > 0}

    def paths(self) -> list[tuple[tuple[str, ...], str]]:
        """Every start → outcome path in option order (a plain recursion)."""
        def down(node: str, labels: tuple[str, ...]) -> list:
            if node not in self.questions:
                return [(labels, node)]
            return [p for label, nxt in self.questions[node] for p in down(nxt, labels + (label,))]
        return down(self.start, ())

    def count(self) -> int:
        """How many paths there are (memoised, for trees with too many to list)."""
        memo: dict[str, int] = {}
        def n(node: str) -> int:
            if node not in memo:
                memo[node] = (sum(n(nxt) for _, nxt in self.questions[node])
                              if node in self.questions else 1)
            return memo[node]
        return n(self.start)

    def depth(self, node: str) -> int:
        """The most answers from ``node`` to an outcome."""
        if node not in self.questions:
            return 0
        if node not in self._depths:
            self._depths[node] = 1 + max(self.depth(nxt) for _, nxt in self.questions[node])
        return self._depths[node]

    def labels_elsewhere(self) -> tuple[str, ...]:
        """Every label of every question: stale-looking answers for the current one."""
        return tuple(sorted({label for opts in self.questions.values() for label, _ in opts}))


@st.composite
def trees(draw: st.DrawFn, max_depth: int = MAX_DEPTH) -> dict:
    """Engine data for a DAG whose longest path has between 1 and ``max_depth`` questions.

    A spine of questions leads each to the next (one of its options, at a random place);
    the other options lead to any later question or to an outcome. Ids are shuffled, so
    the start is not always the first question written, nor 'q0'.
    """
    depth = draw(st.one_of(st.integers(1, max_depth), st.integers(10, max_depth)), label="depth")
    n_outcomes = draw(st.integers(1, 4))
    names = [f"q{i}" for i in draw(st.permutations(range(depth)))]
    outcomes = [f"o{j}" for j in range(n_outcomes)]
    questions = {}
    for i, qid in enumerate(names):
        labels = draw(st.lists(LABELS, min_size=1, max_size=4, unique=True))
        spine = names[i + 1] if i + 1 < depth else draw(st.sampled_from(outcomes))
        at = draw(st.integers(0, len(labels) - 1))
        targets = [spine if k == at else draw(st.one_of(st.sampled_from(outcomes),
                                                        st.sampled_from(names[i + 1:] or outcomes)))
                   for k in range(len(labels))]
        questions[qid] = {"options": [{"label": label, "next": nxt}
                                      for label, nxt in zip(labels, targets, strict=True)]}
    order = draw(st.permutations(list(questions)))
    return {"id": "generated", "start": names[0],
            "questions": {qid: questions[qid] for qid in order},
            "outcomes": {oid: {"kind": "info"} for oid in outcomes}}


def invalid_label(draw: st.DrawFn, ref: Reference) -> str:
    """A label that is not an option of the current question (often one of another's)."""
    valid = set(ref.options())
    label = draw(st.one_of(st.sampled_from(ref.labels_elsewhere()), LABELS))
    while label in valid:  # an option of this question: make it one that is not
        label += draw(st.sampled_from(("!", " ", "/", "%")))
    return label


def dive(draw: st.DrawFn, ref: Reference) -> list[str]:
    """Labels of one whole path from the start to an outcome, each a real option.

    Half the dives take a deepest way down (as deep as the tree goes), the others any way.
    """
    deep = draw(st.booleans(), label="deepest way")
    labels: list[str] = []
    while True:
        _, node = ref.after(labels)
        if node not in ref.questions:
            return labels
        options = ref.questions[node]
        if deep:
            labels.append(max(options, key=lambda option: ref.depth(option[1]))[0])
        else:
            labels.append(draw(st.sampled_from(tuple(label for label, _ in options))))


def check_same(walk: Engine, ref: Reference) -> None:
    """The engine and the reference agree on everything the engine shows."""
    assert walk.state() == ref.state()
    assert walk.node == ref.node
    assert walk.answers == ref.answers
    assert walk.options() == ref.options()
    assert walk.is_outcome() is (ref.node in ref.outcomes)


ACTIONS = ("choose",) * 8 + ("dive", "dive", "invalid", "back", "back", "restart", "change",
                             "change", "bad change", "goto", "bad goto", "restore", "link")


def act(draw: st.DrawFn, data: dict, walk: Engine, ref: Reference, action: str) -> None:
    """Do one action on the engine and check it against the reference."""
    before = ref.state()
    if action == "choose" and ref.options():
        label = draw(st.sampled_from(ref.options()))
        ref.trail.append((ref.node, label))
        assert walk.choose(label) == ref.state()
    elif action == "dive":
        for label in dive(draw, Reference(ref.questions, ref.outcomes, ref.node)):
            ref.trail.append((ref.node, label))
            assert walk.choose(label) == ref.state()
    elif action in ("invalid", "choose"):  # "choose" at an outcome: nothing is valid
        label = invalid_label(draw, ref) if action == "invalid" else draw(LABELS)
        with pytest.raises(InvalidAnswer) as raised:
            walk.choose(label)
        error = raised.value
        assert (error.question, error.label, error.valid, error.step) == (
            before["node"], label, ref.options(), None)
    elif action == "back":
        state = walk.back()
        if ref.trail:
            assert state["node"] == ref.trail[-1][0]  # the question of the last answer
            ref.trail.pop()
        assert state == ref.state()
    elif action == "restart":
        ref.trail.clear()
        assert walk.restart() == ref.state()
    elif action == "change" and ref.trail:
        index = draw(st.integers(0, len(ref.trail) - 1))
        question = ref.trail[index][0]
        del ref.trail[index:]
        state = walk.change(index)
        assert state == ref.state() and state["node"] == question
    elif action in ("change", "bad change"):
        n = len(ref.trail)
        index = draw(st.sampled_from([-1, -n - 1, n, n + 1, 10**6, 0 if not n else -n]))
        with pytest.raises(IndexError, match=f"no answer at position {index}: there are {n} "):
            walk.change(index)
    elif action == "goto":
        labels = dive(draw, ref)[: draw(st.integers(0, MAX_DEPTH + 1))]
        ref.trail = ref.after(labels)[0]
        assert walk.goto(labels) == ref.state()
    elif action == "bad goto":
        labels = dive(draw, ref)
        cut = draw(st.integers(0, len(labels)))
        trail, node = ref.after(labels[:cut])
        wrong = invalid_label(draw, Reference(ref.questions, ref.outcomes, node))
        with pytest.raises(InvalidAnswer) as raised:
            walk.goto([*labels[:cut], wrong, *labels[cut:]])
        error = raised.value
        valid = tuple(label for label, _ in ref.questions.get(node, []))
        assert (error.question, error.label, error.valid, error.step) == (
            node, wrong, valid, cut + 1)
    elif action == "restore":
        labels = dive(draw, ref)
        cut = draw(st.integers(0, len(labels)))
        tail = draw(st.lists(st.one_of(st.sampled_from(ref.labels_elsewhere()), LABELS),
                             max_size=3))
        given_labels = labels[:cut] + tail
        ref.trail = ref.after(given_labels)[0]
        state = walk.restore(given_labels)
        n = len(ref.trail)
        assert state == {**ref.state(), "restored": n, "dropped": given_labels[n:]}
    elif action == "link":  # what a reload does: the link's answers, decoded, restored
        fragment = engine.to_fragment("generated", walk.answers)
        tree_id, labels = engine.from_fragment("#" + fragment)
        state = Engine(data).restore(labels)
        assert tree_id == "generated"
        assert state == {**ref.state(), "restored": len(ref.trail), "dropped": []}
    check_same(walk, ref)


def run_walk(data: dict, draw: st.DrawFn, steps: int) -> int:
    """Walk ``steps`` random actions over ``data``; return the most answers reached.

    The data is left as it was, and a second engine on it stays at the start.
    """
    kept = copy.deepcopy(data)
    walk, ref, other = Engine(data), Reference.of_data(data), Engine(data)
    check_same(walk, ref)
    deepest = 0
    for _ in range(steps):
        act(draw, data, walk, ref, draw(st.sampled_from(ACTIONS), label="action"))
        deepest = max(deepest, len(ref.trail))
    assert data == kept
    assert other.state() == Engine(data).state() and other.answers == ()
    return deepest


@pytest.fixture(scope="module")
def guides() -> dict:
    """Every real guide in decision_trees/, as (tree, engine data), by id."""
    found = real_trees()
    return {tree.id: (tree, engine_data(tree)) for tree in found}


# Generated trees ---------------------------------------------------------------------------

@PROFILE
@given(draw=st.data())
def test_generated_walks_agree_with_the_reference(draw: st.DataObject) -> None:
    """Random actions on a generated DAG: each time the engine says what the reference does."""
    data = draw.draw(trees())
    steps = draw.draw(st.one_of(st.integers(1, 40), st.integers(20, 40)), label="steps")
    deepest = run_walk(data, draw.draw, steps)
    event(f"most answers in a walk: {deepest // 5 * 5}-{deepest // 5 * 5 + 4}")


@PROFILE
@given(draw=st.data())
def test_back_undoes_exactly_the_last_answer(draw: st.DataObject) -> None:
    """Down a whole path and back up: each Back returns to the state one answer earlier."""
    data = draw.draw(trees())
    ref = Reference.of_data(data)
    walk = Engine(data)
    seen = [walk.state()]
    for label in dive(draw.draw, ref):
        seen.append(walk.choose(label))
    for state in reversed(seen[:-1]):
        assert walk.back() == state
    assert walk.back() == seen[0]  # at the start, Back does nothing


@PROFILE
@given(draw=st.data())
def test_change_keeps_exactly_the_first_answers(draw: st.DataObject) -> None:
    """change(i) on a whole path keeps the first i answers and shows question i again."""
    data = draw.draw(trees())
    labels = dive(draw.draw, Reference.of_data(data))
    walk = Engine(data)
    seen = [walk.state()] + [walk.choose(label) for label in labels]
    for index in range(len(labels)):
        walk.goto(labels)
        assert walk.change(index) == seen[index]
        assert walk.answers == tuple(labels[:index])


@PROFILE
@given(draw=st.data())
def test_restore_replays_a_path_and_drops_a_stale_tail(draw: st.DataObject) -> None:
    """restore(path) ends at its outcome; after a wrong or extra label, the rest is dropped."""
    data = draw.draw(trees())
    ref = Reference.of_data(data)
    labels = dive(draw.draw, ref)
    outcome = ref.after(labels)[1]
    state = Engine(data).restore(labels)
    assert (state["node"], state["kind"], state["restored"], state["dropped"]) == (
        outcome, "outcome", len(labels), [])
    assert outcome_for(data, labels) == outcome

    tail = draw.draw(st.lists(LABELS, min_size=1, max_size=3))
    for extra in (tail, labels):  # nothing fits after an outcome, not even the path again
        state = Engine(data).restore(labels + extra)
        assert (state["node"], state["restored"], state["dropped"]) == (
            outcome, len(labels), extra)

    cut = draw.draw(st.integers(0, len(labels) - 1))
    trail, node = ref.after(labels[:cut])
    wrong = invalid_label(draw.draw, Reference(ref.questions, ref.outcomes, node))
    stale = [*labels[:cut], wrong, *labels[cut:]]
    state = Engine(data).restore(stale)
    assert (state["node"], state["restored"], state["dropped"]) == (node, cut, stale[cut:])
    assert state["answers"] == [{"question": q, "label": label} for q, label in trail]


@PROFILE
@given(draw=st.data())
def test_goto_is_strict(draw: st.DataObject) -> None:
    """goto takes a path whole, or refuses it naming the step, leaving the walk as it was."""
    data = draw.draw(trees())
    ref = Reference.of_data(data)
    first, second = dive(draw.draw, ref), dive(draw.draw, ref)
    walk = Engine(data)
    walk.goto(first)
    assert walk.answers == tuple(first) and walk.is_outcome()
    before = walk.state()

    cut = draw.draw(st.integers(0, len(second)))
    _, node = ref.after(second[:cut])
    wrong = invalid_label(draw.draw, Reference(ref.questions, ref.outcomes, node))
    with pytest.raises(InvalidAnswer) as raised:
        walk.goto([*second[:cut], wrong])
    valid = tuple(label for label, _ in ref.questions.get(node, []))
    assert (raised.value.step, raised.value.question, raised.value.valid) == (cut + 1, node, valid)
    message = (f"answer {cut + 1}: {wrong!r} is not an option of question {node!r}; "
               if valid else f"answer {cut + 1}: {wrong!r} comes after outcome {node!r}")
    assert str(raised.value).startswith(message)
    assert walk.state() == before

    for k in range(len(second)):  # a path cut short is no outcome
        with pytest.raises(InvalidAnswer, match=f"^answer {k + 1}: '\\(no more answers\\)'"):
            outcome_for(data, second[:k])


@PROFILE
@given(data=trees())
def test_paths_are_the_reference_paths(data: dict) -> None:
    """enumerate_paths lists the reference's paths, in option order, and each replays."""
    ref = Reference.of_data(data)
    assert count_paths(data) == ref.count()
    if ref.count() > PATH_LIMIT:
        return
    paths = enumerate_paths(data)
    assert [(p.answers, p.outcome) for p in paths] == ref.paths()
    for path in paths:
        assert outcome_for(data, path.answers) == path.outcome


def test_generated_trees_go_deeper_than_every_guide(guides: dict) -> None:
    """The generated trees' depth is beyond the deepest real guide's (update MAX_DEPTH if not)."""
    deepest = max(len(p.answers) for _, data in guides.values() for p in enumerate_paths(data))
    assert MAX_DEPTH > deepest >= 1


# The fragment codec ------------------------------------------------------------------------

@PROFILE
@given(labels=st.lists(LABELS, max_size=6), tree_id=TREE_ID_TEXT)
def test_fragment_codec_is_the_identity(labels: list[str], tree_id: str) -> None:
    """Any labels and id survive encode → decode, with or without the '#'."""
    assert engine.decode_answers(engine.encode_answers(labels)) == labels
    fragment = engine.to_fragment(tree_id, labels)
    assert engine.from_fragment(fragment) == (tree_id, labels)
    assert engine.from_fragment("#" + fragment) == (tree_id, labels)


@PROFILE
@given(labels=st.lists(LABELS, min_size=1, max_size=6), tree_id=TREE_ID_TEXT)
def test_fragment_is_one_part_per_label_in_safe_characters(labels: list[str],
                                                           tree_id: str) -> None:
    """Each label is one '/'-part; the fragment holds nothing a browser would rewrite."""
    encoded = engine.encode_answers(labels)
    assert len(encoded.split("/")) == len(labels)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+(/[A-Za-z0-9_.~%-]+)*", encoded)
    fragment = engine.to_fragment(tree_id, labels)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]*=", fragment[: -len(encoded)])


@PROFILE
@given(garbage=st.one_of(st.text(), st.none(), st.integers(), st.binary(), st.lists(st.text())))
def test_decoding_anything_never_raises(garbage: object) -> None:
    """Whatever the address bar holds, decoding gives an id and a list of non-empty labels."""
    tree_id, labels = engine.from_fragment(garbage)
    assert isinstance(tree_id, str) and isinstance(labels, list)
    assert all(isinstance(label, str) and label for label in labels)
    decoded = engine.decode_answers(garbage)
    assert isinstance(decoded, list) and all(isinstance(x, str) and x for x in decoded)


def test_the_empty_label_cannot_reach_the_codec() -> None:
    """The model refuses an empty label (the codec skips empty parts, so it could not carry one)."""
    with pytest.raises(ValidationError):
        Option(label="", next="x")
    assert engine.decode_answers("/a//b/") == ["a", "b"]


# Every real guide --------------------------------------------------------------------------

@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_guide_paths_are_the_reference_paths(guides: dict, tree_id: str) -> None:
    """Each guide's paths are the reference's (from its model), and each replays everywhere."""
    tree, data = guides[tree_id]
    ref = Reference.of_tree(tree)
    paths = enumerate_paths(data)
    assert [(p.answers, p.outcome) for p in paths] == ref.paths()
    for path in paths:
        labels = list(path.answers)
        assert outcome_for(data, labels) == path.outcome
        walk = Engine(data)
        assert walk.restore(labels) == {**walk.goto(labels), "restored": len(labels),
                                        "dropped": []}
        assert walk.node == path.outcome
        assert engine.from_fragment("#" + engine.to_fragment(tree_id, labels)) == (
            tree_id, labels)


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_guide_back_and_change_on_every_path(guides: dict, tree_id: str) -> None:
    """On every path of each guide: Back up from the outcome and change(i) at every step."""
    tree, data = guides[tree_id]
    ref = Reference.of_tree(tree)
    for labels, outcome in ref.paths():
        walk = Engine(data)
        seen = [walk.state()] + [walk.choose(label) for label in labels]
        assert seen[-1]["node"] == outcome
        for k in range(len(labels), 0, -1):
            ref.trail = ref.after(list(labels[:k - 1]))[0]
            assert walk.back() == seen[k - 1] == ref.state()
        for index in range(len(labels)):
            walk.goto(labels)
            assert walk.change(index) == seen[index]
            assert walk.answers == labels[:index]


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_guide_walks_agree_with_the_reference(guides: dict, tree_id: str) -> None:
    """Random actions on each guide (many examples): the engine says what the reference does."""
    tree, data = guides[tree_id]

    @GUIDE_PROFILE
    @given(draw=st.data())
    def walks(draw: st.DataObject) -> None:
        run_walk(data, draw.draw, draw.draw(st.integers(1, 60), label="steps"))

    walks()


def test_engine_data_naming_a_missing_node_or_start_is_refused() -> None:
    """The engine refuses data whose start is not a question or whose next names nothing."""
    data = {"start": "q", "questions": {"q": {"options": [{"label": "A", "next": "o"}]}},
            "outcomes": {"o": {}}}
    Engine(data)
    with pytest.raises(EngineDataError, match="start 'o' is not a question"):
        Engine({**data, "start": "o"})
    with pytest.raises(EngineDataError, match="start 'x' is not a question"):
        Engine({**data, "start": "x"})
    bad = {**data, "questions": {"q": {"options": [{"label": "A", "next": "x"}]}}}
    with pytest.raises(EngineDataError, match="question 'q', option 'A': next 'x' does not"):
        Engine(bad)
    for broken in ({}, {"start": "q"}, {**data, "questions": {"q": {}}},
                   {**data, "questions": {"q": {"options": [{"label": "A"}]}}},
                   {**data, "questions": ["q"]}, {**data, "outcomes": None}, None):
        with pytest.raises(EngineDataError, match="not shaped as expected"):
            Engine(broken)
