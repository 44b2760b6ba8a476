"""The shipped data loads whole, bad files are all reported together, and a bad load replaces nothing."""
from __future__ import annotations

import pytest

from matcher.dataset import load_dataset
from matcher.errors import InputError
from matcher.pipeline import CurrentData


def test_the_shipped_data_loads_and_names_its_sources():
    dataset = load_dataset()
    assert [s.key for s in dataset.sources] == ["register", "ratings", "oversight", "performance", "rtt", "costs",
                                                "special_measures"]
    assert len(dataset["register"]) == 274
    assert dataset.source("ratings").as_of == "2026-05-05"
    assert len(dataset.fingerprint) == 16


def test_the_fingerprint_changes_when_a_file_changes(data_copy):
    before = load_dataset(data_copy).fingerprint
    path = data_copy / "trust_cost_ncc_2024-25.csv"
    path.write_text(path.read_text().replace("2435.05", "2435.06"))
    assert load_dataset(data_copy).fingerprint != before


def test_problems_in_several_files_are_reported_together(data_copy):
    costs = data_copy / "trust_cost_ncc_2024-25.csv"
    costs.write_text(costs.read_text().replace("2435.05", "lots"))
    ratings = data_copy / "cqc_ratings_trust_main_location_2026-05.csv"
    row = "R0A02,Acute hospital - NHS non-specialist,North West,"
    ratings.write_text(ratings.read_text().replace(row + "Requires improvement", row + "Requires improvment", 1))
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        "cqc_ratings_trust_main_location_2026-05.csv, row 2, column 'rating_overall': unknown rating "
        "'Requires improvment' (did you mean 'Requires improvement'?); expected one of Outstanding, Good, "
        "Requires improvement, Inadequate, Not rated",
        "trust_cost_ncc_2024-25.csv, row 2, column 'ncc_mffd_total_cost_gbp_m': 'lots' is not a number",
    ]


def test_a_duplicate_trust_code_in_the_shipped_register_is_caught(data_copy):
    path = data_copy / "nhs_trusts.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[3]]) + "\n")
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"nhs_trusts.csv, row {len(lines) + 1}, column 'Organisation Code': "
        "duplicate trust code 'R0A' (first seen on row 4)"]


@pytest.mark.parametrize("manifest, expected", [
    ("register: {file: nhs_trusts.csv}\n", "dataset 'ratings' is missing"),
    ("nonsense: {file: x.csv}\n", "unknown dataset 'nonsense'; known datasets are register, ratings, oversight, "
                                  "performance, rtt, costs, special_measures"),
])
def test_manifest_problems_are_named(data_copy, manifest, expected):
    original = (data_copy / "manifest.yaml").read_text()
    (data_copy / "manifest.yaml").write_text(original + manifest if "nonsense" in manifest else manifest)
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert f"data/manifest.yaml: {expected}" in [str(p) for p in caught.value.problems]


def test_an_unknown_layout_is_named(data_copy):
    path = data_copy / "manifest.yaml"
    path.write_text(path.read_text().replace("  layout: shipped\n  as_of: \"2026-05-05\"",
                                             "  layout: cqc_sheet\n  as_of: \"2026-05-05\""))
    with pytest.raises(InputError) as caught:
        load_dataset(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        "data/manifest.yaml: dataset 'ratings' has unknown layout 'cqc_sheet'; "
        "use one of shipped, cqc_providers, cqc_locations"]


def test_a_bad_reload_keeps_the_data_already_loaded(data_copy, as_of):
    holder = CurrentData(data_copy, as_of=as_of)
    before = holder.current
    snapshot = before.trusts.copy()
    costs = data_copy / "trust_cost_ncc_2024-25.csv"
    costs.write_text(costs.read_text().replace("2435.05", "-1"))
    with pytest.raises(InputError):
        holder.reload(data_copy)
    assert holder.current is before
    assert holder.current.trusts.equals(snapshot)


def test_a_good_reload_replaces_the_data(data_copy, as_of):
    holder = CurrentData(data_copy, as_of=as_of)
    costs = data_copy / "trust_cost_ncc_2024-25.csv"
    costs.write_text(costs.read_text().replace("2435.05", "875.00"))
    holder.reload(data_copy)
    manchester = holder.current.trusts.set_index("code").loc["R0A"]
    assert manchester["income_gbp"] == pytest.approx(1_000_000_000)
