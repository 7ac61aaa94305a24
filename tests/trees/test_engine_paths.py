"""The paths the engine's tests and the site rely on: the path limit's edge, and loops named."""

from __future__ import annotations

import pytest

from build_tools.trees.paths import TooManyPaths, count_paths, enumerate_paths


def fan(options: list[int], extra: int = 0) -> dict:
    """Questions one after another with ``options[i]`` options each; ``extra`` more to an end.

    It has ``prod(options) + extra`` paths.
    """
    names = [f"q{i}" for i in range(len(options))] + ["end"]
    questions = {
        name: {"options": [{"label": f"{name}-{k}", "next": names[i + 1]} for k in range(n)]}
        for i, (name, n) in enumerate(zip(names, options, strict=False))
    }
    questions["q0"]["options"] += [{"label": f"out-{k}", "next": "end"} for k in range(extra)]
    return {"id": "fan", "start": "q0", "questions": questions, "outcomes": {"end": {}}}


@pytest.mark.parametrize(
    ("options", "extra", "limit", "listed"),
    [
        ([10, 10, 10, 10], 0, None, True),  # 10,000 paths: the default limit, still listed
        ([10, 10, 10, 10], 1, None, False),  # 10,001 paths: one too many
        ([2] * 10, 0, 1024, True),  # exactly at a given limit
        ([2] * 10, 0, 1023, False),
    ],
)
def test_the_path_limit_is_inclusive(options: list[int], extra: int, limit: int | None,
                                     listed: bool) -> None:
    """A tree with exactly ``limit`` paths (10,000 by default) is listed; one more is refused."""
    data = fan(options, extra)
    kwargs = {} if limit is None else {"limit": limit}
    if listed:
        assert len(enumerate_paths(data, **kwargs)) == count_paths(data)
    else:
        with pytest.raises(TooManyPaths, match=f"has {count_paths(data):,} paths"):
            enumerate_paths(data, **kwargs)


@pytest.mark.parametrize(
    ("closing", "back_to", "named"),
    [
        ("q2", "q0", "q2"),
        ("q2", "q1", "q2"),
        ("q1", "q0", "q1"),
        ("q2", "q2", "q2"),
    ],
)
def test_a_loop_is_named_where_it_closes(closing: str, back_to: str, named: str) -> None:
    """count_paths names the question whose option goes back up the path."""
    data = fan([2, 2, 2])
    data["questions"][closing]["options"][0]["next"] = back_to
    with pytest.raises(TooManyPaths, match=f"loops through '{named}'$"):
        count_paths(data)
