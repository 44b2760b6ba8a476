"""Plan exports: the three tables, the CSV injection guard, and the XLSX workbook read back."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from matcher.present.exports import (
    INPUT_COLUMNS,
    PARTNERSHIP_COLUMNS,
    QUALITY_COLUMNS,
    UNCOVERED_COLUMNS,
    DataSource,
    RunFacts,
    Table,
    inputs_table,
    partnerships_table,
    plan_tables,
    safe_cell,
    to_csv,
    to_xlsx,
    uncovered_table,
)
from tests.factories import typed_plan

FACTS = {"RXL": {"name": "Blackpool Teaching Hospitals", "region": "North West"},
         "RBV": {"name": "The Christie", "region": "North West"},
         "RJL": {"name": "=HYPERLINK(\"http://evil\")", "region": "Midlands"},
         "R1": {"name": "Recipient One", "region": "London"}}
RUN = RunFacts(run_id=7, scenario="default", scenario_version=2, purpose="proposal",
               created=datetime(2026, 11, 23, 20, 15, tzinfo=UTC), published=None, seconds=3.456)
SOURCES = [DataSource("register", "nhs_trusts.csv", "2026-07", "NHS Digital ODS", "Open Government Licence v3.0"),
           DataSource("ratings", "cqc.csv", "2026-05-05", "CQC", "Open Government Licence v3.0")]


def pair(supporter, recipient, kind="buddy", explanation="Close and strong on finance.", locked=False):
    return {"supporter": supporter, "recipient": recipient, "kind": kind, "units": 2, "fit": 2.34567,
            "distance_km": 12.345, "score": 812, "incentive_annual_gbp": 250_000, "incentive_term_gbp": 500_000,
            "coverage": 3.0, "explanation": explanation, "locked": locked, "fit_breakdown": {}, "alternatives": []}


def make_plan():
    return typed_plan({"status": "OPTIMAL", "objective": {"coverage": 6.0, "score": 1624, "spend": 500_000},
            "pairs": [pair("RBV", "RXL", locked=True), pair("RXL", "RJL", "management_contract", "-1 distance")],
            "uncovered": [{"recipient": "R1", "severity": 1.0, "reasons": ["no supporter within 150 km",
                                                                           "the budget is spent"]},
                          {"recipient": "R9", "severity": 3.0, "reasons": ["@no willing supporter"]}],
            "supporters": [], "stages": [], "budget_annual_gbp": 1_000_000,
            "fingerprint": {"data": "abc123", "config": "def456", "solver": "ortools 9.15.6755", "seed": 1,
                            "workers": 8, "as_of": "2026-11-23"}})


def test_partnership_rows_carry_codes_names_region_numbers_and_explanation_by_recipient():
    table = partnerships_table(make_plan(), FACTS)
    assert table.columns == PARTNERSHIP_COLUMNS
    assert [row[0] for row in table.rows] == ["RJL", "RXL"]
    assert table.rows[1] == ("RXL", "Blackpool Teaching Hospitals", "RBV", "The Christie", "North West", "buddy", 2,
                             2.346, 12.3, 812, 250_000, 500_000, "yes", "Close and strong on finance.")
    assert table.rows[0][5] == "management contract" and table.rows[0][12] == "no"


def test_a_trust_missing_from_the_data_exports_with_empty_name_and_region():
    table = partnerships_table(typed_plan({"pairs": [pair("ZZZ", "YYY")]}), {})
    assert table.rows[0][:5] == ("YYY", "", "ZZZ", "", "")


def test_uncovered_rows_are_one_per_recipient_most_severe_first_with_reasons_joined():
    table = uncovered_table(make_plan(), FACTS)
    assert table.columns == UNCOVERED_COLUMNS
    assert table.rows == (("R9", "", "", 3.0, "@no willing supporter"),
                          ("R1", "Recipient One", "London", 1.0, "no supporter within 150 km; the budget is spent"))


def test_inputs_list_the_run_its_results_its_fingerprint_and_every_data_source():
    table = inputs_table(RUN, make_plan(), SOURCES, "abc123")
    values = {item: value for item, value, _ in table.rows}
    assert table.columns == INPUT_COLUMNS
    assert values["Run id"] == 7 and values["Scenario"] == "default" and values["Scenario version"] == 2
    assert values["Purpose"] == "proposal" and values["Created (UTC)"] == "2026-11-23 20:15"
    assert values["Published (UTC)"] == "not published" and values["Solver status"] == "OPTIMAL"
    assert values["Objective: coverage (severity points)"] == 6.0 and values["Objective: score (points)"] == 1624
    assert values["Objective: spend (GBP a year)"] == 500_000 and values["Budget (GBP a year)"] == 1_000_000
    assert values["Largest stage gap"] == 0.0 and values["Solve time (seconds)"] == 3.46
    assert (values["Data hash"], values["Configuration hash"], values["Solver version"], values["Random seed"],
            values["Classified as of"]) == ("abc123", "def456", "ortools 9.15.6755", 1, "2026-11-23")
    assert values["Data hash of these sources"] == "abc123"
    assert [row for row in table.rows if str(row[0]).startswith("Data source")] == [
        ("Data source: register", "nhs_trusts.csv: NHS Digital ODS (Open Government Licence v3.0)", "2026-07"),
        ("Data source: ratings", "cqc.csv: CQC (Open Government Licence v3.0)", "2026-05-05")]


def test_a_published_run_says_when():
    published = RunFacts(**{**RUN.__dict__, "published": datetime(2026, 11, 24, 9, 0, tzinfo=UTC)})
    values = {item: value for item, value, _ in inputs_table(published, make_plan(), [], "").rows}
    assert values["Published (UTC)"] == "2026-11-24 09:00"


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_take_for_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Blackpool", "", "a=b", " =x", -2, 0, 1.5, None])
def test_other_text_and_every_number_is_left_alone(value):
    assert safe_cell(value) == value


def test_csv_has_a_header_and_one_line_per_row_with_formulas_guarded():
    body = to_csv(partnerships_table(make_plan(), FACTS))
    assert body.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == list(PARTNERSHIP_COLUMNS) and len(rows) == 3
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[1][13] == "'-1 distance"
    assert rows[2][1] == "Blackpool Teaching Hospitals"


def test_xlsx_has_the_four_sheets_with_their_headers_row_counts_and_no_formula():
    tables = plan_tables(RUN, make_plan(), FACTS, SOURCES, "abc123")
    book = load_workbook(io.BytesIO(to_xlsx(tables)))
    assert book.sheetnames == ["Partnerships", "Uncovered recipients", "Plan quality", "Inputs and fingerprint"]
    for sheet, columns, count in zip(book.worksheets,
                                     (PARTNERSHIP_COLUMNS, UNCOVERED_COLUMNS, QUALITY_COLUMNS, INPUT_COLUMNS),
                                     (2, 2, 0, len(tables[3].rows)), strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == columns
        assert len(rows) == 1 + count
    partnerships = list(book["Partnerships"].iter_rows(min_row=2, values_only=True))
    assert partnerships[1][:4] == ("RXL", "Blackpool Teaching Hospitals", "RBV", "The Christie")
    assert partnerships[1][10] == 250_000 and partnerships[0][1] == "'=HYPERLINK(\"http://evil\")"
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    assert book["Uncovered recipients"]["E2"].value == "'@no willing supporter"


def test_a_formula_after_a_semicolon_is_guarded_and_every_text_cell_is_quoted():
    """Issue 15: ``x;=1+1`` opens as two cells, the second a formula, where cells are separated by semicolons."""
    table = Table("t", ("name", "units"), (("x;=1+1", 2), ("plain; text", -1), ("=SUM(A1)", 3)))
    body = to_csv(table).decode("utf-8-sig")
    assert body.splitlines() == ['"name","units"', '"x;\'=1+1",2', '"plain; text",-1', '"\'=SUM(A1)",3']
