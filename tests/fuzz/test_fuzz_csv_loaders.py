"""Hostile CSV files for every loader: each returns a checked table or raises one ``InputError``.

The error's problems name the file and, for a bad cell, the row and the column; never anything
else is raised.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.errors import InputError
from matcher.ingest import costs, decisions, groups, history, metrics, oversight, partnerships, ratings, register
from matcher.ingest.readers import MAX_PROBLEMS
from tests.fuzz.hostile_csv import hostile_csv, rows_of
from tests.fuzz.support import count, fuzz

DATA = Path(__file__).resolve().parents[2] / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DECISIONS_CSV = ("supporter,recipient,kind,decision,reason\nRBV,RXL,buddy,accepted,\nRBV,RJL,management_contract,"
                 "declined,too far\nRAJ,RXL,buddy,pending,\nRGT,RJL,buddy,declined,\n")
PARTNERSHIPS_CSV = ("recipient,supporter,kind,start,end,source\nRXL,RBV,buddy,2024-01-15,2026-01-15,https://example.nhs.uk"
                    "\nRJL,RAJ,management_contract,2025-04-01,,board papers\n")
KNOWN_CODES = {"RXL", "RBV", "RJL", "RAJ", "RGT"}

#: Each loader: (how to call it, the real file it is fuzzed from, its layout).
LOADERS = {
    "register (shipped)": (register.load_register, DATA / "nhs_trusts.csv", register.SHIPPED),
    "register (ODS etr)": (lambda p: register.load_register(p, "ods_etr"), FIXTURES / "ods_etr.csv", register.ODS_ETR),
    "ratings (shipped)": (ratings.load_ratings, DATA / "cqc_ratings_trust_main_location_2026-05.csv", ratings.SHIPPED),
    "ratings (CQC providers)": (lambda p: ratings.load_ratings(p, "cqc_providers"),
                                FIXTURES / "cqc_latest_ratings_providers.csv", ratings.CQC_PROVIDERS),
    "ratings (CQC locations)": (lambda p: ratings.load_ratings(p, "cqc_locations"),
                                FIXTURES / "cqc_latest_ratings_locations.csv", ratings.CQC_LOCATIONS),
    "oversight": (oversight.load_oversight, DATA / "nof_segmentation_2025-26_q3.csv", oversight.SHIPPED),
    "performance snapshot": (metrics.load_snapshot, DATA / "trust_performance_snapshot_2026-03.csv", metrics.SNAPSHOT),
    "RTT": (metrics.load_rtt, DATA / "rtt_incomplete_pathways_by_provider_2026-04.csv", metrics.RTT),
    "costs": (costs.load_costs, DATA / "trust_cost_ncc_2024-25.csv", costs.SHIPPED),
    "special-measures history": (history.load_history, DATA / "special_measures_events.csv", history.SHIPPED),
    "provider groups": (groups.load_groups, DATA / "provider_groups_2026-11.csv", groups.SHIPPED),
    "decisions": (decisions.load_decisions, None, decisions.DECISIONS_FILE),
    "past partnerships": (lambda p: tuple(partnerships.load_partnerships(p, KNOWN_CODES)), None,
                          partnerships.PARTNERSHIPS_FILE),
}
_TEXTS = {"decisions": DECISIONS_CSV, "past partnerships": PARTNERSHIPS_CSV}
BASES = {target: rows_of(path.read_text(encoding="utf-8-sig") if path else _TEXTS[target])
         for target, (_, path, _) in LOADERS.items()}


def check_load(load, path: Path, spec) -> object:
    """Call the loader; it must succeed or raise one InputError whose every problem is located."""
    try:
        result = load(path)
    except InputError as exc:
        assert exc.problems, "an InputError must list at least one problem"
        assert len(exc.problems) <= MAX_PROBLEMS + 1, "problems are capped"
        headings = {h for c in spec.columns for h in (c.heading, *c.aliases)}
        for problem in exc.problems:
            assert problem.file == path.name, problem
            assert problem.message.strip() and "Traceback" not in problem.message, problem
            if problem.row is not None:
                assert problem.row >= 1, problem
                assert problem.column in headings or (spec.headerless and "fields" in problem.message), \
                    f"a row problem must name a column of the file: {problem}"
            else:
                assert problem.column is None, problem
        assert exc.render().startswith("There ")
        return None
    assert isinstance(result, (pd.DataFrame, tuple)), type(result)
    return result


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A scratch folder for the generated files (module-scoped, so Hypothesis may share it)."""
    return tmp_path_factory.mktemp("hostile_csv")


