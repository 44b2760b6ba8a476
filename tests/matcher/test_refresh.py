"""``python -m matcher refresh`` against a local stub of CQC, NHS England and ODS (no real network).

Every failure must exit 2 with a message naming the source and the problem and leave the data
folder byte for byte as it was; the good responses must produce new dated files that load.
"""
from __future__ import annotations

import hashlib
import json
import socket
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from matcher.cli import cli
from matcher.dataset import load_dataset
from matcher.refresh import RefreshError, staging
from matcher.refresh.cqc import provider_rows, rating_word
from matcher.refresh.segmentation import deficit_flag, quarter_key, whole_number
from tests.refresh_stub import (
    KEY,
    QUARTER,
    RELEASE,
    cqc_rows,
    etr_csv,
    etr_zip,
    nof_files,
    provider_json,
    serve,
)

TODAY = date.today().isoformat()
ACUTE_DATA = f"/nhse/nhs-oversight-framework-acute-trust-data-{RELEASE}.csv"


@pytest.fixture
def stub():
    with serve() as running:
        yield running


def hashes(folder: Path) -> dict[str, str]:
    """Every file in the folder (names included) with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def refresh(data: Path, stub, *args: str, key: str | None = KEY):
    env = {"CQC_API_KEY": key}
    return CliRunner().invoke(cli, ["refresh", "--data", str(data), *stub.args, *args], env=env)


# --- success -------------------------------------------------------------------------------------------

def test_a_full_refresh_adds_dated_files_and_points_the_manifest_at_them(stub, data_copy):
    before = hashes(data_copy)
    result = refresh(data_copy, stub)
    assert result.exit_code == 0, result.output
    new = {f"nhs_trusts_{TODAY}.csv", f"nof_segmentation_{TODAY}.csv", f"cqc_ratings_{TODAY}.csv"}
    after = hashes(data_copy)
    assert set(after) - set(before) == new
    assert {name: after[name] for name in before if name != "manifest.yaml"} == \
        {name: digest for name, digest in before.items() if name != "manifest.yaml"}  # old files untouched
    manifest_text = (data_copy / "manifest.yaml").read_text()
    assert manifest_text.startswith("# The shipped data files")  # comments kept
    manifest = yaml.safe_load(manifest_text)
    assert manifest["ratings"] | {"licence": None} == {"file": f"cqc_ratings_{TODAY}.csv", "layout": "cqc_providers",
                                                        "as_of": TODAY, "licence": None,
                                                        "source": "CQC public API, provider-level current ratings"}
    assert (manifest["register"]["file"], manifest["register"]["as_of"]) == (f"nhs_trusts_{TODAY}.csv", TODAY)
    assert (manifest["oversight"]["file"], manifest["oversight"]["as_of"]) == (f"nof_segmentation_{TODAY}.csv", TODAY)
    assert manifest["performance"]["file"] == "trust_performance_snapshot_2026-03.csv"

    dataset = load_dataset(data_copy)
    assert set(dataset["oversight"]["quarter"]) == {QUARTER}
    assert set(dataset["ratings"]["scope"]) == {"provider"}
    assert len(dataset["register"]) == 274
    new_ratings = dataset["ratings"].set_index("code")
    shipped = load_dataset(None)["ratings"].set_index("code")
    same = shipped.index.intersection(new_ratings.index)
    assert len(same) == 138  # every open English trust the stub knows (one shipped row is not an open English trust)
    for column in ("overall", "safe", "effective", "caring", "responsive", "well_led", "published"):
        assert new_ratings.loc[same, column].equals(shipped.loc[same, column]), column
    assert f"Added cqc_ratings_{TODAY}.csv (ratings, as of {TODAY})" in result.output

    shown = CliRunner().invoke(cli, ["data", "--data", str(data_copy)])
    assert shown.exit_code == 0
    for name in new:
        assert any(name in line and TODAY in line for line in shown.output.splitlines()), name


def test_the_ods_register_round_trips_into_the_shipped_layout_with_locations_carried_over(stub, data_copy):
    result = refresh(data_copy, stub, "--source", "ods")
    assert result.exit_code == 0, result.output
    assert (data_copy / f"nhs_trusts_{TODAY}.csv").read_bytes().replace(b"\r\n", b"\n").split(b"\n")[1:] == \
        (data_copy / "nhs_trusts.csv").read_bytes().replace(b"\r\n", b"\n").split(b"\n")[1:]
    manifest = yaml.safe_load((data_copy / "manifest.yaml").read_text())
    assert manifest["ratings"]["file"] == "cqc_ratings_trust_main_location_2026-05.csv"  # only the register moved


def test_a_plain_etr_csv_is_accepted_as_well_as_the_zip(stub, data_copy):
    stub.set("/ods/etr.zip", body=etr_csv(), content_type="text/csv")
    assert refresh(data_copy, stub, "--source", "ods").exit_code == 0


def test_progress_reports_each_source_on_stderr(stub, data_copy):
    result = refresh(data_copy, stub, "--progress")
    assert result.exit_code == 0, result.output
    for line in ("ods: fetching the trust register from", "segmentation: downloaded and converted (150 trusts, quarter "
                 f"{QUARTER})", "CQC: 199 providers", "Checked the staged data folder: every file loads"):
        assert line in result.stderr, line
    assert f"Added nhs_trusts_{TODAY}.csv" in result.stdout and "fetching" not in result.stdout


def test_a_dry_run_checks_everything_and_changes_nothing(stub, data_copy):
    before = hashes(data_copy)
    result = refresh(data_copy, stub, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"Would add cqc_ratings_{TODAY}.csv" in result.output
    assert "nothing in the data folder was changed" in result.output
    assert hashes(data_copy) == before


def test_a_second_refresh_on_the_same_day_gets_a_new_name(stub, data_copy):
    assert refresh(data_copy, stub, "--source", "cqc").exit_code == 0
    assert refresh(data_copy, stub, "--source", "cqc").exit_code == 0
    assert yaml.safe_load((data_copy / "manifest.yaml").read_text())["ratings"]["file"] == f"cqc_ratings_{TODAY}_2.csv"
    assert (data_copy / f"cqc_ratings_{TODAY}.csv").exists()


def test_base_urls_can_come_from_the_environment(stub, data_copy):
    env = {"CQC_API_KEY": KEY, "BUDDYING_CQC_URL": f"{stub.url}/cqc"}
    result = CliRunner().invoke(cli, ["refresh", "--data", str(data_copy), "--source", "cqc"], env=env)
    assert result.exit_code == 0, result.output
    assert any(path.startswith("/cqc/providers/") for path in stub.requests)


# --- failures: each exits 2, names the source and problem, and leaves data/ byte-identical ------------------

def _bad_json(stub):
    stub.set("/cqc/providers/RXL", body=b'{"providerId": "RXL", "currentRatings": {"overall": {"rat')


def _unknown_rating(stub):
    stub.set("/cqc/providers/RXL", body=provider_json(cqc_rows()["RXL"], Safe="Superb"))


def _truncated_etr(stub):
    text = etr_csv()
    stub.set("/ods/etr.zip", body=etr_zip(text[: len(text) // 2]))


def _truncated_nof(stub):
    body = nof_files()[ACUTE_DATA.rsplit("/", 1)[1]]
    stub.set(ACUTE_DATA, body=body[: len(body) // 3])


def _bad_segment(stub):
    body = nof_files()[ACUTE_DATA.rsplit("/", 1)[1]].decode()
    line = next(li for li in body.splitlines() if f"{QUARTER},OF5000," in li and li.startswith("RXL,"))
    stub.set(ACUTE_DATA, body=body.replace(line, line.rsplit(",", 1)[0] + ",7").encode())


def _short_league(stub):
    body = nof_files()[f"nhs-oversight-framework-acute-trust-league-table-{RELEASE}.csv"]
    stub.set(f"/nhse/nhs-oversight-framework-acute-trust-league-table-{RELEASE}.csv", body=body, length=len(body) + 500)


FAILURES = {
    "cqc HTTP 500": (lambda s: s.set("/cqc/providers/RXL", status=500), ["cqc", "/cqc/providers/RXL",
                                                                          "HTTP 500 Internal Server Error"]),
    "ods HTTP 404": (lambda s: s.routes.pop("/ods/etr.zip"), ["ods", "/ods/etr.zip", "HTTP 404 Not Found"]),
    "segmentation HTTP 503": (lambda s: s.set(ACUTE_DATA, status=503), ["segmentation", ACUTE_DATA, "HTTP 503"]),
    "segmentation timeout": (lambda s: s.set(ACUTE_DATA, delay=2.0), ["segmentation", ACUTE_DATA,
                                                                      "timeout: no answer within 0.5 seconds"]),
    "cqc invalid JSON": (_bad_json, ["cqc", "/cqc/providers/RXL", "malformed body: not valid JSON"]),
    "ods truncated CSV": (_truncated_etr, ["ods", "/ods/etr.zip", "register loader", "etr.csv, row",
                                          "this layout needs 24"]),
    "ods broken zip": (lambda s: s.set("/ods/etr.zip", body=etr_zip(etr_csv())[:200]),
                       ["ods", "malformed body: not a readable zip file"]),
    "segmentation truncated CSV": (_truncated_nof, ["segmentation", ACUTE_DATA, "malformed body: row",
                                                    "fields but the heading has 10"]),
    "segmentation body cut off in transit": (_short_league, ["segmentation", "league-table", "cut off"]),
    "cqc unknown rating word": (_unknown_rating, ["cqc: the downloaded data did not pass the loaders' checks",
                                                  f"cqc_ratings_{TODAY}.csv, row", "column 'Latest Rating'",
                                                  "unknown rating 'Superb'", "from provider RXL at",
                                                  "/cqc/providers/RXL"]),
    "segmentation segment out of range": (_bad_segment, ["segmentation: the downloaded data did not pass",
                                                         "column 'overall_adjusted_segment'",
                                                         "7 is not between 1 and 5", "from trust RXL in", ACUTE_DATA]),
    "cqc wrong base URL": (lambda s: [s.routes.pop(p) for p in list(s.routes) if p.startswith("/cqc/")],
                           ["cqc", "none of the 199 trusts was found"]),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_each_failure_exits_2_names_the_problem_and_changes_nothing(stub, data_copy, case):
    spoil, expected = FAILURES[case]
    spoil(stub)
    before = hashes(data_copy)
    result = refresh(data_copy, stub, "--timeout", "0.5")
    assert result.exit_code == 2, result.output
    assert "The refresh failed, so nothing in the data folder was changed" in result.output
    for words in expected:
        assert words in result.output, (words, result.output)
    assert "Traceback" not in result.output
    assert hashes(data_copy) == before


def test_a_refused_key_is_a_401_that_names_the_key(stub, data_copy):
    before = hashes(data_copy)
    result = refresh(data_copy, stub, "--source", "cqc", key="wrong-key")
    assert result.exit_code == 2
    assert "cqc (" in result.output and "HTTP 401" in result.output and "CQC_API_KEY" in result.output
    assert "wrong-key" not in result.output
    assert hashes(data_copy) == before


def test_no_key_stops_before_any_request(stub, data_copy):
    result = refresh(data_copy, stub, "--source", "cqc", key=None)
    assert result.exit_code == 2 and "no API key: set CQC_API_KEY" in result.output
    assert stub.requests == []


def test_no_segmentation_url_stops_before_any_request(stub, data_copy):
    result = CliRunner().invoke(cli, ["refresh", "--data", str(data_copy), "--source", "segmentation"])
    assert result.exit_code == 2 and "--segmentation-url" in result.output
    assert stub.requests == []


def test_a_server_that_is_not_there_is_a_connection_failure(data_copy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = hashes(data_copy)
    result = CliRunner().invoke(cli, ["refresh", "--data", str(data_copy), "--source", "ods",
                                      "--ods-url", f"http://127.0.0.1:{port}/etr.zip", "--timeout", "2"])
    assert result.exit_code == 2 and "ods (http://127.0.0.1" in result.output and "could not connect" in result.output
    assert hashes(data_copy) == before


def test_a_failure_after_the_downloads_removes_what_it_wrote(stub, data_copy, monkeypatch):
    real = staging.atomic_write

    def fail_on_manifest(path, data, mode):
        if path.name == "manifest.yaml":
            raise OSError("disk full")
        real(path, data, mode)

    monkeypatch.setattr(staging, "atomic_write", fail_on_manifest)
    before = hashes(data_copy)
    result = refresh(data_copy, stub, "--source", "ods")
    assert result.exit_code == 2 and "disk full" in result.output
    assert hashes(data_copy) == before


def test_a_cut_off_file_that_still_parses_is_refused_when_it_shrank_by_half(stub, data_copy):
    lines = etr_csv().split(b"\r\n")
    stub.set("/ods/etr.zip", body=etr_zip(b"\r\n".join(lines[:60]) + b"\r\n"))
    before = hashes(data_copy)
    result = refresh(data_copy, stub, "--source", "ods")
    assert result.exit_code == 2 and "shrank by more than half" in result.output
    assert hashes(data_copy) == before


# --- the small pure pieces ---------------------------------------------------------------------------------

def test_manifest_edit_keeps_comments_and_other_entries():
    text = "# head\nratings:\n  file: old.csv\n  licence: OGL\n\ncosts:\n  file: c.csv\n"
    edited = staging.set_manifest_entry(text, "ratings", {"file": "new.csv", "as_of": "2026-11-23"})
    assert edited == ('# head\nratings:\n  file: "new.csv"\n  licence: OGL\n  as_of: "2026-11-23"\n\n'
                      "costs:\n  file: c.csv\n")


def test_dated_names_never_reuse_a_taken_name():
    day = date(2026, 11, 23)
    assert staging.dated_name("cqc_ratings", day, set()) == "cqc_ratings_2026-11-23.csv"
    assert staging.dated_name("cqc_ratings", day, {"cqc_ratings_2026-11-23.csv"}) == "cqc_ratings_2026-11-23_2.csv"


def test_conversion_helpers():
    assert quarter_key("Q4 2025/26") > quarter_key("Q3 2025/26") > quarter_key("Q4 2024/25")
    assert quarter_key("2025 Q3") is None
    assert (whole_number("3.0"), whole_number("2.36"), whole_number("x")) == ("3", "2.36", "x")
    assert (deficit_flag("Yes"), deficit_flag("no"), deficit_flag("maybe")) == ("1", "0", "maybe")
    assert rating_word("No published rating") == "Not rated" and rating_word("Superb") == "Superb"


def test_an_unrated_provider_gives_no_rows_and_a_rated_one_gives_overall_first():
    assert provider_rows({"providerId": "RAA", "currentRatings": {}}) == []
    rows = provider_rows(json.loads(provider_json(cqc_rows()["RXL"])))
    assert [r[7] for r in rows] == ["Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led"]


def test_refresh_error_reads_as_one_located_message():
    error = RefreshError("cqc", "HTTP 500 Internal Server Error", "http://x/providers/RXL", ["a.csv, row 2: bad"])
    assert str(error) == ("The refresh failed, so nothing in the data folder was changed:\n"
                          "  - cqc (http://x/providers/RXL): HTTP 500 Internal Server Error\n    - a.csv, row 2: bad")
