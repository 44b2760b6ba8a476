"""Official file layouts map onto the same tables as the shipped files.

The fixtures are small files in the exact column layouts of CQC's "Latest ratings" export
(Providers and Locations sheets saved as CSV) and NHS Digital's headerless ODS ``etr`` file.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from matcher.errors import InputError
from matcher.ingest.ratings import load_ratings
from matcher.ingest.register import load_register

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_cqc_providers_sheet_gives_provider_level_ratings():
    frame = load_ratings(FIXTURES / "cqc_latest_ratings_providers.csv", layout="cqc_providers").set_index("code")
    raa = frame.loc["RAA"]
    ratings = [int(raa[c]) for c in ("overall", "safe", "effective", "caring", "responsive", "well_led")]
    assert ratings == [2, 1, 2, 3, 2, 2]
    assert raa["published"] == date(2024, 3, 14)
    assert raa["scope"] == "provider"
    assert int(frame.loc["RBB", "overall"]) == 4


def test_cqc_locations_sheet_takes_the_first_location_of_each_provider():
    frame = load_ratings(FIXTURES / "cqc_latest_ratings_locations.csv", layout="cqc_locations").set_index("code")
    raa = frame.loc["RAA"]
    assert raa["location_id"] == "RAA01"
    assert int(raa["overall"]) == 1 and raa["published"] == date(2025, 6, 30)
    assert pd.isna(frame.loc["RBB"]["well_led"])  # "Not rated" is missing, not a score
    assert set(frame["scope"]) == {"main location"}


def test_an_older_export_with_key_question_instead_of_domain_still_loads(tmp_path):
    text = (FIXTURES / "cqc_latest_ratings_providers.csv").read_text().replace(",Domain,", ",Key Question,", 1)
    (tmp_path / "old.csv").write_text(text)
    assert len(load_ratings(tmp_path / "old.csv", layout="cqc_providers")) == 2


def test_a_repeated_domain_in_the_export_is_reported(tmp_path):
    lines = (FIXTURES / "cqc_latest_ratings_providers.csv").read_text().splitlines()
    (tmp_path / "dup.csv").write_text("\n".join([*lines, lines[2]]) + "\n")
    with pytest.raises(InputError) as caught:
        load_ratings(tmp_path / "dup.csv", layout="cqc_providers")
    assert [str(p) for p in caught.value.problems] == [
        f"dup.csv, row {len(lines) + 1}, column 'Domain': duplicate 'Safe' rating for RAA (first seen on row 3)"]


def test_an_unknown_domain_in_the_export_is_reported(tmp_path):
    text = (FIXTURES / "cqc_latest_ratings_providers.csv").read_text().replace(",Caring,", ",Kind,", 1)
    (tmp_path / "bad.csv").write_text(text)
    with pytest.raises(InputError) as caught:
        load_ratings(tmp_path / "bad.csv", layout="cqc_providers")
    assert [str(p) for p in caught.value.problems] == [
        "bad.csv, row 5, column 'Domain': 'Kind' is not one of Overall, Safe, Effective, Caring, Responsive, Well-led"]


def test_ods_etr_register_maps_regions_countries_and_closures():
    frame = load_register(FIXTURES / "ods_etr.csv", layout="ods_etr").set_index("code")
    assert frame.loc["RAA", "region"] == "Midlands"
    assert frame.loc["RAA", "open_date"] == date(2001, 4, 1)
    assert bool(frame.loc["RAA", "is_open"]) and not bool(frame.loc["ROLD", "is_open"])
    assert frame.loc["7A1", "country"] == "Wales"
    assert frame["latitude"].isna().all()  # the ODS file has no locations


def test_a_short_ods_row_is_reported(tmp_path):
    (tmp_path / "etr.csv").write_text('"RAA","EXAMPLE","Y60"\n')
    with pytest.raises(InputError) as caught:
        load_register(tmp_path / "etr.csv", layout="ods_etr")
    assert [str(p) for p in caught.value.problems] == ["etr.csv, row 1: has 3 fields; this layout needs 24"]