@pytest.mark.parametrize("target", list(LOADERS))
@fuzz(40)
@given(data=st.data())
def test_every_loader_on_hostile_csv(folder, target, data):
    load, shipped, spec = LOADERS[target]
    path = folder / (shipped.name if shipped else "decisions.csv")
    path.write_bytes(hostile_csv(data, BASES[target], spec))
    count(f"csv: {target}")
    check_load(load, path, spec)


@pytest.mark.parametrize("target", list(LOADERS))
def test_every_loader_accepts_its_own_file_and_reports_a_missing_one(folder, target):
    load, shipped, spec = LOADERS[target]
    path = folder / (shipped.name if shipped else f"{target.replace(' ', '_')}.csv")
    path.write_text(_TEXTS[target] if shipped is None else shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert check_load(load, path, spec) is not None
    path.unlink()
    with pytest.raises(InputError) as exc:
        load(path)
    assert exc.value.problems[0].file == path.name


@fuzz(60)
@given(st.one_of(st.binary(max_size=200), st.sampled_from([
    b'{"pairs": [{"supporter": "RBV", "recipient": "RXL", "kind": "buddy"}]}', b'{"pairs": 5}', b'{"pairs": ["x"]}',
    b"[]", b"null", b'{"pairs": [{"supporter": "RBV"}]}', b"\xff\xfe{}", b'{"pairs": [' * 5000, b""])))
def test_previous_plan_of_any_bytes(folder, content):
    count("json: previous plan")
    path = folder / "previous.json"
    path.write_bytes(content)
    try:
        pairs = decisions.load_previous_pairs(path)
    except InputError as exc:
        assert [p.file for p in exc.problems] == ["previous.json"]
        return
    assert isinstance(pairs, tuple)


#: Edge values put into every typed column of every layout, one at a time (a sweep, not random).
EDGE_CELLS = ("", "inf", "1e999", "99999999999999999999999", "-1", "0.5", "abc", "Excellent", "2026-02-30", "\x00")


@pytest.mark.parametrize("target", list(LOADERS))
def test_edge_values_in_every_typed_column(folder, target):
    load, shipped, spec = LOADERS[target]
    path = folder / (shipped.name if shipped else "decisions.csv")
    base = BASES[target][:3]
    header = [h.strip() for h in base[0]]
    for column in spec.columns:
        if spec.headerless:
            position = spec.positions[column.name]
        else:
            found = [h for h in (column.heading, *column.aliases) if h in header]
            if not found:
                continue
            position = header.index(found[0])
        for value in EDGE_CELLS if column.kind != "text" else ("", "\x00"):
            count(f"csv: {target}")
            rows = [list(r) for r in base]
            rows[0 if spec.headerless else 1][position] = value
            path.write_bytes(_csv(rows))
            check_load(load, path, spec)


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_huge_whole_number_is_a_located_problem(folder):
    """Found by fuzzing: 1e300 in a whole-number column overflowed pandas instead of being reported."""
    path = folder / "rtt.csv"
    path.write_text("provider_org_code,period,total_incomplete_pathways_all,pct_within_18_weeks\nRAA,2026-04,1e300,0.5\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as exc:
        metrics.load_rtt(path)
    assert [str(p) for p in exc.value.problems] == [
        "rtt.csv, row 2, column 'total_incomplete_pathways_all': 1e300 is far too large for a whole number"]


def test_a_previous_plan_that_is_not_utf8_is_a_located_problem(folder):
    """Found by fuzzing: a non-UTF-8 plan file raised UnicodeDecodeError."""
    path = folder / "plan.json"
    path.write_bytes(b"\x80")
    with pytest.raises(InputError) as exc:
        decisions.load_previous_pairs(path)
    assert [p.file for p in exc.value.problems] == ["plan.json"]
    assert exc.value.problems[0].message.startswith("is not a plan written by 'propose --format json'")
