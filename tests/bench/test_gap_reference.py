"""The best-known file of the generated GAP instances only ever tightens, and says who found what."""
from __future__ import annotations

import math

from bench.gap_reference import Reference, read_references, tighten, write_references


def record(value, bound, instance="d10100"):
    return {"instance": instance, "objective": value, "status": "FEASIBLE", "bound": bound, "seconds": 120.0}


def test_a_first_record_becomes_the_reference():
    assert tighten(None, record(6330, 6290), 1, "highs 120s") == Reference("d10100", 1, 6330, "highs 120s",
                                                                            6290.0, "highs 120s")


def test_a_better_value_and_a_better_bound_are_taken_from_whoever_found_them():
    known = Reference("d10100", 1, 6330, "highs 120s", 6290.0, "highs 120s")
    assert tighten(known, record(6319, 6280), 1, "engine 120s") == Reference("d10100", 1, 6319, "engine 120s",
                                                                             6290.0, "highs 120s")
    assert tighten(known, record(6340, 6301), 1, "engine 120s") == Reference("d10100", 1, 6330, "highs 120s",
                                                                             6301.0, "engine 120s")


def test_a_run_without_a_plan_changes_nothing():
    known = Reference("d10100", 1, 6330, "highs 120s", 6290.0, "highs 120s")
    assert tighten(known, record(None, None), 1, "engine 120s") == known
    assert tighten(None, record(None, None), 1, "engine 120s") is None


def test_the_file_round_trips_and_reports_the_remaining_gap(tmp_path):
    path = tmp_path / "reference.csv"
    references = {("e20100", 1): Reference("e20100", 1, 11963, "highs 120s", 11944.0, "highs 120s"),
                  ("d05100", 1): Reference("d05100", 1, 6557, "highs 120s", -math.inf, "none")}
    write_references(references, path)
    assert read_references(path) == references
    assert path.read_text().splitlines()[1] == "d05100,1,6557,highs 120s,-inf,none"
    assert round(references[("e20100", 1)].gap_percent, 3) == 0.159
