"""The national plan, a re-match and a candidates report, word for word as stored.

Refactoring the engine must not move a pair, a figure or a word of an explanation. The stored
copies in ``tests/snapshots/`` are rewritten by ``python -m tests.snapshots.record`` only when a
change is meant to move the plan (the commit says why).
"""
from __future__ import annotations

import difflib

import pytest

from tests.snapshots.record import HERE, snapshots


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict[str, str]:
    """Every snapshot made afresh from the shipped data and the default configuration."""
    return snapshots(tmp_path_factory.mktemp("snapshots"))


@pytest.mark.parametrize("name", ["national_plan.json", "national_plan.txt", "rematch_plan.json",
                                  "candidates_RXL.txt"])
def test_output_is_identical_to_the_stored_copy(fresh: dict[str, str], name: str) -> None:
    stored = (HERE / name).read_text(encoding="utf-8")
    if fresh[name] != stored:
        diff = "".join(list(difflib.unified_diff(stored.splitlines(True), fresh[name].splitlines(True),
                                                 f"stored {name}", f"fresh {name}", n=1))[:60])
        pytest.fail(f"{name} differs from the stored copy:\n{diff}")
