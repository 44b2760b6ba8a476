"""Hypothesis strategies for small valid match instances (tiny enough to brute-force)."""
from __future__ import annotations

from hypothesis import strategies as st

from tests.factories import make_instance


@st.composite
def small_instances(draw, max_supporters: int = 3, max_recipients: int = 4, allow_must_match: bool = True):
    """A ``MatchInstance`` with up to 3 supporters, 4 recipients and both kinds of arc."""
    supporters = [f"S{i}" for i in range(draw(st.integers(1, max_supporters)))]
    recipients = [f"R{i}" for i in range(draw(st.integers(1, max_recipients)))]
    arcs = []
    for s in supporters:
        for r in recipients:
            for kind in ("buddy", "management_contract"):
                if draw(st.booleans()):
                    units = 1 if kind == "buddy" else draw(st.integers(2, 4))
                    arcs.append((s, r, kind, units, draw(st.integers(-50, 300)), draw(st.integers(0, 1000))))
    if not arcs:
        arcs.append((supporters[0], recipients[0], "buddy", 1, 10, 100))
    severity = {r: draw(st.sampled_from([1.0, 3.0, 8.0])) for r in recipients}
    persistent = {r for r in recipients if severity[r] == 8.0}
    capacity = {s: draw(st.integers(0, 4)) for s in supporters}
    must = set(draw(st.lists(st.sampled_from(recipients), max_size=2, unique=True))) if allow_must_match else set()
    budget = draw(st.integers(0, 3000))
    return make_instance(arcs, capacity=capacity, severity=severity, persistent=persistent, must_match=must,
                         budget=budget)
