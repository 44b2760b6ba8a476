"""The past-partnerships file: its format, and every mistake named by file, row and column.

The format (a heading row, then one partnership a row; ``end`` blank while it is live):

    recipient,supporter,kind,start,end,source
    RXL,RBV,buddy,2024-01-15,2026-01-15,https://www.example.nhs.uk/news/buddying
"""
from __future__ import annotations

from datetime import date

import pytest

from matcher.errors import InputError
from matcher.ingest.partnerships import load_partnerships
from matcher.outcomes import Agreement

KNOWN = {"RXL", "RBV", "RXN", "RAE"}
HEADING = "recipient,supporter,kind,start,end,source\n"


def write(tmp_path, text: str):
    path = tmp_path / "past_partnerships.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_partnerships(write(tmp_path, text), KNOWN)
    return [str(p) for p in caught.value.problems]


def test_a_good_file_gives_one_agreement_a_row(tmp_path):
    path = write(tmp_path, HEADING + "RXL,RBV,buddy,2024-01-15,2026-01-15,https://example.nhs.uk/a\n"
                                     "RXN,RAE,management_contract,2025-04-01,,board papers\n")
    assert load_partnerships(path, KNOWN) == [
        Agreement("RXL", "RBV", "buddy", date(2024, 1, 15), date(2026, 1, 15), "https://example.nhs.uk/a"),
        Agreement("RXN", "RAE", "management_contract", date(2025, 4, 1), None, "board papers")]


def test_a_missing_column_is_named(tmp_path):
    assert problems(tmp_path, "recipient,supporter,kind,start,end\nRXL,RBV,buddy,2024-01-15,\n") == [
        "past_partnerships.csv: missing column 'source'"]


def test_an_unknown_code_kind_or_date_is_named_by_row_and_column(tmp_path):
    assert problems(tmp_path, HEADING + "RXL,RBV,mentoring,2024-01-15,,x\nRXL,RBV,buddy,15/13/2024,,x\n") == [
        "past_partnerships.csv, row 2, column 'kind': 'mentoring' is not one of buddy, management_contract",
        "past_partnerships.csv, row 3, column 'start': '15/13/2024' is not a date (use YYYY-MM-DD)"]
    assert problems(tmp_path, HEADING + "RXL,RZZ,buddy,2024-01-15,,x\n") == [
        "past_partnerships.csv, row 2, column 'supporter': 'RZZ' is not a trust code in the register"]


def test_an_end_before_its_start_and_a_duplicate_row_are_named(tmp_path):
    assert problems(tmp_path, HEADING + "RXL,RBV,buddy,2024-01-15,2023-01-15,x\n"
                                        "RXN,RBV,buddy,2024-01-15,,x\nRXN,RBV,buddy,2024-01-15,,y\n") == [
        "past_partnerships.csv, row 2, column 'end': the end 2023-01-15 is before the start 2024-01-15",
        "past_partnerships.csv, row 4, column 'recipient': the same partnership is listed twice (first on row 3)"]
