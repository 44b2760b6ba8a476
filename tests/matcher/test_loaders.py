"""Loaders check whole files and report every problem with file, row and column."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from matcher.errors import InputError
from matcher.ingest.costs import load_costs
from matcher.ingest.history import load_history
from matcher.ingest.oversight import load_oversight
from matcher.ingest.ratings import load_ratings
from matcher.ingest.register import load_register

REGISTER_HEADER = ("Organisation Code,Name,status_in_file,Open Date,Close Date,National Grouping,nhse_region_name,"
                   "High Level Health Geography,country,Postcode,latitude,longitude,geo_source,trust_type,"
                   "trust_subtype,trust_type_source")
GOOD_REGISTER_ROW = ("RAA,EXAMPLE HOSPITALS NHS TRUST,open,2001-04-01,,Y60,Midlands,QHL,England,B1 1AA,52.48,-1.89,"
                     "geo,Acute trust,Acute - Large,NHS Oversight Framework Q3 2025/26")
RATINGS_HEADER = ("org_code,org_name,provider_name,location_id,location_primary_inspection_category,"
                  "location_nhs_region,rating_overall,rating_safe,rating_effective,rating_caring,rating_responsive,rating_well-led,"
                  "inherited_rating,publication_date,url")


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(caught: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def test_a_good_register_loads_with_types(tmp_path):
    frame = load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER, GOOD_REGISTER_ROW))
    row = frame.iloc[0]
    assert (row["code"], row["region"], row["latitude"], bool(row["is_open"])) == ("RAA", "Midlands", 52.48, True)


def test_a_missing_column_is_named(tmp_path):
    header = REGISTER_HEADER.replace(",Postcode", "")
    row = GOOD_REGISTER_ROW.replace(",B1 1AA", "")
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", header, row))
    assert problems(caught) == ["trusts.csv: missing column 'Postcode'"]


def test_a_misspelt_column_gets_a_suggestion(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER.replace("latitude", "lattitude"),
                            GOOD_REGISTER_ROW))
    assert problems(caught) == ["trusts.csv: missing column 'latitude' (found 'lattitude'; did you mean 'latitude'?)"]


def test_a_latitude_out_of_range_is_located(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER, GOOD_REGISTER_ROW.replace("52.48", "152.48")))
    assert problems(caught) == ["trusts.csv, row 2, column 'latitude': 152.48 is not between -90 and 90"]


def test_a_duplicate_trust_code_points_at_the_first(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER, GOOD_REGISTER_ROW,
                            GOOD_REGISTER_ROW.replace("RAA,", "RBB,"), GOOD_REGISTER_ROW))
    assert problems(caught) == [
        "trusts.csv, row 4, column 'Organisation Code': duplicate trust code 'RAA' (first seen on row 2)"]


def test_every_problem_in_a_file_is_reported_together(tmp_path):
    bad = GOOD_REGISTER_ROW.replace("52.48", "north").replace(",open,", ",shut,").replace("RAA", "R!")
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER, GOOD_REGISTER_ROW.replace("RAA", "RBB"), bad))
    assert problems(caught) == [
        "trusts.csv, row 3, column 'Organisation Code': 'R!' is not an ODS code (3 to 6 letters or digits)",
        "trusts.csv, row 3, column 'status_in_file': 'shut' is not one of open, closed_or_closing",
        "trusts.csv, row 3, column 'latitude': 'north' is not a number",
    ]
    assert str(caught.value).startswith("There are 3 problems with the data:\n  - trusts.csv, row 3")


def test_a_blank_required_cell_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER,
                            GOOD_REGISTER_ROW.replace("EXAMPLE HOSPITALS NHS TRUST", "")))
    assert problems(caught) == ["trusts.csv, row 2, column 'Name': is blank; a value is required"]


def test_a_bad_date_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER,
                            GOOD_REGISTER_ROW.replace("2001-04-01", "1st April")))
    assert problems(caught) == ["trusts.csv, row 2, column 'Open Date': '1st April' is not a date (use YYYY-MM-DD)"]


RATED = "RAA,EXAMPLE,Example,RAA01,Acute hospital - NHS non-specialist,Midlands,{},Good,Good,Good,Good,{},N,2024-01-10,http://x"


@pytest.mark.parametrize("word, score", [("Outstanding", 4), ("Good", 3), ("Requires improvement", 2),
                                         ("Requires Improvement", 2), ("Inadequate", 1), ("Not rated", None),
                                         ("Insufficient evidence to rate", None), ("", None)])
def test_rating_words_load_as_scores_and_not_rated_as_missing(tmp_path, word, score):
    frame = load_ratings(write(tmp_path, "cqc.csv", RATINGS_HEADER, RATED.format(word, "Good")))
    value = frame.iloc[0]["overall"]
    assert (None if pd.isna(value) else int(value)) == score


def test_an_unknown_rating_word_is_reported_with_a_suggestion(tmp_path):
    with pytest.raises(InputError) as caught:
        load_ratings(write(tmp_path, "cqc.csv", RATINGS_HEADER, RATED.format("Good", "Goood")))
    assert problems(caught) == [
        "cqc.csv, row 2, column 'rating_well-led': unknown rating 'Goood' (did you mean 'Good'?); "
        "expected one of Outstanding, Good, Requires improvement, Inadequate, Not rated"]


def test_a_non_numeric_size_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        load_costs(write(tmp_path, "costs.csv",
                         "org_code,org_name,financial_year,ncc_mffd_total_cost_gbp_m,source_note",
                         "RAA,EXAMPLE,2024/25,about 500,proxy", "RBB,OTHER,2024/25,-3,proxy",
                         "RCC,THIRD,2024/25,,proxy"))
    assert problems(caught) == [
        "costs.csv, row 2, column 'ncc_mffd_total_cost_gbp_m': 'about 500' is not a number",
        "costs.csv, row 3, column 'ncc_mffd_total_cost_gbp_m': -3 is too small; it must be 0 or more",
        "costs.csv, row 4, column 'ncc_mffd_total_cost_gbp_m': is blank; a value is required",
    ]


def test_a_segment_outside_1_to_5_is_reported(data_copy):
    path = data_copy / "nof_segmentation_2025-26_q3.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("Acute - Teaching,3,", "Acute - Teaching,6,", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        load_oversight(path)
    assert problems(caught) == [
        "nof_segmentation_2025-26_q3.csv, row 2, column 'overall_adjusted_segment': 6 is not between 1 and 5"]


def test_segment_5_is_accepted(data_copy):
    path = data_copy / "nof_segmentation_2025-26_q3.csv"
    path.write_text(path.read_text().replace("Acute - Teaching,3,", "Acute - Teaching,5,", 1))
    assert load_oversight(path).iloc[0]["segment"] == 5


def test_history_accepts_partial_dates_and_rejects_nonsense(tmp_path):
    header = "org_code,org_name_at_time,event,regime,event_date,date_precision,source"
    frame = load_history(write(tmp_path, "sm.csv", header, "RAA,X,entered,quality special measures,2016,year,u"))
    assert frame.iloc[0]["date"] == "2016"
    with pytest.raises(InputError) as caught:
        load_history(write(tmp_path, "sm.csv", header, "RAA,X,went in,quality special measures,2016-13,month,u"))
    assert problems(caught) == [
        "sm.csv, row 2, column 'event': 'went in' is not one of entered, exited, exit_recommended, entry_recommended",
        "sm.csv, row 2, column 'event_date': '2016-13' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)",
    ]


def test_an_empty_file_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", ""))
    assert problems(caught) == ["trusts.csv: the trust register file is empty"]


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        load_register(tmp_path / "nowhere.csv")
    assert problems(caught) == ["nowhere.csv: the trust register file is missing"]


def test_a_flood_of_problems_is_capped_with_a_count(tmp_path):
    rows = [GOOD_REGISTER_ROW.replace("RAA", f"R{i:02d}").replace("52.48", "x") for i in range(60)]
    with pytest.raises(InputError) as caught:
        load_register(write(tmp_path, "trusts.csv", REGISTER_HEADER, *rows))
    listed = problems(caught)
    assert len(listed) == 51
    assert listed[-1] == "trusts.csv: and 10 more problems not listed"
